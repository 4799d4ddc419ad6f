package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// migrations holds the schema, one folder per dialect. Files are named
// NNN_what.sql; each runs once, in order, and is recorded in
// schema_migrations. Never edit a file that has been released: add the next
// number instead, in both folders.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// migrationLockKey is the PostgreSQL advisory lock held while migrating, so
// two instances starting together do not both apply the same file.
const migrationLockKey = 7_263_514_001

// beforeMigration holds checks that run, in the migration transaction,
// before the migration of that version; an error stops the upgrade with
// its message and leaves the schema as it was.
var beforeMigration = map[int]func(context.Context, *sql.Tx) error{
	10: refuseCaseDuplicateUsernames,
}

// afterMigration holds steps that run, in the migration transaction, right
// after the migration of that version (data the SQL alone cannot write).
var afterMigration = map[int]func(*Store, context.Context, *sql.Tx) error{
	16: (*Store).seedContent,
}

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the embedded files of dialect d, sorted by version.
func loadMigrations(d Dialect) ([]migration, error) {
	dir := "migrations/" + string(d)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	var ms []migration
	seen := map[int]string{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("store: migration %s: name must start with a number and _", name)
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("store: migrations %s and %s share version %d", other, name, v)
		}
		seen[v] = name
		body, err := fs.ReadFile(migrations, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("store: migration %s: %w", name, err)
		}
		ms = append(ms, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate applies the pending migrations in one transaction. On SQLite the
// immediate transaction already excludes other writers; on PostgreSQL a
// transaction-scoped advisory lock does, and DDL is transactional, so a
// failed migration leaves the schema as it was.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations(s.dialect)
	if err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *sql.Tx) error {
		if s.dialect == Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLockKey)); err != nil {
				return fmt.Errorf("store: migration lock: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY,
			name TEXT NOT NULL,
			applied_at TIMESTAMP NOT NULL)`); err != nil {
			return fmt.Errorf("store: create schema_migrations: %w", err)
		}
		applied := map[int]bool{}
		rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_migrations`)
		if err != nil {
			return fmt.Errorf("store: read schema_migrations: %w", err)
		}
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return fmt.Errorf("store: read schema_migrations: %w", err)
			}
			applied[v] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: read schema_migrations: %w", err)
		}
		for _, m := range ms {
			if applied[m.version] {
				continue
			}
			if check := beforeMigration[m.version]; check != nil {
				if err := check(ctx, tx); err != nil {
					return fmt.Errorf("store: migration %s refused: %w", m.name, err)
				}
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("store: migration %s (%s): %w", m.name, s.dialect, err)
			}
			if after := afterMigration[m.version]; after != nil {
				if err := after(s, ctx, tx); err != nil {
					return fmt.Errorf("store: migration %s (%s): %w", m.name, s.dialect, err)
				}
			}
			if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
				m.version, m.name, s.Now()); err != nil {
				return fmt.Errorf("store: record migration %s: %w", m.name, err)
			}
		}
		return nil
	})
}

// SchemaVersion is the highest migration applied, for health checks.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return int(v.Int64), nil
}
