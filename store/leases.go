package store

import (
	"context"
	"fmt"
	"time"
)

// TakeLease gives holder the named lease for d (a new lease, one that ran
// out, or one holder already has, renewed) and says whether it did: work
// one instance does for all of them (asking the SMS provider for delivery
// reports) is done by whoever holds its lease. The update's condition is
// checked by the database, so two instances asking at once cannot both
// get it.
func (s *Store) TakeLease(ctx context.Context, name, holder string, d time.Duration) (bool, error) {
	now := s.Now()
	if _, err := s.db.ExecContext(ctx, s.Rebind(`INSERT INTO leases (name, holder) VALUES (?, '') ON CONFLICT DO NOTHING`), name); err != nil {
		return false, fmt.Errorf("store: lease %s: %w", name, err)
	}
	res, err := s.db.ExecContext(ctx, s.Rebind(`UPDATE leases SET holder = ?, lease_until = ?
		WHERE name = ? AND (holder = ? OR lease_until IS NULL OR lease_until < ?)`), holder, now.Add(d), name, holder, now)
	if err != nil {
		return false, fmt.Errorf("store: lease %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
