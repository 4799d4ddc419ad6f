package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestReportCLI(t *testing.T) {
	dir := t.TempDir()
	newReachFixture(t, filepath.Join(dir, "jiashu.db"))
	t.Run("the district report is written with its sheets and counted in the audit log", func(t *testing.T) {
		out := filepath.Join(dir, "全区.xlsx")
		code, stdout, stderr := cli(t, dir, "report", "--campaign", "2026秋季反诈家书", "--out", out)
		if code != exitOK || !strings.Contains(stdout, "已回执 4（57%）") {
			t.Fatalf("code %d: %s %s", code, stdout, stderr)
		}
		x, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		if sheets := x.GetSheetList(); len(sheets) != 4 || sheets[0] != "汇总" {
			t.Errorf("sheets %q", sheets)
		}
	})
	t.Run("one school's report has that school only", func(t *testing.T) {
		out := filepath.Join(dir, "阳光.xlsx")
		code, stdout, stderr := cli(t, dir, "report", "--campaign", "2026秋季反诈家书", "--school", "阳光小学", "--out", out)
		if code != exitOK || !strings.Contains(stdout, "在读学生 6") {
			t.Fatalf("code %d: %s %s", code, stdout, stderr)
		}
	})
	t.Run("an unknown campaign or school is refused in Chinese and writes nothing", func(t *testing.T) {
		out := filepath.Join(dir, "x.xlsx")
		for _, args := range [][]string{
			{"report", "--campaign", "无此活动", "--out", out},
			{"report", "--campaign", "2026秋季反诈家书", "--school", "无此校", "--out", out},
			{"report", "--campaign", "2026秋季反诈家书"},
		} {
			code, _, stderr := cli(t, dir, args...)
			if code != exitUnusable || stderr == "" {
				t.Errorf("%v: code %d %q", args, code, stderr)
			}
		}
		if _, err := excelize.OpenFile(out); err == nil {
			t.Error("a refused report was written")
		}
	})
}
