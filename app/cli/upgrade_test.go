package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpgradingARunningCampaignToNewContent follows the README's upgrade
// to the letters' third edition from the command line: the shipped content
// is exported from a new database, imported as a draft, reviewed, and the
// running campaign moved to it; letters already produced keep the version
// they were printed with (reprinted too), letters produced afterwards
// follow the new one.
func TestUpgradingARunningCampaignToNewContent(t *testing.T) {
	t.Parallel()
	needPoppler(t)
	dir, roster, run := pairClass(t)
	run("user", "add", "--username", "center", "--role", "district_admin")
	run("user", "add", "--username", "reviewer", "--role", "reviewer")
	run("import", "--school", "阳光小学", roster)
	letters := filepath.Join(dir, "letters")
	run("letters", "--school", "阳光小学", "--base-url", testBaseURL, "--out", letters)
	name := latestCampaign(t, dir)

	// Step 1: the shipped content, from a new database, as a draft.
	shipped := filepath.Join(dir, "third")
	run("content", "export", "--db", filepath.Join(t.TempDir(), "new.db"), "--out", shipped)
	tpl := filepath.Join(shipped, "templates", "primary-lower.txt")
	b, err := os.ReadFile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	const closing, edited = "感谢您对学校工作的支持，", "感谢您一学期来对学校工作的支持，"
	if !strings.Contains(string(b), closing) {
		t.Fatalf("%s has no %q", tpl, closing)
	}
	os.WriteFile(tpl, []byte(strings.Replace(string(b), closing, edited, 1)), 0o600)
	if out := run("content", "import", "--from", shipped, "--author", "center"); strings.TrimSpace(out) != "version 2" {
		t.Fatalf("import: %q", out)
	}
	t.Run("only an approved version can be moved to", func(t *testing.T) {
		for version, want := range map[string]string{"2": "只能选用已审核", "9": "没有第 9 版内容"} {
			code, _, errs := cli(t, dir, "campaign", "content", "--name", name, "--content-version", version)
			if code != exitProblems || !strings.Contains(errs, want) {
				t.Errorf("version %s: exit %d %q", version, code, errs)
			}
		}
	})
	// Step 2: reviewed by someone else. Step 3: the campaign moves.
	run("content", "submit", "--version", "2", "--as", "center")
	run("content", "approve", "--version", "2", "--as", "reviewer")
	out := run("campaign", "content", "--name", name, "--content-version", "2")
	if !strings.Contains(out, "此后生成的家书用内容第2版") || !strings.Contains(out, "已生成的 5 封信用第1版") {
		t.Errorf("move: %s", out)
	}
	if list := run("campaign", "list"); !strings.Contains(list, name) || !strings.Contains(strings.Fields(strings.Split(list, "\n")[1])[4], "2") {
		t.Errorf("the campaign does not pin version 2:\n%s", list)
	}
	t.Run("letters already produced keep their version, new ones follow the new", func(t *testing.T) {
		more := filepath.Join(dir, "more.csv")
		row := "2024010106,钱多多,女,三年级,1班,江老师,钱芳,母亲,13312345678\n"
		if err := os.WriteFile(more, []byte(pairRoster+row), 0o600); err != nil {
			t.Fatal(err)
		}
		run("import", "--school", "阳光小学", more)
		run("letters", "--school", "阳光小学", "--base-url", testBaseURL, "--out", letters)
		pdf := filepath.Join(letters, "三年级1班.pdf")
		flat := func(page string) string {
			return strings.NewReplacer("\n", "", " ", "").Replace(pdfPageText(t, pdf, page))
		}
		if n := pdfPages(t, pdf); n != 4*2+2 {
			t.Fatalf("%d pages, want 10", n)
		}
		if p := flat("10"); !strings.Contains(p, "钱多多") || !strings.Contains(p, edited) {
			t.Errorf("the new student's letter does not follow version 2: %.300s", p)
		}
		if p := flat("9"); !strings.Contains(p, "阿卜杜热合曼") || !strings.Contains(p, closing) || strings.Contains(p, edited) {
			t.Errorf("the father's letter, produced before the move, changed its text: %.200s", p)
		}
	})
}
