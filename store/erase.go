package store

import (
	"context"
	"errors"
	"fmt"
)

// Deleted rows must not stay readable in the database file. On SQLite every
// connection runs with secure_delete on (dialect.go), so deleted content is
// overwritten with zeros; Compact then rewrites the file (VACUUM) and
// empties the write-ahead log, which still holds the pages as they were
// before the delete. PostgreSQL: see README.md (VACUUM, and its limits).

// ErrNotCompacted: personal data was deleted (the purge or erasure has
// happened and is committed) but the database file could not be rewritten
// yet; run Compact again when the database is quieter.
var ErrNotCompacted = errors.New("store: deleted data not yet erased from the database file")

// Compact erases deleted data from the SQLite file: VACUUM rewrites it
// without free pages, then a TRUNCATE checkpoint copies the log into the
// file and empties the log. It waits for writers like any write (busy
// timeout). On PostgreSQL it runs a plain VACUUM of the tables that held
// personal data, which marks their space reusable but does not overwrite it.
func (s *Store) Compact(ctx context.Context) error {
	if s.dialect == Postgres {
		for _, t := range []string{"letters", "reminders", "jobs", "job_chunks", "uploads", "students", "guardians", "student_guardians"} {
			if _, err := s.db.ExecContext(ctx, `VACUUM `+t); err != nil {
				return fmt.Errorf("%w: vacuum %s: %v", ErrNotCompacted, t, err)
			}
		}
		return nil
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("%w: vacuum: %v", ErrNotCompacted, err)
	}
	var busy, logged, moved int
	if err := s.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &moved); err != nil {
		return fmt.Errorf("%w: checkpoint: %v", ErrNotCompacted, err)
	}
	if busy != 0 {
		return fmt.Errorf("%w: checkpoint blocked by a reader", ErrNotCompacted)
	}
	return nil
}
