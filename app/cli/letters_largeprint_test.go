package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// grandparentRoster is a class of three: one raised by a grandmother, one
// whose first guardian is the father (the grandfather second), one by the
// mother.
const grandparentRoster = "学号,姓名,性别,年级,班级,家长姓名,与学生关系,家长手机\n" +
	"2024010101,王小雨,女,一年级,1班,李桂兰,奶奶,13912345678\n" +
	"2024010102,陈子墨,男,一年级,1班,陈建国,父亲,13812345678\n" +
	"2024010102,陈子墨,男,一年级,1班,陈德山,爷爷,13712345678\n" +
	"2024010103,赵一诺,女,一年级,1班,孙丽,母亲,13612345678\n"

// A child raised by grandparents gets the large-print letter without
// anyone asking; --large-print sets every letter so; the summary counts them.
func TestLettersLargePrint(t *testing.T) {
	t.Parallel()
	needPoppler(t)
	dir := t.TempDir()
	roster := filepath.Join(dir, "一年级1班.csv")
	if err := os.WriteFile(roster, []byte(grandparentRoster), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := cli(t, dir, "import", "--school", "阳光小学", roster); code != exitOK {
		t.Fatalf("import: exit %d %s", code, errs)
	}

	t.Run("a grandmother's grandchild gets large print, the others do not", func(t *testing.T) {
		out := filepath.Join(dir, "auto")
		code, stdout, errs := cli(t, dir, "letters", "--school", "阳光小学", "--base-url", testBaseURL, "--out", out)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if !strings.Contains(stdout, "3 封信（大字版 1 封）") {
			t.Fatalf("summary does not count one large-print letter: %s", stdout)
		}
		pdf := filepath.Join(out, "一年级1班.pdf")
		// One page each for the parents, two for the grandmother.
		if n := pdfPages(t, pdf); n != 4 {
			t.Fatalf("%d pages, want 4 (1 + 2 + 1)", n)
		}
		// Page 1 and 2 are 王小雨's large-print letter: her name on the
		// first, the slip with her name on the second.
		for page, want := range map[string]string{"1": "王小雨", "2": "王小雨", "3": "陈子墨", "4": "赵一诺"} {
			if text := pdfPageText(t, pdf, page); !strings.Contains(text, want) {
				t.Fatalf("page %s lacks %s:\n%.300s", page, want, text)
			}
		}
	})
	t.Run("--large-print sets every letter in large print", func(t *testing.T) {
		out := filepath.Join(dir, "all")
		code, stdout, errs := cli(t, dir, "letters", "--school", "阳光小学", "--large-print", "--base-url", testBaseURL, "--out", out)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if !strings.Contains(stdout, "3 封信（大字版 3 封）") || !strings.Contains(stdout, "6 页") {
			t.Fatalf("summary: %s", stdout)
		}
		if n := pdfPages(t, filepath.Join(out, "一年级1班.pdf")); n != 6 {
			t.Fatalf("%d pages, want 6", n)
		}
	})
}

func needPoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdfinfo", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s (poppler-utils) is not installed", tool)
		}
	}
}

var pagesLine = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

func pdfPages(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := pagesLine.FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo: no page count:\n%s", out)
	}
	n := 0
	for _, c := range m[1] {
		n = n*10 + int(c-'0')
	}
	return n
}

// pdfPageText is the text of one page, spaces removed (the typesetter's
// thin gaps read as spaces).
func pdfPageText(t *testing.T, path, page string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-f", page, "-l", page, path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}
