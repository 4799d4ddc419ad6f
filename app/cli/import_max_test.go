package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jiashu/roster/rostertest"
)

// TestImportMaxStudents: a registry export over the cap of one file is
// refused by default, saying how to lift it; --max-students lifts it.
func TestImportMaxStudents(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "学籍导出.xlsx")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := rostertest.Generate(f, 5_001, rostertest.OneSheet()); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, _, errs := cli(t, dir, "import", "--school", "全区", "--dry-run", file)
	if code != exitUnusable || !strings.Contains(errs, "上限 5000") || !strings.Contains(errs, "--max-students") {
		t.Fatalf("default cap: exit %d %s", code, errs)
	}
	code, out, errs := cli(t, dir, "import", "--school", "全区", "--dry-run", "--max-students", "6000", file)
	if code != exitOK || !strings.Contains(out, "5001") {
		t.Fatalf("--max-students 6000: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := cli(t, dir, "import", "--school", "全区", "--max-students", "-1", file); code != exitUnusable || !strings.Contains(errs, "usage") {
		t.Fatalf("negative cap: exit %d %s", code, errs)
	}
}
