package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ScheduledJob returns the job of that kind, school (0 for none), campaign
// and params that waits for runAt, if there is one: asking twice for the
// same send in the morning queues it once.
func (s *Store) ScheduledJob(ctx context.Context, kind string, schoolID, campaignID int64, params string, runAt time.Time) (Job, bool, error) {
	j, err := scanJob(s.db.QueryRowContext(ctx, s.Rebind(`SELECT `+jobCols+` FROM jobs
		WHERE kind = ? AND COALESCE(school_id, 0) = ? AND COALESCE(campaign_id, 0) = ? AND params = ? AND status = 'queued'
		AND run_at = ? ORDER BY id DESC LIMIT 1`), kind, schoolID, campaignID, params, runAt.UTC()))
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, false, nil
	}
	if err != nil {
		return Job{}, false, fmt.Errorf("store: scheduled %s job: %w", kind, err)
	}
	return j, true, nil
}

// ScheduledReminderJobs lists the reminders jobs of a campaign waiting for
// their time, soonest first; schoolID narrows them to a school's (0: the
// campaign's own, of no school).
func (s *Store) ScheduledReminderJobs(ctx context.Context, campaignID, schoolID int64) ([]Job, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT `+jobCols+` FROM jobs WHERE kind = 'reminders' AND status = 'queued'
		AND run_at IS NOT NULL AND campaign_id = ? AND COALESCE(school_id, 0) = ? ORDER BY run_at, id LIMIT 50`), campaignID, schoolID)
	if err != nil {
		return nil, fmt.Errorf("store: scheduled reminders jobs: %w", err)
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scheduled reminders jobs: %w", err)
		}
		out = append(out, j)
	}
	return out, rows.Err()
}
