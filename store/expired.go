package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// PurgeExpired deletes expired sessions and uploads, closed login-failure
// windows older than window, idle sign-in throttle counters and records of
// locks older than LoginLockMemory; it returns how many rows went.
func (s *Store) PurgeExpired(ctx context.Context, window time.Duration) (int64, error) {
	now := s.Now()
	var total int64
	for _, q := range []struct {
		sql string
		at  time.Time
	}{
		{`DELETE FROM sessions WHERE expires_at <= ?`, now},
		{`DELETE FROM uploads WHERE expires_at <= ?`, now},
		{`DELETE FROM login_failures WHERE window_start <= ?`, now.Add(-window)},
		{`DELETE FROM login_throttle WHERE last_at <= ? AND (locked_until IS NULL OR locked_until <= ?)`, s.loginPolicy.purgeCutoff(now)},
		{`DELETE FROM login_locks WHERE locked_until <= ?`, now.Add(-LoginLockMemory)},
	} {
		args := []any{q.at}
		if strings.Count(q.sql, "?") == 2 {
			args = append(args, now)
		}
		r, err := s.db.ExecContext(ctx, s.Rebind(q.sql), args...)
		if err != nil {
			return total, fmt.Errorf("store: purge expired: %w", err)
		}
		n, _ := r.RowsAffected()
		total += n
	}
	return total, nil
}
