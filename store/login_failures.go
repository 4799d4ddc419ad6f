package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Failed sign-ins counted per key in a window (login_throttle.go decides
// what they lock).

// LoginFailures counts the failed sign-ins recorded under key in the window
// that is still open (a window opens at a failure after the last one closed).
func (s *Store) LoginFailures(ctx context.Context, key string, window time.Duration) (int, error) {
	var n int
	var start time.Time
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT failures, window_start FROM login_failures WHERE key = ?`), key).Scan(&n, &start)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: login failures: %w", err)
	}
	if !s.Now().Before(start.UTC().Add(window)) {
		return 0, nil
	}
	return n, nil
}

// AddLoginFailure records one failed sign-in under key and returns the
// count in the current window. It is one statement, so instances sharing
// the database count together.
func (s *Store) AddLoginFailure(ctx context.Context, key string, window time.Duration) (int, error) {
	now := s.Now()
	cutoff := now.Add(-window)
	var n int
	err := s.db.QueryRowContext(ctx, s.Rebind(`INSERT INTO login_failures (key, failures, window_start) VALUES (?, 1, ?)
		ON CONFLICT (key) DO UPDATE SET
			failures = CASE WHEN login_failures.window_start <= ? THEN 1 ELSE login_failures.failures + 1 END,
			window_start = CASE WHEN login_failures.window_start <= ? THEN ? ELSE login_failures.window_start END
		RETURNING failures`), key, now, cutoff, cutoff, now).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: add login failure: %w", err)
	}
	return n, nil
}

// ClearLoginFailures forgets the failures under key, after a good sign-in.
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	if _, err := s.db.ExecContext(ctx, s.Rebind(`DELETE FROM login_failures WHERE key = ?`), key); err != nil {
		return fmt.Errorf("store: clear login failures: %w", err)
	}
	return nil
}
