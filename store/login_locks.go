package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// LockedLogins lists the accounts locked now (many failures from many
// clients, see login_throttle.go), by LoginAccountKey, with the end of
// their lock: the pages an administrator manages accounts from show them,
// so the person who can unlock one (LiftLoginLock, or a password reset)
// sees it.
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

// LoginLockMemory is how long the record of a lock is kept for its owner
// to read (PurgeExpired deletes older ones).
const LoginLockMemory = 90 * 24 * time.Hour

// LoginLock is one lock of an account, as its owner is told of it.
type LoginLock struct {
	LockedAt    time.Time
	LockedUntil time.Time
	UnlockedAt  time.Time // zero unless lifted early
	UnlockedBy  string    // who lifted it ("" for a password reset or none)
}

// Active says whether the lock still holds at now.
func (l LoginLock) Active(now time.Time) bool {
	return l.UnlockedAt.IsZero() && now.Before(l.LockedUntil)
}

// recordLoginLock notes, in the transaction of the attempt that locked
// it, that account is locked until until.
func (s *Store) recordLoginLock(ctx context.Context, tx *sql.Tx, account string, until time.Time) error {
	_, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO login_locks (account, locked_at, locked_until) VALUES (?, ?, ?)`),
		account, s.Now(), until)
	return err
}

// LiftLoginLock lifts an account's lock and forgets its failures from
// every client, recording who did (by, as people read it; "" for a
// password reset) on the lock's record for its owner. lifted says whether
// the account was locked.
func (s *Store) LiftLoginLock(ctx context.Context, account, by string) (lifted bool, err error) {
	if err := CheckText("unlocked_by", by, false); err != nil {
		return false, err
	}
	acct, now := LoginAccountKey(account), s.Now()
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		var until sql.NullTime
		err := tx.QueryRowContext(ctx, s.Rebind(`SELECT locked_until FROM login_throttle WHERE account = ? AND client = ''`), acct).Scan(&until)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		lifted = until.Valid && now.Before(until.Time)
		if _, err := tx.ExecContext(ctx, s.Rebind(`DELETE FROM login_throttle WHERE account = ?`), acct); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.Rebind(`UPDATE login_locks SET unlocked_at = ?, unlocked_by = ?
			WHERE account = ? AND unlocked_at IS NULL AND locked_until > ?`), now, by, acct, now)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: unlock login: %w", err)
	}
	return lifted, nil
}

// LoginLocks lists the locks of account that ended (or will end) after
// since, newest first: what its owner's account page tells them.
func (s *Store) LoginLocks(ctx context.Context, account string, since time.Time) ([]LoginLock, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT locked_at, locked_until, unlocked_at, unlocked_by FROM login_locks
		WHERE account = ? AND COALESCE(unlocked_at, locked_until) > ? ORDER BY locked_at DESC, id DESC`), LoginAccountKey(account), since.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: login locks: %w", err)
	}
	defer rows.Close()
	var out []LoginLock
	for rows.Next() {
		var l LoginLock
		var unlocked sql.NullTime
		if err := rows.Scan(&l.LockedAt, &l.LockedUntil, &unlocked, &l.UnlockedBy); err != nil {
			return nil, fmt.Errorf("store: login locks: %w", err)
		}
		l.LockedAt, l.LockedUntil, l.UnlockedAt = l.LockedAt.UTC(), l.LockedUntil.UTC(), utcOrZero(unlocked)
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: login locks: %w", err)
	}
	return out, nil
}
