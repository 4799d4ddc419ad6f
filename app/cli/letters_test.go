package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"jiashu/store"
)

func TestLettersCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if code, _, errs := cli(t, dir, "import", "--school", "实验小学", fixture("school-multisheet.xlsx")); code != exitOK {
		t.Fatalf("import: exit %d %s", code, errs)
	}
	out := filepath.Join(dir, "out")

	t.Run("writes a PDF per class and a summary", func(t *testing.T) {
		code, stdout, errs := cli(t, dir, "letters", "--school", "实验小学", "--base-url", testBaseURL, "--out", out)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		files, _ := filepath.Glob(filepath.Join(out, "*.pdf"))
		if len(files) != 6 {
			t.Fatalf("%d class PDFs, want 6: %v", len(files), files)
		}
		if !strings.Contains(stdout, "240 封信") {
			t.Fatalf("summary does not count 240 letters: %s", stdout)
		}
		if _, err := os.Stat(filepath.Join(out, "一年级1班.pdf")); err != nil {
			t.Fatalf("class PDF not named by class: %v", err)
		}
	})
	t.Run("a second run prints the same codes", func(t *testing.T) {
		before := classTokens(t, dir)
		if code, _, errs := cli(t, dir, "letters", "--school", "实验小学", "--class", "七年级（2）班", "--base-url", testBaseURL, "--out", filepath.Join(dir, "again")); code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		after := classTokens(t, dir)
		if len(before) != 240 || len(after) != 240 {
			t.Fatalf("%d tokens before, %d after", len(before), len(after))
		}
		for id, tok := range before {
			if after[id] != tok {
				t.Fatalf("student %d: token changed from %s to %s", id, tok, after[id])
			}
		}
		files, _ := filepath.Glob(filepath.Join(dir, "again", "*.pdf"))
		if len(files) != 1 {
			t.Fatalf("--class wrote %v", files)
		}
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext not installed (poppler-utils)")
		}
		text, err := exec.Command("pdftotext", files[0], "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		// The typesetter sets a thin gap between Chinese and digits, which
		// pdftotext reads as a space.
		flat := strings.Join(strings.Fields(string(text)), "")
		if !strings.Contains(flat, "七年级2班") || !strings.Contains(flat, "致家长的一封信") {
			t.Fatalf("class PDF text lacks the class or the title:\n%.400s", text)
		}
	})
	t.Run("an unknown school or class is refused", func(t *testing.T) {
		if code, _, errs := cli(t, dir, "letters", "--school", "无此学校", "--base-url", testBaseURL, "--out", out); code != exitUnusable || !strings.Contains(errs, "无此学校") {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if code, _, errs := cli(t, dir, "letters", "--school", "实验小学", "--class", "九年级9班", "--base-url", testBaseURL, "--out", out); code != exitUnusable || !strings.Contains(errs, "九年级9班") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
}

// testBaseURL is a public address parents could open.
const testBaseURL = "https://jx.example.cn"

// classTokens maps student IDs to their letter tokens in the school's campaign.
func classTokens(t *testing.T, dir string) map[int64]string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "jiashu.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sch, err := st.SchoolByName(ctx, "实验小学")
	if err != nil {
		t.Fatal(err)
	}
	camp, err := st.DefaultCampaign(ctx, sch.ID)
	if err != nil {
		t.Fatal(err)
	}
	classes, err := st.Classes(ctx, sch.ID)
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[int64]string{}
	for _, c := range classes {
		ls, err := st.CampaignLetters(ctx, camp.ID, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			tokens[l.StudentID] = l.Token
		}
	}
	return tokens
}
