package store

import (
	"context"
	"fmt"
)

// ReminderFailure is one reason a reminders job's texts did not reach the
// phone (refused when sent, or reported undelivered), with how many.
type ReminderFailure struct {
	Reason string // a stable reason key (sms.Reason)
	Error  string // the error of a text from before reasons were kept, when Reason is ""
	Count  int
}

// JobReminderFailures lists why a reminders job's texts did not reach the
// phone, the commonest reason first (at most 5 reasons), and the
// (guardian, letter) pairs that did not, so that a retry sends to those
// only.
func (s *Store) JobReminderFailures(ctx context.Context, jobID int64) ([]ReminderFailure, map[[2]int64]bool, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT guardian_id, letter_id, reason, error FROM reminders
		WHERE job_id = ? AND delivery IN ('failed', 'undelivered') ORDER BY id`), jobID)
	if err != nil {
		return nil, nil, fmt.Errorf("store: failed reminders of job %d: %w", jobID, err)
	}
	defer rows.Close()
	failed := map[[2]int64]bool{}
	count := map[[2]string]int{}
	var reasons [][2]string
	for rows.Next() {
		var g, l int64
		var reason [2]string
		if err := rows.Scan(&g, &l, &reason[0], &reason[1]); err != nil {
			return nil, nil, fmt.Errorf("store: failed reminders of job %d: %w", jobID, err)
		}
		if reason[0] != "" {
			reason[1] = ""
		}
		failed[[2]int64{g, l}] = true
		if count[reason] == 0 {
			reasons = append(reasons, reason)
		}
		count[reason]++
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: failed reminders of job %d: %w", jobID, err)
	}
	out := make([]ReminderFailure, 0, len(reasons))
	for _, r := range reasons {
		out = append(out, ReminderFailure{Reason: r[0], Error: r[1], Count: count[r]})
	}
	// Commonest first; ties keep the order they first happened in.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Count > out[j-1].Count; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	if len(out) > 5 {
		out = out[:5]
	}
	return out, failed, nil
}
