package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// AuditEntry is one line of the audit log: who did what to personal data
// or accounts, and when.
type AuditEntry struct {
	ID     int64
	At     time.Time
	UserID int64 // 0 for the system or an anonymous action
	Action string
	Detail string
}

// Audit records an action. userID 0 means no signed-in user (the CLI, the
// system).
func (s *Store) Audit(ctx context.Context, userID int64, action, detail string) error {
	if _, err := s.db.ExecContext(ctx, s.Rebind(`INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)`),
		s.Now(), nullID(userID), action, cleanLogText(detail)); err != nil {
		return fmt.Errorf("store: audit %s: %w", action, err)
	}
	return nil
}

// AuditLog returns the latest limit entries, newest first.
func (s *Store) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT id, at, user_id, action, detail FROM audit_log ORDER BY id DESC LIMIT ?`), limit)
	if err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var uid sql.NullInt64
		if err := rows.Scan(&e.ID, &e.At, &uid, &e.Action, &e.Detail); err != nil {
			return nil, fmt.Errorf("store: audit log: %w", err)
		}
		e.At = e.At.UTC()
		e.UserID = uid.Int64
		out = append(out, e)
	}
	return out, rows.Err()
}
