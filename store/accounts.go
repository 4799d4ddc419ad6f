package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// This file holds what signing in needs beyond the users table: browser
// sessions, throttling of failed logins, API tokens for scripts and uploads
// kept between a preview and its confirmation. Every secret handed out is
// 256 random bits; only its SHA-256 is stored.

// Session is a signed-in browser.
type Session struct {
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// APITokenPrefix starts every API token, so a leaked one is recognisable in
// logs and secret scanners.
const APITokenPrefix = "jst_"

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

// APIToken describes a user's token for scripts; the secret itself is only
// shown once, when it is created.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time // zero when never used
}

// CreateAPIToken makes a new token for userID and returns its secret
// (APITokenPrefix + 43 characters) with its description.
func (s *Store) CreateAPIToken(ctx context.Context, userID int64, name string) (string, APIToken, error) {
	if err := checkTexts("token_name", name); err != nil {
		return "", APIToken{}, err
	}
	secret, err := s.newSecret()
	if err != nil {
		return "", APIToken{}, err
	}
	token := APITokenPrefix + secret
	t := APIToken{UserID: userID, Name: name, CreatedAt: s.Now()}
	err = s.db.QueryRowContext(ctx, s.Rebind(`INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`),
		userID, name, HashSecret(token), t.CreatedAt).Scan(&t.ID)
	if err != nil {
		return "", APIToken{}, fmt.Errorf("store: create API token of user %d: %w", userID, err)
	}
	return token, t, nil
}

// APITokens lists a user's tokens, newest first.
func (s *Store) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT id, user_id, name, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY id DESC`), userID)
	if err != nil {
		return nil, fmt.Errorf("store: API tokens of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var used sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &used); err != nil {
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
	var id, userID int64
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT id, user_id FROM api_tokens WHERE token_hash = ?`), HashSecret(token)).Scan(&id, &userID)
	if err != nil {
		return User{}, notFound(err, "API token")
	}
	u, err := s.User(ctx, userID)
	if err != nil {
		return User{}, err
	}
	if u.Disabled {
		return User{}, fmt.Errorf("%w: user %d is disabled", ErrNotFound, u.ID)
	}
	if _, err := s.db.ExecContext(ctx, s.Rebind(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`), s.Now(), id); err != nil {
		return User{}, fmt.Errorf("store: API token use: %w", err)
	}
	return u, nil
}

// Upload is a file a user sent for preview, kept until they confirm it.
type Upload struct {
	ID        string
	UserID    int64
	SchoolID  int64
	ClassID   int64 // 0 for a school-wide upload
	Filename  string
	Data      []byte
	CreatedAt time.Time
	ExpiresAt time.Time
}

// SaveUpload stores u's file for ttl and returns its random id.
func (s *Store) SaveUpload(ctx context.Context, u Upload, ttl time.Duration) (string, error) {
	if err := checkTexts("filename", u.Filename); err != nil {
		return "", err
	}
	id, err := s.newSecret()
	if err != nil {
		return "", err
	}
	now := s.Now()
	if _, err := s.db.ExecContext(ctx, s.Rebind(`INSERT INTO uploads (id, user_id, school_id, class_id, filename, data, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), id, u.UserID, u.SchoolID, nullID(u.ClassID), u.Filename, u.Data, now, now.Add(ttl)); err != nil {
		return "", fmt.Errorf("store: save upload: %w", err)
	}
	return id, nil
}

// Upload returns the upload id if it belongs to userID and has not expired;
// otherwise ErrNotFound.
func (s *Store) Upload(ctx context.Context, id string, userID int64) (Upload, error) {
	var u Upload
	var class sql.NullInt64
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT id, user_id, school_id, class_id, filename, data, created_at, expires_at
		FROM uploads WHERE id = ? AND user_id = ?`), id, userID).
		Scan(&u.ID, &u.UserID, &u.SchoolID, &class, &u.Filename, &u.Data, &u.CreatedAt, &u.ExpiresAt)
	if err != nil {
		return Upload{}, notFound(err, "upload")
	}
	u.ClassID = class.Int64
	u.CreatedAt, u.ExpiresAt = u.CreatedAt.UTC(), u.ExpiresAt.UTC()
	if !s.Now().Before(u.ExpiresAt) {
		return Upload{}, fmt.Errorf("%w: upload expired", ErrNotFound)
	}
	return u, nil
}

// DeleteUpload removes an upload once it has been used.
func (s *Store) DeleteUpload(ctx context.Context, id string) error {
	if _, err := s.db.ExecContext(ctx, s.Rebind(`DELETE FROM uploads WHERE id = ?`), id); err != nil {
		return fmt.Errorf("store: delete upload: %w", err)
	}
	return nil
}

// PurgeExpired deletes expired sessions and uploads, closed login-failure
// windows older than window, idle sign-in throttle counters and records of
// locks older than LoginLockMemory; it returns
// how many rows went.
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

// TeacherClasses lists the classes assigned to a teacher by grade and
// number, with their active student counts.
func (s *Store) TeacherClasses(ctx context.Context, userID int64) ([]Class, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(classSelect+` JOIN teacher_classes tc ON tc.class_id = c.id
		WHERE tc.user_id = ? ORDER BY c.school_id, c.grade, c.number`), userID)
	if err != nil {
		return nil, fmt.Errorf("store: classes of teacher %d: %w", userID, err)
	}
	defer rows.Close()
	var out []Class
	for rows.Next() {
		c, err := scanClass(rows)
		if err != nil {
			return nil, fmt.Errorf("store: classes of teacher %d: %w", userID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// TeachesClass says whether classID is assigned to the teacher userID.
func (s *Store) TeachesClass(ctx context.Context, userID, classID int64) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT 1 FROM teacher_classes WHERE user_id = ? AND class_id = ?`), userID, classID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: teacher %d class %d: %w", userID, classID, err)
	}
	return true, nil
}

// SetUserDisabled disables or re-enables an account; disabling also signs
// it out everywhere.
func (s *Store) SetUserDisabled(ctx context.Context, userID int64, disabled bool) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, s.Rebind(`UPDATE users SET disabled = ? WHERE id = ?`), disabled, userID)
		if err != nil {
			return fmt.Errorf("store: disable user %d: %w", userID, err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: user %d", ErrNotFound, userID)
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, s.Rebind(`DELETE FROM sessions WHERE user_id = ?`), userID); err != nil {
				return fmt.Errorf("store: sign out user %d: %w", userID, err)
			}
		}
		return nil
	})
}

// EnsureClass returns the school's class of grade and number, creating it
// (named name) when it does not exist yet: a teacher's account may be made
// before the class's roster is imported.
func (s *Store) EnsureClass(ctx context.Context, schoolID int64, grade, number int, name string) (Class, error) {
	if _, err := s.db.ExecContext(ctx, s.Rebind(`INSERT INTO classes (school_id, grade, number, name) VALUES (?, ?, ?, ?)
		ON CONFLICT (school_id, grade, number) DO NOTHING`), schoolID, grade, number, name); err != nil {
		return Class{}, fmt.Errorf("store: create class %q of school %d: %w", name, schoolID, err)
	}
	return s.ClassByGrade(ctx, schoolID, grade, number)
}
