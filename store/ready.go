package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// ErrReadOnly: the database answers but refuses writes (a full or
// read-only disk, a file without write permission, a PostgreSQL standby).
var ErrReadOnly = errors.New("store: database is read-only")

// errReadyRollback ends Ready's transaction without committing.
var errReadyRollback = errors.New("store: ready check rolls back")

// Ready says whether the database takes writes now, for /healthz: it
// begins a write transaction (BEGIN IMMEDIATE on SQLite, which takes the
// write lock), runs an UPDATE that changes no row, and rolls back, so it
// writes nothing. A read-only database gives ErrReadOnly; a database that
// does not answer gives its error. Give it a short deadline: on SQLite it
// waits for a writer holding the lock, up to the busy timeout.
func (s *Store) Ready(ctx context.Context) error {
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE schema_migrations SET name = name WHERE version < 0`); err != nil {
			return err
		}
		return errReadyRollback
	})
	switch {
	case errors.Is(err, errReadyRollback):
		return nil
	case isReadOnly(err):
		return fmt.Errorf("%w: %v", ErrReadOnly, err)
	default:
		return fmt.Errorf("store: not ready: %w", err)
	}
}

// isReadOnly recognises both databases' refusals to write.
func isReadOnly(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "readonly") || strings.Contains(msg, "read-only") || strings.Contains(msg, "sqlstate 25006")
}
