package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"jiashu/store"
)

// Backup files of app backup --dir: jiashu-YYYYMMDD-HHMMSS[_N].EXT, local
// time to the second, _2, _3 … when a second already has one (so that
// the names sort by age).

// backupPattern matches the names newBackupName makes: the stamp, and the
// sequence number within the second.
var backupPattern = regexp.MustCompile(`^jiashu-(\d{8}-\d{6})(?:_(\d+))?\.(db|dump)$`)

// backupExt is the extension of a dialect's backups: an SQLite database, or
// a pg_dump archive (pg_restore reads it).
func backupExt(d store.Dialect) string {
	if d == store.Postgres {
		return "dump"
	}
	return "db"
}

// newBackupName creates dir (0700) if needed and returns the name of a
// backup taken at now: after every backup of the same second in dir, so
// that a name is never used twice, even after older ones were pruned.
func newBackupName(dir, ext string, now time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup folder: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("backup folder: %w", err)
	}
	stamp := now.Format("20060102-150405")
	last := 0
	for _, e := range entries {
		m := backupPattern.FindStringSubmatch(strings.TrimSuffix(e.Name(), ".partial"))
		if m != nil && m[1] == stamp {
			last = max(last, backupSeq(m[2]))
		}
	}
	name := fmt.Sprintf("jiashu-%s.%s", stamp, ext)
	if last > 0 {
		name = fmt.Sprintf("jiashu-%s_%d.%s", stamp, last+1, ext)
	}
	return filepath.Join(dir, name), nil
}

// backupSeq is a backup's number within its second: 1 for the first, which
// has none in its name.
func backupSeq(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return 1
}

// pruneBackups removes all but the newest keep backups of ext in dir (only
// files named as newBackupName names them) and returns their names.
func pruneBackups(dir, ext string, keep int) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	type backup struct {
		name, stamp string
		seq         int
	}
	var all []backup
	for _, e := range entries {
		m := backupPattern.FindStringSubmatch(e.Name())
		if m == nil || m[3] != ext || !e.Type().IsRegular() {
			continue
		}
		all = append(all, backup{e.Name(), m[1], backupSeq(m[2])})
	}
	slices.SortFunc(all, func(a, b backup) int { // newest first
		if c := strings.Compare(b.stamp, a.stamp); c != 0 {
			return c
		}
		return b.seq - a.seq
	})
	var removed []string
	var errs []error
	for _, b := range all[min(keep, len(all)):] {
		if err := os.Remove(filepath.Join(dir, b.name)); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, b.name)
	}
	return removed, errors.Join(errs...)
}

// pgDump writes a pg_dump custom-format archive of the PostgreSQL database
// dsn to path, which must not exist: into path.partial, created 0600 first
// (pg_dump would create it 0644 less the umask), renamed when pg_dump
// succeeded. The password goes to pg_dump in PGPASSWORD, not on its
// command line, where every local user could read it (ps).
func pgDump(ctx context.Context, dsn, path string) error {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		return fmt.Errorf("PostgreSQL 的备份需要 pg_dump（Debian/Ubuntu：apt-get install postgresql-client）：%w", err)
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s already exists", path)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return fmt.Errorf("database URL: %w", err)
	}
	env := os.Environ()
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	tmp := path + ".partial"
	os.Remove(tmp)
	if err := createPrivateFile(tmp); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, bin, "--format=custom", "--file="+tmp, "--dbname="+u.String())
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("pg_dump: %v: %s", err, strings.TrimSpace(string(out)))
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// createPrivateFile creates path, which must not exist, empty and 0600
// whatever the umask.
func createPrivateFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
