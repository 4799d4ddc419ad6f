package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Files only the service can read. The database holds children's and
// parents' names and phone numbers: its file, its write-ahead log and
// shared memory, the lock beside it and every backup are created 0600 and
// their folders 0700, whatever the umask of the process that creates
// them. SQLite itself would create the database 0644 less the umask
// (-rw-r--r-- under the usual 022), and gives its -wal and -shm files the
// database file's mode: so the database file is made here first, 0600,
// and SQLite's side files follow it. The deployment also sets UMask=0077
// (docs/deploy.md) and the program its umask at start; this does not rely
// on either.

const (
	privateFileMode = 0o600
	privateDirMode  = 0o700
)

// privateDatabaseFile creates the SQLite file of source 0600 if it does
// not exist (not for a read-only or in-memory source), and takes group and
// other permissions away from an existing one and its -wal and -shm files
// (best effort: a file of another owner is left as it is, and SQLite then
// says whether it can use it).
func privateDatabaseFile(path, source string) error {
	_, query, _ := strings.Cut(source, "?")
	if strings.Contains(query, "mode=ro") || strings.Contains(query, "mode=memory") {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, privateFileMode)
	switch {
	case err == nil:
		if err := f.Chmod(privateFileMode); err != nil { // the umask cannot widen it, but a default ACL could
			f.Close()
			return fmt.Errorf("store: %s: %w", path, err)
		}
		return f.Close()
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("store: create %s: %w", path, err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o077 != 0 {
			os.Chmod(p, fi.Mode().Perm()&0o700)
		}
	}
	return nil
}

// createPrivate creates path, which must not exist, as an empty file 0600.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, privateFileMode)
	if err != nil {
		return err
	}
	if err := f.Chmod(privateFileMode); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
