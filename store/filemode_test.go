//go:build unix

package store

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestDatabaseFilesOnlyTheServiceCanRead: under a umask that takes nothing
// away (000), the database folder SQLite's DSN names is created 0700 and the
// database, its write-ahead log and shared memory, its lock and a backup
// are 0600, so no other local user can read a child's name; a database
// left readable by an older version is made private when opened. Not
// parallel: the umask belongs to the whole process.
func TestDatabaseFilesOnlyTheServiceCanRead(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	db := filepath.Join(dir, "jiashu.db")
	s := openTest(t, db, 1)
	sc := mustSchool(t, s, "阳光小学")
	mustImport(t, s, sc.ID, ImportOptions{}, genClass(3, 1, 1, 20)) // writes: the -wal and -shm exist
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	wantMode(t, dir, 0o700|os.ModeDir)
	for _, p := range []string{db, db + "-wal", db + "-shm", db + ".lock", backup} {
		wantMode(t, p, 0o600)
	}
	s.Close()

	// An older version's files, -rw-r--r--, are tightened at the next start.
	for _, p := range []string{db, db + "-wal", db + "-shm"} {
		if err := os.Chmod(p, 0o644); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	s = openTest(t, db, 1)
	if _, err := s.Schools(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{db, db + "-wal", db + "-shm"} {
		if _, err := os.Stat(p); err == nil {
			wantMode(t, p, 0o600)
		}
	}
}

func wantMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode() & (os.ModeDir | os.ModePerm); got != want {
		t.Errorf("%s: %v, want %v", filepath.Base(path), got, want)
	}
}
