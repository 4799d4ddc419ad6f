package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ClassMeeting records that a class held its anti-fraud class meeting
// (主题班会) in a campaign: the day (in China, 'YYYY-MM-DD'), who recorded
// it (0 for the command line) and when.
type ClassMeeting struct {
	CampaignID int64
	ClassID    int64
	HeldOn     string
	RecordedBy int64
	RecordedAt time.Time
}

// ErrNotInCampaign: the class's school does not take part in the campaign.
var ErrNotInCampaign = errors.New("store: the school does not take part in the campaign")

// RecordClassMeeting records (or moves to another day) the class meeting of
// classID in a campaign, with the audit entry, in one transaction.
// campaignID 0 means the school's current campaign, created when there is
// none, as for its letters (ClassPrint). heldOn must be a 'YYYY-MM-DD' day;
// which days are sensible is the caller's rule.
func (s *Store) RecordClassMeeting(ctx context.Context, campaignID, classID int64, heldOn string, userID int64) (ClassMeeting, error) {
	if _, err := time.Parse(time.DateOnly, heldOn); err != nil {
		return ClassMeeting{}, fmt.Errorf("store: class meeting day %q: %w", heldOn, err)
	}
	m := ClassMeeting{ClassID: classID, HeldOn: heldOn, RecordedBy: userID, RecordedAt: s.Now()}
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if m.CampaignID, err = s.meetingCampaign(ctx, tx, campaignID, classID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO class_meetings (campaign_id, class_id, held_on, recorded_by, recorded_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (campaign_id, class_id) DO UPDATE SET
			held_on = excluded.held_on, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`),
			m.CampaignID, classID, heldOn, nullID(userID), m.RecordedAt); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, userID, "class_meeting", fmt.Sprintf("class %d, campaign %d: held on %s", classID, m.CampaignID, heldOn))
	})
	if err != nil {
		return ClassMeeting{}, fmt.Errorf("store: class meeting of class %d: %w", classID, err)
	}
	return m, nil
}

// DeleteClassMeeting takes back a class meeting recorded by mistake, with
// the audit entry; deleting one that is not recorded is no error.
// campaignID 0 means the school's current campaign.
func (s *Store) DeleteClassMeeting(ctx context.Context, campaignID, classID, userID int64) error {
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		id, err := s.meetingCampaign(ctx, tx, campaignID, classID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.Rebind(`DELETE FROM class_meetings WHERE campaign_id = ? AND class_id = ?`), id, classID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return s.auditTx(ctx, tx, userID, "class_meeting_delete", fmt.Sprintf("class %d, campaign %d", classID, id))
	})
	if err != nil {
		return fmt.Errorf("store: class meeting of class %d: %w", classID, err)
	}
	return nil
}

// meetingCampaign resolves campaignID (0: the school takes part in none yet:
// the default campaign, DefaultCampaign) for
// class classID and checks that the class's school takes part in it.
func (s *Store) meetingCampaign(ctx context.Context, tx *sql.Tx, campaignID, classID int64) (int64, error) {
	var schoolID int64
	if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT school_id FROM classes WHERE id = ?`), classID).Scan(&schoolID); err != nil {
		return 0, notFound(err, fmt.Sprintf("class %d", classID))
	}
	if campaignID == 0 {
		return s.defaultCampaign(ctx, tx, schoolID)
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) FROM campaign_schools WHERE campaign_id = ? AND school_id = ?`),
		campaignID, schoolID).Scan(&n); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, fmt.Errorf("campaign %d, school %d: %w", campaignID, schoolID, ErrNotInCampaign)
	}
	return campaignID, nil
}

// auditTx is Audit inside tx, so the entry commits with the change.
func (s *Store) auditTx(ctx context.Context, tx *sql.Tx, userID int64, action, detail string) error {
	if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)`),
		s.Now(), nullID(userID), action, cleanLogText(detail)); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

const classMeetingCols = `campaign_id, class_id, held_on, recorded_by, recorded_at`

func scanClassMeeting(row interface{ Scan(...any) error }) (ClassMeeting, error) {
	var m ClassMeeting
	var by sql.NullInt64
	err := row.Scan(&m.CampaignID, &m.ClassID, &m.HeldOn, &by, &m.RecordedAt)
	m.RecordedBy, m.RecordedAt = by.Int64, m.RecordedAt.UTC()
	return m, err
}

// ClassMeetingOf returns the class meeting of a class in a campaign; ok is
// false when none is recorded.
func (s *Store) ClassMeetingOf(ctx context.Context, campaignID, classID int64) (m ClassMeeting, ok bool, err error) {
	return s.classMeetingOf(ctx, s.db, campaignID, classID)
}

func (s *Store) classMeetingOf(ctx context.Context, q queryer, campaignID, classID int64) (ClassMeeting, bool, error) {
	m, err := scanClassMeeting(q.QueryRowContext(ctx, s.Rebind(`SELECT `+classMeetingCols+` FROM class_meetings
		WHERE campaign_id = ? AND class_id = ?`), campaignID, classID))
	if errors.Is(err, sql.ErrNoRows) {
		return ClassMeeting{}, false, nil
	}
	if err != nil {
		return ClassMeeting{}, false, fmt.Errorf("store: class meeting of class %d: %w", classID, err)
	}
	return m, true, nil
}

// ClassMeetings returns the class meetings held in a campaign by class id,
// of one school (schoolID 0: every school).
func (s *Store) ClassMeetings(ctx context.Context, campaignID, schoolID int64) (map[int64]ClassMeeting, error) {
	q := `SELECT m.campaign_id, m.class_id, m.held_on, m.recorded_by, m.recorded_at FROM class_meetings m
		JOIN classes c ON c.id = m.class_id WHERE m.campaign_id = ?`
	args := []any{campaignID}
	if schoolID != 0 {
		q += ` AND c.school_id = ?`
		args = append(args, schoolID)
	}
	rows, err := s.db.QueryContext(ctx, s.Rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: class meetings of campaign %d: %w", campaignID, err)
	}
	defer rows.Close()
	out := map[int64]ClassMeeting{}
	for rows.Next() {
		m, err := scanClassMeeting(rows)
		if err != nil {
			return nil, fmt.Errorf("store: class meetings of campaign %d: %w", campaignID, err)
		}
		out[m.ClassID] = m
	}
	return out, rows.Err()
}
