package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// TextCounts counts texts by where their delivery stands, with the
// segments billed and their cost.
type TextCounts struct {
	Sending, Awaiting, Delivered, Undelivered, Failed, Sent, Unsure, Limited int
	Segments                                                                 int
	CostFen                                                                  int64
}

// Taken is how many texts the provider took (whatever became of them).
func (c TextCounts) Taken() int { return c.Awaiting + c.Delivered + c.Undelivered + c.Sent + c.Unsure }

// NotDelivered is how many did not reach the phone: refused when sent, or
// reported undelivered.
func (c TextCounts) NotDelivered() int { return c.Failed + c.Undelivered }

// Waiting is how many wait for their report (or are being sent).
func (c TextCounts) Waiting() int { return c.Sending + c.Awaiting + c.Unsure }

// Any says whether any text was recorded.
func (c TextCounts) Any() bool { return c.Taken()+c.Failed+c.Sending+c.Limited > 0 }

func (c *TextCounts) add(delivery string, n, segments int, cost int64) {
	switch delivery {
	case DeliverySending:
		c.Sending += n
	case DeliveryAwaiting:
		c.Awaiting += n
	case DeliveryDelivered:
		c.Delivered += n
	case DeliveryUndelivered:
		c.Undelivered += n
	case DeliveryFailed:
		c.Failed += n
	case DeliverySent:
		c.Sent += n
	case DeliveryUnsure:
		c.Unsure += n
	case DeliveryLimited:
		c.Limited += n
	}
	if delivery != DeliveryFailed && delivery != DeliveryLimited {
		c.Segments += segments
	}
	c.CostFen += cost
}

// JobTextCounts counts the texts of a reminders job.
func (s *Store) JobTextCounts(ctx context.Context, jobID int64) (TextCounts, error) {
	return s.textCounts(ctx, `r.job_id = ?`, jobID)
}

// TextCountsOf counts the texts of a campaign, narrowed to a school or a
// class as scope says (scope.All is ignored).
func (s *Store) TextCountsOf(ctx context.Context, scope ReminderScope) (TextCounts, error) {
	where, args := `r.campaign_id = ?`, []any{scope.CampaignID}
	if scope.SchoolID != 0 || scope.ClassID != 0 {
		where += ` AND r.letter_id IN (SELECT l.id FROM letters l JOIN students st ON st.id = l.student_id WHERE l.campaign_id = ?`
		args = append(args, scope.CampaignID)
		if scope.SchoolID != 0 {
			where += ` AND st.school_id = ?`
			args = append(args, scope.SchoolID)
		}
		if scope.ClassID != 0 {
			where += ` AND st.class_id = ?`
			args = append(args, scope.ClassID)
		}
		where += `)`
	}
	return s.textCounts(ctx, where, args...)
}

func (s *Store) textCounts(ctx context.Context, where string, args ...any) (TextCounts, error) {
	var c TextCounts
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT r.delivery, COUNT(*), COALESCE(SUM(r.segments), 0), COALESCE(SUM(r.cost_fen), 0)
		FROM reminders r WHERE `+where+` GROUP BY r.delivery`), args...)
	if err != nil {
		return c, fmt.Errorf("store: text counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d string
		var n, seg int
		var cost int64
		if err := rows.Scan(&d, &n, &seg, &cost); err != nil {
			return c, fmt.Errorf("store: text counts: %w", err)
		}
		c.add(d, n, seg, cost)
	}
	return c, rows.Err()
}

// TextRow is one text of a class, as its reminders list shows it.
type TextRow struct {
	ID            int64
	StudentName   string
	StudentNumber string
	GuardianName  string
	Relation      string
	Mobile        string
	AlertTitle    string // the alert it carried, "" for a reminder
	Delivery      string
	Reason        string // a stable reason key
	Error         string // a text from before reasons were kept
	At            time.Time
	ReportedAt    time.Time
	Segments      int
}

// ClassTexts lists the texts sent about a class's letters in a campaign
// (limited ones left out), newest first, at most limit.
func (s *Store) ClassTexts(ctx context.Context, campaignID, classID int64, limit int) ([]TextRow, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT r.id, st.name, st.number, g.name, g.relation, g.mobile,
		COALESCE(a.title, ''), r.delivery, r.reason, r.error, r.at, r.reported_at, r.segments
		FROM reminders r
		JOIN letters l ON l.id = r.letter_id
		JOIN students st ON st.id = l.student_id
		JOIN guardians g ON g.id = r.guardian_id
		LEFT JOIN alerts a ON a.id = r.alert_id
		WHERE r.campaign_id = ? AND st.class_id = ? AND r.delivery <> 'limited'
		ORDER BY r.at DESC, r.id DESC LIMIT ?`), campaignID, classID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: texts of class %d: %w", classID, err)
	}
	defer rows.Close()
	var out []TextRow
	for rows.Next() {
		var t TextRow
		var reported sql.NullTime
		if err := rows.Scan(&t.ID, &t.StudentName, &t.StudentNumber, &t.GuardianName, &t.Relation, &t.Mobile, &t.AlertTitle,
			&t.Delivery, &t.Reason, &t.Error, &t.At, &reported, &t.Segments); err != nil {
			return nil, fmt.Errorf("store: texts of class %d: %w", classID, err)
		}
		t.At, t.ReportedAt = t.At.UTC(), utcOrZero(reported)
		out = append(out, t)
	}
	return out, rows.Err()
}
