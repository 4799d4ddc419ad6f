// Package store is the persistence of the whole product: schools, classes,
// students and guardians, users, campaigns, letters and the audit log. One
// API serves two backends chosen by the DSN: SQLite (modernc.org/sqlite, a
// file path or file: URI) for a single machine, and PostgreSQL (pgx/v5,
// postgres:// or postgresql://) when several instances share a database.
//
// Queries are written once with ? placeholders and passed through Rebind;
// the few statements that differ between the databases are chosen by
// Dialect. Every file in this package follows that pattern: see README.md in
// this folder for how to add a table (a migration per dialect) or a new
// store file.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	// The two database/sql drivers the store speaks.
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"jiashu/problem"
)

// ErrNotFound is returned (wrapped) when a looked-up row does not exist:
// a failure the pages answer "not found" (problem.NotFound).
var ErrNotFound error = &problem.Error{Code: problem.NotFound, Key: "error.not_found", Err: errors.New("store: not found")}

// Store is a handle on the database. It is safe for concurrent use.
type Store struct {
	db      *sql.DB
	dialect Dialect
	now     func() time.Time

	// smallImport: see defaultSmallImport; tests lower it to cover the
	// whole-school path with small rosters.
	smallImport int

	loginPolicy LoginPolicy

	// writeMu is WriteLock on SQLite.
	writeMu sync.Mutex

	randMu sync.Mutex
	rand   io.Reader

	// path is the SQLite file ("" for PostgreSQL and :memory:); unlock
	// releases the shared lock held on it while the store is open.
	path       string
	unlock     func()
	unlockOnce sync.Once
}

// Option adjusts a Store opened by Open.
type Option func(*Store)

// WithClock makes the store read the time from now instead of time.Now;
// tests use it to get deterministic timestamps. Times are stored in UTC.
func WithClock(now func() time.Time) Option {
	return func(s *Store) { s.now = now }
}

// WithRandom makes the store draw letter tokens from r instead of
// crypto/rand; tests use it to get deterministic tokens.
func WithRandom(r io.Reader) Option {
	return func(s *Store) { s.rand = r }
}

// Open connects to the database named by dsn, creating the SQLite file's
// directory if needed, and applies the embedded migrations that have not run
// yet. A dsn starting with postgres:// or postgresql:// selects PostgreSQL;
// anything else is an SQLite file path or file: URI.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	s := &Store{now: time.Now, rand: rand.Reader, smallImport: defaultSmallImport, loginPolicy: DefaultLoginPolicy}
	for _, o := range opts {
		o(s)
	}
	dialect, driver, source, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	s.dialect = dialect
	s.unlock = func() {}
	if p := sqliteFile(source); dialect == SQLite && p != ":memory:" {
		if err := privateDatabaseFile(p, source); err != nil {
			return nil, err
		}
		if s.unlock, err = lockDatabase(p, false); err != nil {
			return nil, err
		}
		s.path = p
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		s.unlock()
		return nil, fmt.Errorf("store: open %s: %w", dialect, err)
	}
	switch {
	case dialect == SQLite && strings.Contains(source, ":memory:"):
		// Every connection to :memory: is a database of its own.
		db.SetMaxOpenConns(1)
	case dialect == SQLite:
		// Writers queue on the database lock anyway; a modest pool keeps
		// readers concurrent under WAL without piling up connections.
		db.SetMaxOpenConns(16)
		db.SetMaxIdleConns(16)
	default:
		db.SetMaxOpenConns(32)
		db.SetMaxIdleConns(32)
	}
	db.SetConnMaxIdleTime(5 * time.Minute)
	s.db = db
	if err := s.ping(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: connect %s: %w", dialect, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// ping opens the first connection. On SQLite that connection's pragmas
// switch a new file to WAL, which needs the file to itself and fails at once
// with SQLITE_BUSY (the busy timeout does not cover it) when another
// process is doing the same: so it is retried for a few seconds.
func (s *Store) ping(ctx context.Context) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := s.db.PingContext(ctx)
		if err == nil || s.dialect != SQLite || !strings.Contains(err.Error(), "SQLITE_BUSY") || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Close closes the database and, on SQLite, releases the file's lock.
func (s *Store) Close() error {
	err := s.db.Close()
	s.unlockOnce.Do(s.unlock)
	return err
}

// Dialect says which database the store talks to.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB exposes the pool for store files that need it; code outside the store
// should use the store's methods.
func (s *Store) DB() *sql.DB { return s.db }

// Now is the store's clock in UTC, the time written to created_at and
// similar columns.
func (s *Store) Now() time.Time { return s.now().UTC() }

// Rebind turns a query written with ? placeholders into the dialect's form
// ($1, $2 … on PostgreSQL). Question marks inside single-quoted literals are
// left alone.
func (s *Store) Rebind(query string) string { return rebind(s.dialect, query) }

// Tx runs fn in a transaction, committing when fn returns nil and rolling
// back otherwise. On SQLite the transaction is BEGIN IMMEDIATE (from the
// DSN), so a transaction that reads then writes never fails with
// SQLITE_BUSY halfway; it waits up to the busy timeout for other writers.
func (s *Store) Tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// readTx runs fn in a read-only transaction, always rolled back: one
// consistent snapshot for several queries without the write lock (SQLite
// begins it DEFERRED whatever the DSN says) and, on PostgreSQL, REPEATABLE
// READ so every query sees the same snapshot.
func (s *Store) readTx(ctx context.Context, fn func(*sql.Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}

// queryer is what *sql.DB and *sql.Tx share, so read helpers work in and
// out of transactions.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// notFound wraps ErrNotFound when err is sql.ErrNoRows.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %s", ErrNotFound, what)
	}
	return fmt.Errorf("store: %s: %w", what, err)
}
