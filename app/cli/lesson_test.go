package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"jiashu/store"
)

func TestLessonCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if code, _, errs := cli(t, dir, "import", "--school", "实验小学", fixture("school-multisheet.xlsx")); code != exitOK {
		t.Fatalf("import: exit %d %s", code, errs)
	}

	t.Run("a school gets a sheet and slides per age group of its classes", func(t *testing.T) {
		out := filepath.Join(dir, "school")
		code, stdout, errs := cli(t, dir, "lesson", "--school", "实验小学", "--out", out)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		files, _ := filepath.Glob(filepath.Join(out, "*.pdf"))
		var names []string
		for _, f := range files {
			names = append(names, filepath.Base(f))
		}
		slices.Sort(names)
		// The fixture has classes of three age groups, none of 高中.
		want := []string{"初中-主题班会教案.pdf", "初中-主题班会课件.pdf", "小学低年级-主题班会教案.pdf", "小学低年级-主题班会课件.pdf",
			"小学高年级-主题班会教案.pdf", "小学高年级-主题班会课件.pdf"}
		slices.Sort(want)
		if !slices.Equal(names, want) {
			t.Fatalf("files %v, want %v\n%s", names, want, stdout)
		}
		if !strings.Contains(stdout, "6 份") {
			t.Errorf("summary: %s", stdout)
		}
	})
	t.Run("a class's kit names the class and the day of its meeting", func(t *testing.T) {
		ctx := context.Background()
		st, err := store.Open(ctx, filepath.Join(dir, "jiashu.db"))
		if err != nil {
			t.Fatal(err)
		}
		sch, _ := st.SchoolByName(ctx, "实验小学")
		cl, err := st.ClassByGrade(ctx, sch.ID, 7, 2)
		if err == nil {
			_, err = st.RecordClassMeeting(ctx, 0, cl.ID, "2026-11-20", 0)
		}
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "class")
		if code, _, errs := cli(t, dir, "lesson", "--school", "实验小学", "--class", "七年级（2）班", "--out", out); code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext not installed")
		}
		files, _ := filepath.Glob(filepath.Join(out, "*教案.pdf"))
		if len(files) != 1 {
			t.Fatalf("sheets: %v", files)
		}
		text, err := exec.Command("pdftotext", files[0], "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		flat := strings.Join(strings.Fields(string(text)), "")
		for _, want := range []string{"实验小学", "2026年11月20日", "96110"} {
			if !strings.Contains(flat, want) {
				t.Errorf("class sheet lacks %q:\n%s", want, text)
			}
		}
	})
	t.Run("an unknown class is refused", func(t *testing.T) {
		if code, _, errs := cli(t, dir, "lesson", "--school", "实验小学", "--class", "九年级9班", "--out", filepath.Join(dir, "x")); code != exitUnusable || !strings.Contains(errs, "九年级9班") {
			t.Errorf("exit %d: %s", code, errs)
		}
		if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
			t.Error("wrote a folder for nothing")
		}
	})
}
