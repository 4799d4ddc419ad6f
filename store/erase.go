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
		return s.vacuumPersonalTables(ctx, "VACUUM ")
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

// personalTables are the PostgreSQL tables that hold personal data.
var personalTables = []string{"letters", "reminders", "jobs", "job_chunks", "uploads", "students", "guardians", "student_guardians"}

func (s *Store) vacuumPersonalTables(ctx context.Context, vacuum string) error {
	for _, t := range personalTables {
		if _, err := s.db.ExecContext(ctx, vacuum+t); err != nil {
			return fmt.Errorf("%w: %s%s: %v", ErrNotCompacted, vacuum, t, err)
		}
	}
	return nil
}

// CompactFull is Compact, except that on PostgreSQL it runs VACUUM FULL:
// each table that held personal data is rewritten into new files and the
// old ones removed, so the deleted rows are no longer in the database's
// files (the old files' blocks stay on the disk until reused; WAL,
// archives and dumps keep their copies until rotated). It locks each
// table (ACCESS EXCLUSIVE) while rewriting it: pages and acknowledgements
// wait, so run it in a quiet hour. On SQLite Compact already rewrites the
// whole file.
func (s *Store) CompactFull(ctx context.Context) error {
	if s.dialect == Postgres {
		return s.vacuumPersonalTables(ctx, "VACUUM FULL ")
	}
	return s.Compact(ctx)
}
