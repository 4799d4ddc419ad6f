package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Uploads: a roster file kept between its preview and its confirmation, so
// the teacher confirms exactly what was checked.

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
