package store

import (
	"context"
	"fmt"
	"time"
)

// LockedLogins lists the accounts locked now (many failures from many
// clients, see login_throttle.go), by LoginAccountKey, with the end of
// their lock: the pages an administrator manages accounts from show them,
// so the person who can unlock one (by resetting its password) sees it.
func (s *Store) LockedLogins(ctx context.Context) (map[string]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT account, locked_until FROM login_throttle
		WHERE client = '' AND locked_until IS NOT NULL AND locked_until > ?`), s.Now())
	if err != nil {
		return nil, fmt.Errorf("store: locked logins: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var account string
		var until time.Time
		if err := rows.Scan(&account, &until); err != nil {
			return nil, fmt.Errorf("store: locked logins: %w", err)
		}
		out[account] = until.UTC()
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: locked logins: %w", err)
	}
	return out, nil
}
