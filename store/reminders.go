package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ReminderScope selects the families a reminder list covers: a campaign,
// narrowed to a school and further to a class when those are non-zero.
type ReminderScope struct {
	CampaignID int64
	SchoolID   int64
	ClassID    int64
	// All includes the families that have acknowledged (an alert's text
	// goes to every family; a reminder only to those who have not).
	All bool
}

// ReminderTarget is one guardian with a mobile number of a student whose
// letter is not acknowledged. A guardian of two such siblings appears
// twice, once per letter (each letter has its own link to acknowledge).
// Two guardians of one child with the same mobile appear once.
type ReminderTarget struct {
	GuardianID   int64
	GuardianName string
	Relation     string
	Mobile       string
	StudentID    int64
	StudentName  string
	ClassName    string
	HeadTeacher  string // the class's 班主任 as the roster names them, or ""
	SchoolName   string
	LetterID     int64
	Token        string
	Sent         int // reminders already sent to this guardian in the campaign
}

// PendingReminders lists the guardians (with a mobile) of active students
// whose letter in the campaign is not acknowledged, one per mobile and
// letter, by school, class, student number and roster order, with how many
// reminders each guardian has already been sent in the campaign.
func (s *Store) PendingReminders(ctx context.Context, scope ReminderScope) ([]ReminderTarget, error) {
	return s.pendingReminders(ctx, s.db, scope)
}

func (s *Store) pendingReminders(ctx context.Context, db queryer, scope ReminderScope) ([]ReminderTarget, error) {
	q := `SELECT g.id, g.name, g.relation, g.mobile, st.id, st.name, c.name, c.head_teacher, sc.name, l.id, l.token,
		(SELECT COUNT(*) FROM reminders r WHERE r.campaign_id = l.campaign_id AND r.guardian_id = g.id AND r.status = 'sent')
		FROM letters l
		JOIN students st ON st.id = l.student_id
		JOIN classes c ON c.id = st.class_id
		JOIN schools sc ON sc.id = st.school_id
		JOIN student_guardians sg ON sg.student_id = st.id
		JOIN guardians g ON g.id = sg.guardian_id
		WHERE l.campaign_id = ? AND st.active = TRUE AND g.mobile <> ''`
	args := []any{scope.CampaignID}
	if !scope.All {
		q += ` AND l.acknowledged_at IS NULL`
	}
	if scope.SchoolID != 0 {
		q += ` AND st.school_id = ?`
		args = append(args, scope.SchoolID)
	}
	if scope.ClassID != 0 {
		q += ` AND st.class_id = ?`
		args = append(args, scope.ClassID)
	}
	q += ` ORDER BY sc.name, c.grade, c.number, st.number, sg.position`
	rows, err := db.QueryContext(ctx, s.Rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: pending reminders of campaign %d: %w", scope.CampaignID, err)
	}
	defer rows.Close()
	var out []ReminderTarget
	// Rosters often give one family phone for both guardians: that phone
	// gets the letter's text once (from the first guardian in roster order),
	// not the same message twice.
	type phoneLetter struct {
		mobile string
		letter int64
	}
	seen := make(map[phoneLetter]bool)
	for rows.Next() {
		var t ReminderTarget
		if err := rows.Scan(&t.GuardianID, &t.GuardianName, &t.Relation, &t.Mobile, &t.StudentID, &t.StudentName,
			&t.ClassName, &t.HeadTeacher, &t.SchoolName, &t.LetterID, &t.Token, &t.Sent); err != nil {
			return nil, fmt.Errorf("store: pending reminders of campaign %d: %w", scope.CampaignID, err)
		}
		if k := (phoneLetter{t.Mobile, t.LetterID}); !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: pending reminders of campaign %d: %w", scope.CampaignID, err)
	}
	return out, nil
}

// Reminder is one reminder SMS sent outside a job (RecordReminder).
type Reminder struct {
	CampaignID int64
	GuardianID int64
	LetterID   int64
	Sent       bool   // the gateway accepted it
	Attempts   int    // tries made, retries included
	Error      string // the last error when not sent
	SentBy     int64  // the user who started the sending
	At         time.Time
}

// RecordReminder writes the outcome of a reminder sent outside a job (by
// the gateway, which reports no delivery), so the per-guardian limit counts
// it: a sent one takes the guardian's next slot. Senders that must respect
// the limit record their texts with BeginTexts instead.
func (s *Store) RecordReminder(ctx context.Context, r Reminder) error {
	status := "failed"
	if r.Sent {
		status = "sent"
	}
	at := r.At.UTC()
	if r.At.IsZero() {
		at = s.Now()
	}
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO reminders (campaign_id, guardian_id, letter_id, status, attempts, error, sent_by, at, slot, provider, delivery)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN (SELECT COALESCE(MAX(slot), 0) + 1 FROM reminders WHERE campaign_id = ? AND guardian_id = ?) END, 'http', ?)`),
			r.CampaignID, r.GuardianID, r.LetterID, status, r.Attempts, cleanLogText(r.Error), nullID(r.SentBy), at, r.Sent, r.CampaignID, r.GuardianID, status)
		if err != nil || !r.Sent {
			return err
		}
		// The family has the letter's link now (as FinishReminder).
		_, err = tx.ExecContext(ctx, s.Rebind(`UPDATE letters SET status = 'delivered' WHERE id = ? AND status = 'produced'`), r.LetterID)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: record reminder to guardian %d: %w", r.GuardianID, err)
	}
	return nil
}

// RemindersSent counts the reminders sent to a guardian in a campaign.
func (s *Store) RemindersSent(ctx context.Context, campaignID, guardianID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) FROM reminders WHERE campaign_id = ? AND guardian_id = ? AND status = 'sent'`),
		campaignID, guardianID).Scan(&n)
	if err != nil && err != sql.ErrNoRows {
		return 0, fmt.Errorf("store: reminders of guardian %d: %w", guardianID, err)
	}
	return n, nil
}
