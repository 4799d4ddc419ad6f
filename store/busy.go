package store

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// IsBusy reports whether err says the database is too busy to answer now,
// so that the request may simply be tried again: SQLite's SQLITE_BUSY and
// SQLITE_LOCKED (the busy timeout ran out while another connection held
// the write lock), or PostgreSQL's serialization failure, deadlock, lock
// not available and too many connections. Callers answer it as "try again
// later", never as an internal error.
func IsBusy(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "40001", "40P01", "55P03", "53300":
			return true
		}
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "SQLITE_LOCKED") || strings.Contains(msg, "database is locked")
}
