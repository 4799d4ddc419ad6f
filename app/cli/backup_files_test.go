//go:build unix

package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"jiashu/store/storetest"
)

// TestBackupsOfADayCoexistAndOnlyTheNewestAreKept: under a umask that takes
// nothing away, `app backup --dir` four times in a row (the same second, so
// the same day) succeeds each time, never overwriting, every file 0600 in a
// folder 0700; --keep 2 leaves the two newest. On PostgreSQL the same
// command writes pg_dump archives that pg_restore reads. Not parallel: the
// umask belongs to the whole process.
func TestBackupsOfADayCoexistAndOnlyTheNewestAreKept(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dbs := map[string]string{"sqlite": filepath.Join(t.TempDir(), "jiashu.db")}
	if dsn := os.Getenv(storetest.PostgresEnv); dsn == "" {
		t.Log("PostgreSQL half skipped: " + storetest.PostgresEnv + " is not set")
	} else if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Log("PostgreSQL half skipped: pg_dump is not installed")
	} else {
		dbs["postgres"] = databaseOfItsOwn(t, dsn)
	}
	for kind, db := range dbs {
		t.Run(kind, func(t *testing.T) {
			storetest.Seed(t, storetest.Open(t, db), 1, 5)
			dir := filepath.Join(t.TempDir(), "backups")
			var written []string
			for i := range 4 {
				code, out, errs := runEnv(t, map[string]string{"JIASHU_DB": db}, "backup", "--dir", dir, "--keep", "2")
				if code != exitOK {
					t.Fatalf("backup %d: exit %d %s%s", i+1, code, out, errs)
				}
				path := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(out, "\n", 2)[0], "已备份到 "))
				written = append(written, filepath.Base(path))
				wantFileMode(t, path, 0o600)
			}
			wantFileMode(t, dir, 0o700|os.ModeDir)
			if sorted := slices.Sorted(slices.Values(written)); len(slices.Compact(sorted)) != 4 || !slices.Equal(sorted, written) {
				t.Fatalf("a backup reused a name, or names do not sort by age: %v", written)
			}
			left, _ := os.ReadDir(dir)
			var names []string
			for _, e := range left {
				names = append(names, e.Name())
			}
			if !slices.Equal(names, written[2:]) {
				t.Fatalf("kept %v, want the newest two of %v", names, written)
			}
			if kind == "postgres" {
				if out, err := exec.Command("pg_restore", "--list", filepath.Join(dir, names[1])).CombinedOutput(); err != nil || !strings.Contains(string(out), "TABLE DATA public students") {
					t.Fatalf("pg_restore --list: %v\n%s", err, out)
				}
			}
		})
	}
}

// runEnv runs a command in-process with env as its whole environment.
func runEnv(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, func(k string) string { return env[k] }, &out, &errb)
	return code, out.String(), errb.String()
}

// databaseOfItsOwn creates a PostgreSQL database for the test (pg_dump
// dumps a database; the tests' schemas come and go in the shared one) and
// drops it when the test ends.
func databaseOfItsOwn(t *testing.T, dsn string) string {
	t.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("jiashu_backup_%d", os.Getpid())
	admin.Exec("DROP DATABASE IF EXISTS " + name)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		t.Skipf("PostgreSQL half skipped: cannot create a database: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE " + name + " WITH (FORCE)")
		admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func wantFileMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode() & (os.ModeDir | os.ModePerm); got != want {
		t.Errorf("%s: %v, want %v", path, got, want)
	}
}

// TestLettersAndReportsOnlyTheirOwnerCanRead: under a umask that takes
// nothing away, the letters (children's names, parents' codes) and the
// report a command writes are 0600, in folders 0700. Not parallel: the
// umask belongs to the whole process.
func TestLettersAndReportsOnlyTheirOwnerCanRead(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := t.TempDir()
	st := storetest.Open(t, filepath.Join(dir, "jiashu.db"))
	storetest.Seed(t, st, 1, 3)
	st.Close()
	out := filepath.Join(dir, "letters")
	if code, stdout, errs := cli(t, dir, "letters", "--school", "阳光实验小学", "--base-url", "https://jx.example.edu.cn", "--out", out); code != exitOK {
		t.Fatalf("letters: exit %d %s%s", code, stdout, errs)
	}
	report := filepath.Join(dir, "回执报表.xlsx")
	if code, stdout, errs := cli(t, dir, "report", "--campaign", "2026年秋季防诈家书", "--out", report); code != exitOK {
		t.Fatalf("report: exit %d %s%s", code, stdout, errs)
	}
	wantFileMode(t, out, 0o700|os.ModeDir)
	pdfs, _ := filepath.Glob(filepath.Join(out, "*.pdf"))
	if len(pdfs) == 0 {
		t.Fatal("no letters written")
	}
	for _, p := range append(pdfs, report, filepath.Join(dir, "jiashu.db")) {
		wantFileMode(t, p, 0o600)
	}
}
