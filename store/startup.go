package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Several instances may start together on one database (the first
// deployment of two replicas does). Migrations hold their own lock
// (migrate.go); CreateFirstUser creates the first account only on an empty
// database, atomically; AtStart runs whatever else an instance does once per
// database at start (the demo's seeding) one instance at a time, so the
// later ones find it done.

// CreateFirstUser creates u if the database has no user yet, as one step
// that instances starting together cannot both take: created is false
// (and nothing written) when there was a user already.
func (s *Store) CreateFirstUser(ctx context.Context, u User) (made User, created bool, err error) {
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		if s.dialect == Postgres {
			// SQLite's immediate transaction already excludes other writers.
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('jiashu first user ' || current_schema()))`); err != nil {
				return err
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil || n > 0 {
			return err
		}
		made, err = s.insertUser(ctx, tx, u)
		created = err == nil
		return err
	})
	if err != nil {
		return User{}, false, fmt.Errorf("store: first user: %w", err)
	}
	return made, created, nil
}

// AtStart runs fn while no other instance runs its own AtStart on this
// database: a session advisory lock on PostgreSQL (per schema), an
// exclusive lock on FILE.start beside an SQLite file. It waits for the
// other instance as long as ctx allows.
func (s *Store) AtStart(ctx context.Context, fn func() error) error {
	unlock, err := s.startLock(ctx)
	if err != nil {
		return fmt.Errorf("store: start-up lock: %w", err)
	}
	defer unlock()
	return fn()
}

// startLock takes the start-up lock of AtStart.
func (s *Store) startLock(ctx context.Context) (func(), error) {
	if s.dialect == SQLite {
		if s.path == "" {
			return func() {}, nil // :memory: is this process's alone
		}
		return lockFileWait(ctx, s.path+".start")
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	const key = `hashtext('jiashu start ' || current_schema())`
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(`+key+`)`); err != nil {
		conn.Close()
		return nil, err
	}
	return func() {
		// A fresh context: the unlock must happen even when ctx has ended
		// (closing the connection would release the lock as well).
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn.ExecContext(ctx, `SELECT pg_advisory_unlock(`+key+`)`)
		conn.Close()
	}, nil
}
