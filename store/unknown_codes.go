package store

import (
	"context"
	"fmt"
	"time"
)

// CountUnknownCode counts one unknown parent code from client in the window
// starting at window, and returns the client's count in that window. One
// upsert, atomic on both backends, so several instances sharing the
// database count together.
func (s *Store) CountUnknownCode(ctx context.Context, client string, window time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.Rebind(`INSERT INTO unknown_code_hits (client, window_start, n) VALUES (?, ?, 1)
		ON CONFLICT (client, window_start) DO UPDATE SET n = unknown_code_hits.n + 1 RETURNING n`), client, window.UTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count unknown code: %w", err)
	}
	return n, nil
}

// PurgeUnknownCodes deletes the counts of windows that started before
// cutoff.
func (s *Store) PurgeUnknownCodes(ctx context.Context, cutoff time.Time) error {
	if _, err := s.db.ExecContext(ctx, s.Rebind(`DELETE FROM unknown_code_hits WHERE window_start < ?`), cutoff.UTC()); err != nil {
		return fmt.Errorf("store: purge unknown codes: %w", err)
	}
	return nil
}
