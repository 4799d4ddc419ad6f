package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// API tokens: a user's keys for scripts (/api/v1), shown once, stored as
// their SHA-256 (HashSecret), revoked with the user's password.

// APITokenPrefix starts every API token, so a leaked one is recognisable in
// logs and secret scanners.
const APITokenPrefix = "jst_"

// APIToken describes a user's token for scripts; the secret itself is only
// shown once, when it is created.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time // zero when never used
	// ReadOnly: the token may only read (GET); the web refuses the rest.
	ReadOnly bool
}

// CreateAPIToken makes a new token for userID with every right of the
// account and returns its secret (APITokenPrefix + 43 characters) with its
// description.
func (s *Store) CreateAPIToken(ctx context.Context, userID int64, name string) (string, APIToken, error) {
	return s.NewAPIToken(ctx, APIToken{UserID: userID, Name: name})
}

// NewAPIToken makes the token t describes (its user, name, and whether it
// only reads) and returns its secret with its description.
func (s *Store) NewAPIToken(ctx context.Context, t APIToken) (string, APIToken, error) {
	if err := checkTexts("token_name", t.Name); err != nil {
		return "", APIToken{}, err
	}
	secret, err := s.newSecret()
	if err != nil {
		return "", APIToken{}, err
	}
	token := APITokenPrefix + secret
	t.CreatedAt, t.LastUsedAt = s.Now(), time.Time{}
	err = s.db.QueryRowContext(ctx, s.Rebind(`INSERT INTO api_tokens (user_id, name, token_hash, created_at, read_only) VALUES (?, ?, ?, ?, ?) RETURNING id`),
		t.UserID, t.Name, HashSecret(token), t.CreatedAt, t.ReadOnly).Scan(&t.ID)
	if err != nil {
		return "", APIToken{}, fmt.Errorf("store: create API token of user %d: %w", t.UserID, err)
	}
	return token, t, nil
}

// APITokens lists a user's tokens, newest first.
func (s *Store) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT id, user_id, name, created_at, last_used_at, read_only FROM api_tokens WHERE user_id = ? ORDER BY id DESC`), userID)
	if err != nil {
		return nil, fmt.Errorf("store: API tokens of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var used sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &used, &t.ReadOnly); err != nil {
			return nil, fmt.Errorf("store: API tokens of user %d: %w", userID, err)
		}
		t.CreatedAt = t.CreatedAt.UTC()
		if used.Valid {
			t.LastUsedAt = used.Time.UTC()
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteAPIToken revokes a token of userID; another user's token is
// ErrNotFound.
func (s *Store) DeleteAPIToken(ctx context.Context, userID, id int64) error {
	r, err := s.db.ExecContext(ctx, s.Rebind(`DELETE FROM api_tokens WHERE id = ? AND user_id = ?`), id, userID)
	if err != nil {
		return fmt.Errorf("store: delete API token %d: %w", id, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: API token %d of user %d", ErrNotFound, id, userID)
	}
	return nil
}

// UserByAPIToken returns the user a token belongs to and records its use.
// An unknown token or a disabled account is ErrNotFound.
func (s *Store) UserByAPIToken(ctx context.Context, token string) (User, error) {
	u, _, err := s.APITokenUser(ctx, token)
	return u, err
}

// APITokenUser returns a token's description and the user it belongs to,
// and records its use. An unknown token or a disabled account is
// ErrNotFound.
func (s *Store) APITokenUser(ctx context.Context, token string) (User, APIToken, error) {
	var t APIToken
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT id, user_id, name, created_at, read_only FROM api_tokens WHERE token_hash = ?`), HashSecret(token)).
		Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &t.ReadOnly)
	if err != nil {
		return User{}, t, notFound(err, "API token")
	}
	u, err := s.User(ctx, t.UserID)
	if err != nil {
		return User{}, t, err
	}
	if u.Disabled {
		return User{}, t, fmt.Errorf("%w: user %d is disabled", ErrNotFound, u.ID)
	}
	t.LastUsedAt = s.Now()
	if _, err := s.db.ExecContext(ctx, s.Rebind(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`), t.LastUsedAt, t.ID); err != nil {
		return User{}, t, fmt.Errorf("store: API token use: %w", err)
	}
	return u, t, nil
}
