package store

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"time"
)

// Browser sessions: what a sign-in hands out. Every secret the store hands
// out (a session here, an API token: api_tokens.go, an upload's id:
// uploads.go) is 256 random bits; only its SHA-256 is stored.

// Session is a signed-in browser.
type Session struct {
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// HashSecret is the stored form of a session or API token: hex SHA-256.
func HashSecret(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// newSecret draws 256 bits from the store's randomness, URL-safe base64.
func (s *Store) newSecret() (string, error) {
	b := make([]byte, 32)
	s.randMu.Lock()
	_, err := io.ReadFull(s.rand, b)
	s.randMu.Unlock()
	if err != nil {
		return "", fmt.Errorf("store: secret randomness: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// CreateSession signs userID in for ttl and returns the token for the
// cookie. The token itself is not stored.
func (s *Store) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	token, err := s.newSecret()
	if err != nil {
		return "", err
	}
	now := s.Now()
	if _, err := s.db.ExecContext(ctx, s.Rebind(`INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`),
		HashSecret(token), userID, now, now, now.Add(ttl)); err != nil {
		return "", fmt.Errorf("store: create session of user %d: %w", userID, err)
	}
	return token, nil
}

// SessionUser returns the user signed in by token and the session. An
// unknown or expired token, or a disabled account, is ErrNotFound.
func (s *Store) SessionUser(ctx context.Context, token string) (User, Session, error) {
	var se Session
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT user_id, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = ?`),
		HashSecret(token)).Scan(&se.UserID, &se.CreatedAt, &se.LastSeenAt, &se.ExpiresAt)
	if err != nil {
		return User{}, Session{}, notFound(err, "session")
	}
	se.CreatedAt, se.LastSeenAt, se.ExpiresAt = se.CreatedAt.UTC(), se.LastSeenAt.UTC(), se.ExpiresAt.UTC()
	if !s.Now().Before(se.ExpiresAt) {
		return User{}, Session{}, fmt.Errorf("%w: session expired", ErrNotFound)
	}
	u, err := s.User(ctx, se.UserID)
	if err != nil {
		return User{}, Session{}, err
	}
	if u.Disabled {
		return User{}, Session{}, fmt.Errorf("%w: user %d is disabled", ErrNotFound, u.ID)
	}
	return u, se, nil
}

// ExtendSession records activity on a session and moves its expiry to
// now+ttl, so that a session ends after ttl without use.
func (s *Store) ExtendSession(ctx context.Context, token string, ttl time.Duration) error {
	now := s.Now()
	if _, err := s.db.ExecContext(ctx, s.Rebind(`UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?`),
		now, now.Add(ttl), HashSecret(token)); err != nil {
		return fmt.Errorf("store: extend session: %w", err)
	}
	return nil
}

// DeleteSession signs a browser out. An unknown token is not an error.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if _, err := s.db.ExecContext(ctx, s.Rebind(`DELETE FROM sessions WHERE token_hash = ?`), HashSecret(token)); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions signs a user out everywhere except the session of
// keepToken ("" keeps none): after a password change or reset.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64, keepToken string) error {
	if _, err := s.db.ExecContext(ctx, s.Rebind(`DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`),
		userID, HashSecret(keepToken)); err != nil {
		return fmt.Errorf("store: delete sessions of user %d: %w", userID, err)
	}
	return nil
}
