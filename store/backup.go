package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Backup and restore of the SQLite database. A backup is VACUUM INTO: one
// read transaction, so the copy is the database as it was when the backup
// began, while the server goes on writing (WAL lets writers continue). A
// restore replaces the file only when no Store has it open: every Store on
// an SQLite file holds a shared lock on FILE.lock for its lifetime
// (lockfile_unix.go), and Restore needs the exclusive one, which it keeps
// while it works, so a server cannot start halfway through either.
// PostgreSQL: pg_dump and pg_restore (docs).

var (
	// ErrDatabaseInUse: a running program has the database open.
	ErrDatabaseInUse = errors.New("store: the database is in use; stop the service first")
	// ErrNotSQLite: backup and restore here are for SQLite only.
	ErrNotSQLite = errors.New("store: backup and restore here are for SQLite; use pg_dump and pg_restore for PostgreSQL")
	// ErrBadBackup: the file to restore is not a sound backup of this service.
	ErrBadBackup = errors.New("store: not a usable backup")
)

// Backup writes a consistent copy of the database to path, which must not
// exist yet. The copy is made under a temporary name beside path and
// renamed when complete, so path never holds half a backup.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != SQLite || s.path == "" {
		return ErrNotSQLite
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup: %s already exists", path)
	}
	tmp := path + ".partial"
	os.Remove(tmp)
	// VACUUM INTO writes into an empty file as into a new one: made here
	// 0600, so the copy is never readable by others (filemode.go).
	if err := createPrivate(tmp); err != nil {
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	return syncDir(filepath.Dir(path))
}

// Restore replaces the SQLite database at dbPath by the backup at
// backupPath. It refuses (ErrDatabaseInUse) while any Store has dbPath
// open, and (ErrBadBackup) a file that is not a sound database of this
// service. The old file's write-ahead log is removed with it: replayed on
// the restored file it would corrupt it.
func Restore(ctx context.Context, backupPath, dbPath string) error {
	if strings.HasPrefix(dbPath, "postgres://") || strings.HasPrefix(dbPath, "postgresql://") {
		return ErrNotSQLite
	}
	dbPath = strings.TrimPrefix(dbPath, "file:")
	if i := strings.IndexByte(dbPath, '?'); i >= 0 {
		dbPath = dbPath[:i]
	}
	unlock, err := lockDatabase(dbPath, true)
	if err != nil {
		return err
	}
	defer unlock()
	if err := checkBackup(ctx, backupPath); err != nil {
		return err
	}
	tmp := dbPath + ".restoring"
	if err := copyFile(backupPath, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: restore: %w", err)
	}
	for _, side := range []string{dbPath + "-wal", dbPath + "-shm", dbPath + "-journal"} {
		if err := os.Remove(side); err != nil && !os.IsNotExist(err) {
			os.Remove(tmp)
			return fmt.Errorf("store: restore: %w", err)
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: restore: %w", err)
	}
	return syncDir(filepath.Dir(dbPath))
}

// checkBackup opens the backup read-only: it must pass SQLite's quick check
// and carry this service's migrations.
func checkBackup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("%w: %v", ErrBadBackup, err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadBackup, err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&check); err != nil || check != "ok" {
		return fmt.Errorf("%w: %s: quick_check %q %v", ErrBadBackup, path, check, err)
	}
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil || !v.Valid {
		return fmt.Errorf("%w: %s has no schema of this service (%v)", ErrBadBackup, path, err)
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, privateFileMode)
	if err != nil {
		return err
	}
	if err := out.Chmod(privateFileMode); err != nil { // a file left over keeps its old mode
		out.Close()
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("store: sync %s: %w", dir, err)
	}
	defer d.Close()
	d.Sync() // not every file system syncs directories; the rename is done either way
	return nil
}
