package cli

import (
	"context"
	"jiashu/store"
	"jiashu/store/storetest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestReportCLI(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st := storetest.Open(t, filepath.Join(dir, "jiashu.db"))
	sc := storetest.Seed(t, st, 1, 4)
	for _, tok := range sc.Tokens[:2] {
		if _, err := st.Acknowledge(context.Background(), store.Ack{LetterID: letterID(t, st, tok), Channel: store.ChannelQR, Relation: "母亲"}); err != nil {
			t.Fatal(err)
		}
	}
	const camp = "2026年秋季防诈家书"
	t.Run("the district report is written with its sheets and counted in the audit log", func(t *testing.T) {
		out := filepath.Join(dir, "全区.xlsx")
		code, stdout, stderr := cli(t, dir, "report", "--campaign", camp, "--out", out)
		if code != exitOK || !strings.Contains(stdout, "已回执 2（50%）") {
			t.Fatalf("code %d: %s %s", code, stdout, stderr)
		}
		x, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		if sheets := x.GetSheetList(); len(sheets) != 3 || sheets[0] != "汇总" {
			t.Errorf("sheets %q", sheets)
		}
	})
	t.Run("one school's report has that school only", func(t *testing.T) {
		out := filepath.Join(dir, "阳光.xlsx")
		code, stdout, stderr := cli(t, dir, "report", "--campaign", camp, "--school", "阳光实验小学", "--out", out)
		if code != exitOK || !strings.Contains(stdout, "在读学生 4") {
			t.Fatalf("code %d: %s %s", code, stdout, stderr)
		}
	})
	t.Run("an unknown campaign or school is refused in Chinese and writes nothing", func(t *testing.T) {
		out := filepath.Join(dir, "x.xlsx")
		for _, args := range [][]string{
			{"report", "--campaign", "无此活动", "--out", out},
			{"report", "--campaign", camp, "--school", "无此校", "--out", out},
			{"report", "--campaign", camp},
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
