package cli

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"jiashu/store"
	"jiashu/store/storetest"
)

// openDir opens the database of dir (as cli runs it), closed at the end.
func openDir(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(dir, "jiashu.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestEraseFamilyShowsTheCountsFirstThenErases(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	st := openDir(t, dir)
	seed := storetest.Seed(t, st, 1, 3)
	id := strconv.FormatInt(seed.Students[0], 10)
	nameOf := func() string {
		var name string
		if err := st.DB().QueryRowContext(ctx, st.Rebind(`SELECT name FROM students WHERE id = ?`), seed.Students[0]).Scan(&name); err != nil {
			t.Fatal(err)
		}
		return name
	}
	t.Run("a dry run counts and changes nothing", func(t *testing.T) {
		code, out, errs := cli(t, dir, "erase-family", "--student", id, "--dry-run")
		if code != exitOK || !strings.Contains(out, "将删除") || !strings.Contains(out, "学生     1 名") || !strings.Contains(out, "试运行") {
			t.Fatalf("exit %d\n%s%s", code, out, errs)
		}
		if nameOf() == store.ErasedName {
			t.Fatal("a dry run erased the student")
		}
	})
	t.Run("the real run erases and says so", func(t *testing.T) {
		code, out, errs := cli(t, dir, "erase-family", "--student", id)
		if code != exitOK || !strings.Contains(out, "已删除") || !strings.Contains(out, "审计日志") {
			t.Fatalf("exit %d\n%s%s", code, out, errs)
		}
		if got := nameOf(); got != store.ErasedName {
			t.Fatalf("name %q after the erasure", got)
		}
	})
	t.Run("an unknown or erased student is said so", func(t *testing.T) {
		if code, _, errs := cli(t, dir, "erase-family", "--student", id); code != exitProblems || !strings.Contains(errs, "没有编号为") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
}

func TestRetentionUsesTheConfiguredDays(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st := openDir(t, dir)
	storetest.Seed(t, st, 1, 3)
	code, out, errs := cli(t, dir, "retention", "--dry-run", "--retention-days", "30")
	if code != exitOK || !strings.Contains(out, "满 30 天") || !strings.Contains(out, "学生     0 名") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := cli(t, dir, "retention", "--days", "-5"); code != exitUnusable {
		t.Fatalf("negative days: exit %d %s", code, errs)
	}
	if code, out, errs := cli(t, dir, "retention", "--compact"); code != exitOK || !strings.Contains(out, "已压缩") {
		t.Fatalf("compact: exit %d %s%s", code, out, errs)
	}
}

func TestCLIImportIsAudited(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if code, _, errs := cli(t, dir, "import", "--school", "实验小学", "--dry-run", fixture("clean-class.xlsx")); code != exitOK {
		t.Fatalf("dry run: exit %d %s", code, errs)
	}
	if code, _, errs := cli(t, dir, "import", "--school", "实验小学", fixture("clean-class.xlsx")); code != exitOK {
		t.Fatalf("import: exit %d %s", code, errs)
	}
	log, err := openDir(t, dir).AuditLog(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	var imports []string
	for _, e := range log {
		if e.Action == "roster_imported" {
			imports = append(imports, e.Detail)
		}
	}
	if len(imports) != 1 || !strings.Contains(imports[0], "by CLI") || !strings.Contains(imports[0], "clean-class.xlsx") {
		t.Fatalf("audit entries of imports: %q; want the real import only, naming the CLI and the file", imports)
	}
}
