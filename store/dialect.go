package store

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Dialect names the SQL database behind a Store.
type Dialect string

const (
	// SQLite is modernc.org/sqlite, one file on the local disk.
	SQLite Dialect = "sqlite"
	// Postgres is PostgreSQL through pgx/v5's database/sql driver.
	Postgres Dialect = "postgres"
)

// sqlitePragmas are applied to every pooled SQLite connection: wait for
// other writers instead of failing, WAL for concurrent readers, enforce
// foreign keys, overwrite deleted content with zeros (a purge must not
// leave tokens readable in free pages), take the write lock at BEGIN, and
// write times in SQLite's own text format so date functions work on them.
var sqlitePragmas = [][2]string{
	{"_pragma", "busy_timeout(5000)"},
	{"_pragma", "journal_mode(WAL)"},
	{"_pragma", "synchronous(NORMAL)"},
	{"_pragma", "foreign_keys(1)"},
	{"_pragma", "secure_delete(1)"},
	{"_txlock", "immediate"},
	{"_time_format", "sqlite"},
}

// parseDSN picks the dialect and driver for dsn and, for SQLite, creates the
// file's directory and adds the pragmas the store relies on.
func parseDSN(dsn string) (Dialect, string, string, error) {
	if dsn == "" {
		return "", "", "", fmt.Errorf("store: empty database DSN")
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return Postgres, "pgx", dsn, nil
	}
	path, query, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	if path == "" {
		return "", "", "", fmt.Errorf("store: SQLite DSN %q names no file", dsn)
	}
	if path != ":memory:" {
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, privateDirMode); err != nil {
				return "", "", "", fmt.Errorf("store: create database directory: %w", err)
			}
		}
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", "", "", fmt.Errorf("store: SQLite DSN %q: %w", dsn, err)
	}
	have := map[string]bool{}
	for _, p := range q["_pragma"] {
		name, _, _ := strings.Cut(p, "(")
		have[strings.ToLower(strings.TrimSpace(name))] = true
	}
	for _, kv := range sqlitePragmas {
		if kv[0] == "_pragma" {
			name, _, _ := strings.Cut(kv[1], "(")
			if !have[name] {
				q.Add("_pragma", kv[1])
			}
		} else if kv[0] == "_txlock" || q.Get(kv[0]) == "" {
			// Immediate transactions are not a preference: id allocation
			// and read-then-write transactions rely on them.
			q.Set(kv[0], kv[1])
		}
	}
	return SQLite, "sqlite", "file:" + path + "?" + q.Encode(), nil
}

// sqliteFile is the file path of an SQLite source made by parseDSN.
func sqliteFile(source string) string {
	p, _, _ := strings.Cut(strings.TrimPrefix(source, "file:"), "?")
	return p
}

// rebind rewrites ? placeholders to $n for PostgreSQL.
func rebind(d Dialect, query string) string {
	if d != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	inQuote := false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// placeholders returns "(?,?,?),(?,?,?)" for rows rows of cols columns, the
// VALUES list of a multi-row insert.
func placeholders(rows, cols int) string {
	one := "(" + strings.Repeat("?,", cols-1) + "?)"
	return strings.Repeat(one+",", rows-1) + one
}
