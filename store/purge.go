package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// A purge (PIPL 最小必要) removes what identifies families in a finished
// campaign and keeps the figures the overview shows:
//
// Removed, for the campaign only:
//   - its letters: tokens (the QR codes and typed codes stop working: the
//     parent page answers 404), who acknowledged when and by which channel,
//     the relation chosen, quiz answers and scores, who entered a paper slip;
//   - its reminders (which guardian was texted, gateway errors);
//   - its background jobs and their results (ZIPs of letters with names);
//   - expired roster uploads of its schools (left-overs of previews).
//
// Kept:
//   - per class, the overview's figures at the purge (campaign_class_figures):
//     active students, letters produced, delivered, opened, acknowledged by
//     channel, quiz answers and the sum of scores, reminders sent and failed;
//   - the campaign itself, its schools and templates (no personal data);
//   - students and guardians: they are the school's roster, used by the
//     school's other and later campaigns and by re-imports (which mark
//     students transferred, never delete them); deleting or blanking them
//     is a roster decision, not a campaign's;
//   - the audit log (accountability; it holds ids and counts, not families).
//
// A purged campaign takes no new letters (a trigger, migration 008), so a
// late print or a queued job cannot bring personal data back.

// Errors of PurgeCampaign that a caller explains to people.
var (
	// ErrPurgeDeadline: the campaign's acknowledgement deadline has not
	// passed (or it has none), and the purge was not forced.
	ErrPurgeDeadline = errors.New("store: campaign acknowledgement deadline has not passed")
	// ErrAlreadyPurged: the campaign was purged before.
	ErrAlreadyPurged = errors.New("store: campaign already purged")
	// ErrPurgeJobsPending: a job of the campaign is queued or running.
	ErrPurgeJobsPending = errors.New("store: campaign has queued or running jobs")
)

// PurgeOptions says which campaign to purge and how.
type PurgeOptions struct {
	CampaignID int64
	UserID     int64 // who purges, for the audit log; 0 for the CLI
	DryRun     bool  // count only; change nothing
	Force      bool  // purge although the deadline has not passed (or there is none)
}

// PurgeCounts is what a purge removed (or, in a dry run, would remove) and
// how many class figures it keeps.
type PurgeCounts struct {
	Letters      int   `json:"letters"`       // letters (tokens) deleted
	Acknowledged int   `json:"acknowledged"`  // of which acknowledged
	Relations    int   `json:"relations"`     // of which with the relation a parent chose
	QuizAnswers  int   `json:"quiz_answers"`  // of which with quiz answers
	Reminders    int   `json:"reminders"`     // reminder rows deleted
	Jobs         int   `json:"jobs"`          // jobs deleted
	JobBytes     int64 `json:"job_bytes"`     // bytes of job results (ZIPs) deleted
	Uploads      int   `json:"uploads"`       // expired roster uploads deleted
	ClassFigures int   `json:"class_figures"` // per-class figure rows kept
}

// PurgeResult is the outcome of PurgeCampaign.
type PurgeResult struct {
	Campaign Campaign
	Counts   PurgeCounts
	DryRun   bool
	// DeadlinePassed says whether the acknowledgement deadline had passed.
	DeadlinePassed bool
}

// Purge is the record of a purged campaign.
type Purge struct {
	CampaignID int64
	PurgedAt   time.Time
	PurgedBy   int64
	Counts     PurgeCounts
}

// DeadlinePassed says whether the campaign's acknowledgement deadline (a
// day, inclusive) is over at now in China time. A campaign without a
// deadline never is: nothing says it has finished.
func DeadlinePassed(c Campaign, now time.Time) bool {
	d, err := time.ParseInLocation("2006-01-02", c.AckDeadline, ChinaTime)
	if err != nil {
		return false
	}
	return !now.Before(d.AddDate(0, 0, 1))
}

// PurgeCampaign removes the personal data of a finished campaign and keeps
// its figures, in one transaction with its audit entry (see the comment at
// the top of this file for what goes and what stays). It refuses a
// campaign whose deadline has not passed unless opt.Force, a campaign
// purged before, and one with queued or running jobs. A dry run counts what
// would go and changes nothing. After the purge, Compact erases the deleted
// rows from the database file; should that fail, the error wraps
// ErrNotCompacted and the purge itself has happened (res is filled).
func (s *Store) PurgeCampaign(ctx context.Context, opt PurgeOptions) (PurgeResult, error) {
	var res PurgeResult
	camp, err := s.Campaign(ctx, opt.CampaignID)
	if err != nil {
		return res, err
	}
	res.Campaign, res.DryRun = camp, opt.DryRun
	res.DeadlinePassed = DeadlinePassed(camp, s.Now())
	fail := func(err error) (PurgeResult, error) {
		return res, fmt.Errorf("store: purge campaign %d: %w", camp.ID, err)
	}
	if !res.DeadlinePassed && !opt.Force && !opt.DryRun {
		return fail(ErrPurgeDeadline)
	}
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		var purged int
		if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) FROM campaign_purges WHERE campaign_id = ?`), camp.ID).Scan(&purged); err != nil {
			return err
		}
		if purged > 0 {
			return ErrAlreadyPurged
		}
		var pending int
		if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) FROM jobs WHERE campaign_id = ? AND status IN ('queued', 'running')`), camp.ID).Scan(&pending); err != nil {
			return err
		}
		if pending > 0 {
			return fmt.Errorf("%w (%d)", ErrPurgeJobsPending, pending)
		}
		c, err := s.purgeCounts(ctx, tx, camp.ID)
		if err != nil {
			return err
		}
		res.Counts = c
		if opt.DryRun {
			return nil
		}
		return s.purge(ctx, tx, camp, opt.UserID, &res.Counts)
	})
	if err != nil {
		return fail(err)
	}
	if !opt.DryRun {
		// The purge is committed; now erase the deleted rows from the file.
		if err := s.Compact(ctx); err != nil {
			return fail(err)
		}
	}
	return res, nil
}

// uploadsOfCampaign selects the expired uploads of the campaign's schools.
const uploadsOfCampaign = `FROM uploads WHERE expires_at < ? AND school_id IN (SELECT school_id FROM campaign_schools WHERE campaign_id = ?)`

// purgeCounts counts what a purge of the campaign removes and keeps.
func (s *Store) purgeCounts(ctx context.Context, tx *sql.Tx, campaignID int64) (PurgeCounts, error) {
	var c PurgeCounts
	if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN acknowledged_at IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN ack_relation <> '' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN quiz_answers <> '' OR quiz_score IS NOT NULL THEN 1 ELSE 0 END), 0)
		FROM letters WHERE campaign_id = ?`), campaignID).Scan(&c.Letters, &c.Acknowledged, &c.Relations, &c.QuizAnswers); err != nil {
		return c, err
	}
	if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) FROM reminders WHERE campaign_id = ?`), campaignID).Scan(&c.Reminders); err != nil {
		return c, err
	}
	if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*), COALESCE(SUM(result_size), 0) FROM jobs WHERE campaign_id = ?`), campaignID).Scan(&c.Jobs, &c.JobBytes); err != nil {
		return c, err
	}
	if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) `+uploadsOfCampaign), s.Now(), campaignID).Scan(&c.Uploads); err != nil {
		return c, err
	}
	if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) FROM campaign_schools cs JOIN classes c ON c.school_id = cs.school_id
		WHERE cs.campaign_id = ?`), campaignID).Scan(&c.ClassFigures); err != nil {
		return c, err
	}
	return c, nil
}

// figuresSelect counts per class what the overview counts (reachSelect:
// active students and their letters), and what else the campaign's report
// may want: delivered letters, quiz answers and scores, reminders.
const figuresSelect = `SELECT cs.campaign_id, c.school_id, c.id, c.name, c.grade, c.number,
	COUNT(st.id),
	COUNT(l.id),
	COALESCE(SUM(CASE WHEN l.status IN ('delivered', 'opened', 'acknowledged') THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN l.first_opened_at IS NOT NULL OR l.acknowledged_at IS NOT NULL THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN l.acknowledged_at IS NOT NULL THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN l.acknowledged_at IS NOT NULL AND l.ack_channel = 'qr' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN l.acknowledged_at IS NOT NULL AND l.ack_channel = 'sms' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN l.acknowledged_at IS NOT NULL AND l.ack_channel = 'typed' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN l.acknowledged_at IS NOT NULL AND l.ack_channel = 'paper' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN l.quiz_score IS NOT NULL THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(l.quiz_score), 0),
	COALESCE(SUM(rm.sent), 0),
	COALESCE(SUM(rm.failed), 0)
	FROM campaign_schools cs
	JOIN classes c ON c.school_id = cs.school_id
	LEFT JOIN students st ON st.class_id = c.id AND st.active = TRUE
	LEFT JOIN letters l ON l.student_id = st.id AND l.campaign_id = cs.campaign_id
	LEFT JOIN (SELECT letter_id,
		SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END) AS sent,
		SUM(CASE WHEN status = 'failed' AND delivery <> 'limited' THEN 1 ELSE 0 END) AS failed
		FROM reminders WHERE campaign_id = ? GROUP BY letter_id) rm ON rm.letter_id = l.id
	WHERE cs.campaign_id = ?
	GROUP BY cs.campaign_id, c.school_id, c.id, c.name, c.grade, c.number`

// purge keeps the figures, then deletes, records the purge and audits it.
func (s *Store) purge(ctx context.Context, tx *sql.Tx, camp Campaign, userID int64, c *PurgeCounts) error {
	if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO campaign_class_figures (campaign_id, school_id, class_id,
		class_name, grade, number, students, produced, delivered, opened, acknowledged, ack_qr, ack_sms, ack_typed,
		ack_paper, quiz_answered, quiz_score_sum, reminders_sent, reminders_failed) `+figuresSelect), camp.ID, camp.ID); err != nil {
		return fmt.Errorf("keep figures: %w", err)
	}
	steps := []struct {
		what, q string
		args    []any
	}{
		{"reminders", `DELETE FROM reminders WHERE campaign_id = ?`, []any{camp.ID}},
		{"letters", `DELETE FROM letters WHERE campaign_id = ?`, []any{camp.ID}},
		{"jobs", `DELETE FROM jobs WHERE campaign_id = ?`, []any{camp.ID}}, // chunks cascade
		{"uploads", `DELETE ` + uploadsOfCampaign, []any{s.Now(), camp.ID}},
	}
	for _, st := range steps {
		if _, err := tx.ExecContext(ctx, s.Rebind(st.q), st.args...); err != nil {
			return fmt.Errorf("delete %s: %w", st.what, err)
		}
	}
	detail, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO campaign_purges (campaign_id, purged_at, purged_by, detail) VALUES (?, ?, ?, ?)`),
		camp.ID, s.Now(), nullID(userID), string(detail)); err != nil {
		return fmt.Errorf("record purge: %w", err)
	}
	// The audit entry commits with the purge (Audit would wait for this
	// transaction's lock on SQLite).
	if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)`),
		s.Now(), nullID(userID), "campaign_purge", fmt.Sprintf("campaign %d %s: %s", camp.ID, camp.Name, detail)); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// CampaignPurge returns the record of the campaign's purge; ok is false
// when it has not been purged.
func (s *Store) CampaignPurge(ctx context.Context, campaignID int64) (p Purge, ok bool, err error) {
	return s.campaignPurge(ctx, s.db, campaignID)
}

func (s *Store) campaignPurge(ctx context.Context, q queryer, campaignID int64) (p Purge, ok bool, err error) {
	var by sql.NullInt64
	var detail string
	err = q.QueryRowContext(ctx, s.Rebind(`SELECT campaign_id, purged_at, purged_by, detail FROM campaign_purges WHERE campaign_id = ?`),
		campaignID).Scan(&p.CampaignID, &p.PurgedAt, &by, &detail)
	if errors.Is(err, sql.ErrNoRows) {
		return Purge{}, false, nil
	}
	if err != nil {
		return Purge{}, false, fmt.Errorf("store: purge of campaign %d: %w", campaignID, err)
	}
	p.PurgedAt, p.PurgedBy = p.PurgedAt.UTC(), by.Int64
	if detail != "" {
		if err := json.Unmarshal([]byte(detail), &p.Counts); err != nil {
			return Purge{}, false, fmt.Errorf("store: purge of campaign %d: %w", campaignID, err)
		}
	}
	return p, true, nil
}
