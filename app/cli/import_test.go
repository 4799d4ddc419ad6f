package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jiashu/app/campaign"
	"jiashu/store"
)

// cli runs the program in-process against the database in dir.
func cli(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if k == "JIASHU_DATA_DIR" {
			return dir
		}
		return ""
	}
	code = Run(context.Background(), args, getenv, &out, &errb)
	return code, out.String(), errb.String()
}

func fixture(name string) string { return filepath.Join("..", "..", "roster", "testdata", name) }

func decodeReport(t *testing.T, s string) campaign.ImportReport {
	t.Helper()
	var rep campaign.ImportReport
	if err := json.Unmarshal([]byte(s), &rep); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, s)
	}
	return rep
}

func activeStudents(t *testing.T, dir, school string) int {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "jiashu.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sch, err := st.SchoolByName(ctx, school)
	if err != nil {
		return 0
	}
	classes, err := st.Classes(ctx, sch.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range classes {
		n += c.ActiveStudents
	}
	return n
}

func TestImportCommand(t *testing.T) {
	t.Parallel()
	t.Run("a clean roster is imported and reported as JSON", func(t *testing.T) {
		dir := t.TempDir()
		code, out, errs := cli(t, dir, "import", "--school", "实验小学", "--json", fixture("clean-class.xlsx"))
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		rep := decodeReport(t, out)
		if rep.Students != 45 || rep.Added != 45 || len(rep.Classes) != 1 || rep.Classes[0].Name != "三年级2班" || rep.Classes[0].Grade != 3 || rep.Classes[0].Class != 2 {
			t.Fatalf("report: %+v", rep)
		}
		if n := activeStudents(t, dir, "实验小学"); n != 45 {
			t.Fatalf("%d students in the database, want 45", n)
		}
		code, out, _ = cli(t, dir, "import", "--school", "实验小学", "--json", fixture("clean-class.xlsx"))
		if rep := decodeReport(t, out); code != exitOK || rep.Unchanged != 45 || rep.Added != 0 {
			t.Fatalf("re-import: exit %d %+v", code, rep)
		}
	})
	t.Run("a dry run reports and writes nothing", func(t *testing.T) {
		dir := t.TempDir()
		code, out, _ := cli(t, dir, "import", "--school", "实验小学", "--dry-run", "--json", fixture("clean-class.xlsx"))
		if rep := decodeReport(t, out); code != exitOK || rep.Added != 45 || rep.Written {
			t.Fatalf("exit %d %+v", code, rep)
		}
		if n := activeStudents(t, dir, "实验小学"); n != 0 {
			t.Fatalf("dry run wrote %d students", n)
		}
	})
	t.Run("a roster with errors exits 1 with every problem and writes nothing", func(t *testing.T) {
		dir := t.TempDir()
		code, out, _ := cli(t, dir, "import", "--school", "实验小学", "--json", fixture("messy.xlsx"))
		rep := decodeReport(t, out)
		if code != exitProblems || rep.Errors < 3 || rep.Written {
			t.Fatalf("exit %d %+v", code, rep)
		}
		for _, p := range rep.Problems {
			if p.Sheet == "" || p.Row == 0 || p.Code == "" || p.Message == "" {
				t.Errorf("problem without location or message: %+v", p)
			}
		}
		if n := activeStudents(t, dir, "实验小学"); n != 0 {
			t.Fatalf("a file with errors wrote %d students", n)
		}
	})
	t.Run("--valid-only imports the valid rows of a roster with errors", func(t *testing.T) {
		dir := t.TempDir()
		code, out, _ := cli(t, dir, "import", "--school", "实验小学", "--valid-only", "--json", fixture("messy.xlsx"))
		rep := decodeReport(t, out)
		if code != exitOK || !rep.Written || rep.Added != rep.Students || rep.Students < 34 {
			t.Fatalf("exit %d %+v", code, rep)
		}
		if n := activeStudents(t, dir, "实验小学"); n != rep.Students {
			t.Fatalf("%d students in the database, report says %d", n, rep.Students)
		}
	})
	for _, name := range []string{"not-a-zip.xlsx", "legacy.xls", "empty.xlsx", "no-header.xlsx"} {
		t.Run("an unusable file "+name+" exits 2 with a JSON error", func(t *testing.T) {
			dir := t.TempDir()
			code, out, errs := cli(t, dir, "import", "--school", "实验小学", "--json", fixture(name))
			var e struct{ Error string }
			if code != exitUnusable || json.Unmarshal([]byte(out), &e) != nil || e.Error == "" || !strings.Contains(errs, e.Error) {
				t.Fatalf("exit %d stdout %q stderr %q", code, out, errs)
			}
		})
	}
	t.Run("a missing file or school is a usage error", func(t *testing.T) {
		if code, _, _ := cli(t, t.TempDir(), "import", fixture("clean-class.xlsx")); code != exitUnusable {
			t.Fatalf("exit %d without --school", code)
		}
		if code, _, errs := cli(t, t.TempDir(), "import", "--school", "x", "nope.xlsx"); code != exitUnusable || !strings.Contains(errs, "nope.xlsx") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
}

// TestImportTellsADamagedFileFromAnInternalFailure: a damaged file is
// refused (exit 2, the reason), a failure that is not the file's exits 70,
// so that a script never takes one for the other.
func TestImportTellsADamagedFileFromAnInternalFailure(t *testing.T) {
	t.Parallel()
	code, out, errs := cli(t, t.TempDir(), "import", "--school", "实验小学", "--json", fixture(filepath.Join("damaged", "fat-runaway.xls")))
	if code != exitUnusable || !strings.Contains(out, "文件已损坏") || !strings.Contains(errs, "另存为 .xlsx") {
		t.Errorf("damaged .xls: exit %d, stdout %q, stderr %q; want 2 and the damaged-file message", code, out, errs)
	}
	dir := t.TempDir()
	// The database path is a folder: the store cannot open it.
	if err := os.Mkdir(filepath.Join(dir, "jiashu.db"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, out, errs = cli(t, dir, "import", "--school", "实验小学", "--json", fixture("clean-class.xlsx"))
	if code != exitInternal || code == exitUnusable || !strings.Contains(out+errs, "内部错误") {
		t.Errorf("unusable database: exit %d, stdout %q, stderr %q; want %d", code, out, errs, exitInternal)
	}
}

func TestRosterTemplateCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "模板.xlsx")
	if code, _, errs := cli(t, dir, "roster-template", path); code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// The unchanged template has no student: refused with a message that
	// says so (issue 11: "checked, 0 students" read as success).
	code, out, errs := cli(t, dir, "import", "--school", "实验小学", "--class", "一年级1班", "--dry-run", "--json", path)
	if code != exitUnusable || !strings.Contains(out+errs, "文件里没有学生") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
}
