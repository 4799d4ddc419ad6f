package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PutFlash keeps body for userID to read once after a redirect, for ttl,
// and returns its id (unguessable: two letter tokens). Expired flashes are
// removed on the way.
func (s *Store) PutFlash(ctx context.Context, userID int64, body string, ttl time.Duration) (string, error) {
	a, err := s.token()
	if err != nil {
		return "", fmt.Errorf("store: flash: %w", err)
	}
	b, err := s.token()
	if err != nil {
		return "", fmt.Errorf("store: flash: %w", err)
	}
	id := a + b
	now := s.Now()
	if _, err := s.db.ExecContext(ctx, s.Rebind(`DELETE FROM flashes WHERE expires_at < ?`), now); err != nil {
		return "", fmt.Errorf("store: flash: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, s.Rebind(`INSERT INTO flashes (id, user_id, body, expires_at) VALUES (?, ?, ?, ?)`),
		id, userID, body, now.Add(ttl)); err != nil {
		return "", fmt.Errorf("store: flash: %w", err)
	}
	return id, nil
}

// TakeFlash returns and deletes userID's flash id; ok is false when there
// is none (read already, expired, another user's).
func (s *Store) TakeFlash(ctx context.Context, id string, userID int64) (body string, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, s.Rebind(`DELETE FROM flashes WHERE id = ? AND user_id = ? AND expires_at >= ? RETURNING body`),
		id, userID, s.Now()).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("store: flash: %w", err)
	}
	return body, true, nil
}
