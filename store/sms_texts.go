package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Texts through the SMS providers (040): each reminder row is one text,
// recorded before the provider sees it (BeginTexts, the sender's journal)
// and finished with the provider's answer (FinishTexts); delivery reports
// settle it later (ApplyTextReports).

// Where a text's delivery stands (reminders.delivery).
const (
	DeliverySending     = "sending"     // recorded; the request is under way
	DeliveryAwaiting    = "awaiting"    // the provider took it; no report yet
	DeliveryDelivered   = "delivered"   // the phone received it
	DeliveryUndelivered = "undelivered" // the report says it did not arrive
	DeliveryFailed      = "failed"      // refused when sent: it never left
	DeliverySent        = "sent"        // a gateway without reports took it (final)
	DeliveryUnsure      = "unsure"      // the request broke off; not sent again
	DeliveryLimited     = "limited"     // not sent: the guardian's limit was reached
)

// TextJournal is the job a batch of texts belongs to.
type TextJournal struct {
	CampaignID, JobID, SentBy int64
	Provider                  string
	Max                       int   // reminders per guardian per campaign
	PriceFen                  int64 // per segment
}

// TextStart is one text about to be sent.
type TextStart struct {
	Key                  string // unique for ever: a key recorded once is never sent again
	GuardianID, LetterID int64
	AlertID              int64 // the alert it carries, 0 for a reminder
	Segments             int
}

// BeginTexts records texts before the provider sees them, in one
// transaction: each takes one of its guardian's slots (at most j.Max per
// campaign, however many jobs or instances send at once: the slot is
// unique) and is 'sending'. It returns the keys recorded before (by an
// earlier run of the job: not to be sent again) and those refused by the
// limit (recorded as 'limited', not to be sent).
func (s *Store) BeginTexts(ctx context.Context, j TextJournal, texts []TextStart, at time.Time) (begun, limited map[string]bool, err error) {
	begun, limited = map[string]bool{}, map[string]bool{}
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		for _, t := range texts {
			var n int
			if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) FROM reminders WHERE sms_key = ?`), t.Key).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				begun[t.Key] = true
				continue
			}
			ok, err := s.beginText(ctx, tx, j, t, at)
			if err != nil {
				return err
			}
			if !ok {
				limited[t.Key] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("store: begin texts of job %d: %w", j.JobID, err)
	}
	return begun, limited, nil
}

// beginText inserts one text in the guardian's first free slot, or as
// 'limited' when there is none (ok false).
func (s *Store) beginText(ctx context.Context, tx *sql.Tx, j TextJournal, t TextStart, at time.Time) (ok bool, err error) {
	cols := `(campaign_id, guardian_id, letter_id, status, attempts, error, sent_by, at, slot, job_id,
		provider, sms_key, delivery, segments, cost_fen, alert_id)`
	args := func(status string, slot any, delivery string, cost int64) []any {
		return []any{j.CampaignID, t.GuardianID, t.LetterID, status, nullID(j.SentBy), at.UTC(), slot, nullID(j.JobID),
			j.Provider, t.Key, delivery, t.Segments, cost, nullID(t.AlertID)}
	}
	for slot := 1; slot <= j.Max; slot++ {
		var id int64
		err := tx.QueryRowContext(ctx, s.Rebind(`INSERT INTO reminders `+cols+`
			VALUES (?, ?, ?, ?, 0, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`),
			args("sent", slot, DeliverySending, int64(t.Segments)*j.PriceFen)...).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			continue // slot taken
		}
		return err == nil, err
	}
	_, err = tx.ExecContext(ctx, s.Rebind(`INSERT INTO reminders `+cols+`
		VALUES (?, ?, ?, ?, 0, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), args("failed", nil, DeliveryLimited, 0)...)
	return false, err
}

// TextResult is what the provider made of one text.
type TextResult struct {
	Key       string
	MessageID string
	Delivery  string // awaiting, failed, sent or unsure
	Code      string // the provider's raw code
	Reason    string // a stable reason key (sms.Reason)
	Segments  int    // billed, when the provider says; 0 keeps the count made at the start
	Tries     int
}

// FinishTexts records the provider's answers. A text it took and will
// report on is asked about from nextPoll; one that failed gives its slot
// back and costs nothing; one a gateway took (sent) delivers its letter,
// as the family has the link now.
func (s *Store) FinishTexts(ctx context.Context, priceFen int64, results []TextResult, at, nextPoll time.Time) error {
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range results {
			var poll any
			if r.Delivery == DeliveryAwaiting || r.Delivery == DeliveryUnsure {
				poll = nextPoll.UTC()
			}
			failed := r.Delivery == DeliveryFailed
			if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE reminders SET delivery = ?, message_id = ?, code = ?, reason = ?,
				attempts = ?, at = ?, next_poll_at = ?,
				segments = CASE WHEN ? > 0 THEN ? ELSE segments END,
				cost_fen = CASE WHEN ? THEN 0 WHEN ? > 0 THEN ? ELSE cost_fen END,
				status = CASE WHEN ? THEN 'failed' ELSE status END,
				slot = CASE WHEN ? THEN NULL ELSE slot END
				WHERE sms_key = ?`),
				r.Delivery, r.MessageID, cleanLogText(r.Code), r.Reason, r.Tries, at.UTC(), poll,
				r.Segments, r.Segments, failed, r.Segments, int64(r.Segments)*priceFen, failed, failed, r.Key); err != nil {
				return err
			}
			if r.Delivery == DeliverySent {
				if err := deliverLetterOf(ctx, s, tx, `sms_key = ?`, r.Key); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: finish texts: %w", err)
	}
	return nil
}

// deliverLetterOf marks the letter of the reminder matching where
// 'delivered' if it is still only 'produced': the family has its link.
func deliverLetterOf(ctx context.Context, s *Store, tx *sql.Tx, where string, args ...any) error {
	_, err := tx.ExecContext(ctx, s.Rebind(`UPDATE letters SET status = 'delivered'
		WHERE id IN (SELECT letter_id FROM reminders WHERE `+where+`) AND status = 'produced'`), args...)
	return err
}

// TextReport is a delivery report as the provider gives it.
type TextReport struct {
	Provider  string
	MessageID string
	Phone     string // the number, to tell apart the texts of one batch ID (Aliyun)
	Key       string // the text's key when the provider echoes it
	Delivered bool
	Code      string
	Reason    string
	At        time.Time
}

// ApplyTextReports settles the texts the reports are about: by key when
// the report carries one, else by provider, message ID and number. A text
// already settled is left as it is (a report pushed twice changes
// nothing). A delivered text delivers its letter; an undelivered one gives
// its slot back. It returns how many texts the reports settled.
func (s *Store) ApplyTextReports(ctx context.Context, reports []TextReport, now time.Time) (int, error) {
	settled := 0
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range reports {
			id, err := s.reportedText(ctx, tx, r)
			if err != nil {
				return err
			}
			if id == 0 {
				continue
			}
			delivery, at := DeliveryUndelivered, r.At
			if r.Delivered {
				delivery = DeliveryDelivered
			}
			if at.IsZero() {
				at = now
			}
			if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE reminders SET delivery = ?, code = ?, reason = ?, reported_at = ?,
				next_poll_at = NULL, status = CASE WHEN ? THEN status ELSE 'failed' END, slot = CASE WHEN ? THEN slot ELSE NULL END
				WHERE id = ?`), delivery, cleanLogText(r.Code), r.Reason, at.UTC(), r.Delivered, r.Delivered, id); err != nil {
				return err
			}
			if r.Delivered {
				if err := deliverLetterOf(ctx, s, tx, `id = ?`, id); err != nil {
					return err
				}
			}
			settled++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: apply delivery reports: %w", err)
	}
	return settled, nil
}

// unsettled are the deliveries a report may still settle.
const unsettled = `('sending', 'awaiting', 'unsure')`

// reportedText finds the unsettled text a report is about (0: none).
func (s *Store) reportedText(ctx context.Context, tx *sql.Tx, r TextReport) (int64, error) {
	var id int64
	var err error
	if r.Key != "" {
		err = tx.QueryRowContext(ctx, s.Rebind(`SELECT id FROM reminders WHERE sms_key = ? AND provider = ? AND delivery IN `+unsettled),
			r.Key, r.Provider).Scan(&id)
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return id, err
		}
	}
	if r.MessageID == "" {
		return 0, nil
	}
	err = tx.QueryRowContext(ctx, s.Rebind(`SELECT r.id FROM reminders r JOIN guardians g ON g.id = r.guardian_id
		WHERE r.provider = ? AND r.message_id = ? AND g.mobile = ? AND r.delivery IN `+unsettled+` ORDER BY r.id LIMIT 1`),
		r.Provider, r.MessageID, r.Phone).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// AwaitingText is a text whose delivery report is awaited.
type AwaitingText struct {
	ID        int64
	Key       string
	Phone     string
	MessageID string
	At        time.Time // when it was sent
}

// DueTexts lists at most limit texts of the provider whose report is
// awaited and whose next poll time has come, the longest waiting first.
func (s *Store) DueTexts(ctx context.Context, provider string, now time.Time, limit int) ([]AwaitingText, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT r.id, r.sms_key, g.mobile, r.message_id, r.at
		FROM reminders r JOIN guardians g ON g.id = r.guardian_id
		WHERE r.provider = ? AND r.delivery IN ('awaiting', 'unsure') AND r.next_poll_at <= ?
		ORDER BY r.next_poll_at, r.id LIMIT ?`), provider, now.UTC(), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due texts: %w", err)
	}
	defer rows.Close()
	var out []AwaitingText
	for rows.Next() {
		var t AwaitingText
		var key sql.NullString
		if err := rows.Scan(&t.ID, &key, &t.Phone, &t.MessageID, &t.At); err != nil {
			return nil, fmt.Errorf("store: due texts: %w", err)
		}
		t.Key, t.At = key.String, t.At.UTC()
		out = append(out, t)
	}
	return out, rows.Err()
}

// PollTextsAgain sets when each text (by id) is next asked about.
func (s *Store) PollTextsAgain(ctx context.Context, next map[int64]time.Time) error {
	if len(next) == 0 {
		return nil
	}
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		for id, at := range next {
			if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE reminders SET next_poll_at = ? WHERE id = ? AND delivery IN `+unsettled),
				at.UTC(), id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: poll texts again: %w", err)
	}
	return nil
}

// ExpireTexts settles as undelivered, with reason, the provider's texts
// sent before cutoff whose report never came (the carriers give up on a
// text within three days), giving their slots back. It returns how many.
func (s *Store) ExpireTexts(ctx context.Context, provider string, cutoff time.Time, reason string, now time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.Rebind(`UPDATE reminders SET delivery = 'undelivered', reason = ?, code = 'no report',
		reported_at = ?, next_poll_at = NULL, status = 'failed', slot = NULL
		WHERE provider = ? AND delivery IN ('awaiting', 'unsure') AND at < ?`), reason, now.UTC(), provider, cutoff.UTC())
	if err != nil {
		return 0, fmt.Errorf("store: expire texts: %w", err)
	}
	return res.RowsAffected()
}
