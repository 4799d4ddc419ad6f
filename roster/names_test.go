package roster

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestNamesThatAreMarkupOrHideCharactersAreWarnedAbout: such names are
// imported (they may be all the school has) with a warning on their row
// and column that says what is wrong and what to do.
func TestNamesThatAreMarkupOrHideCharactersAreWarnedAbout(t *testing.T) {
	t.Parallel()
	data := book(t, func(f *excelize.File) {
		rowsAt(t, f, "Sheet1", 1, []any{"学号", "姓名", "家长姓名", "家长手机"},
			[]any{"1", "<b>赵</b>六", "赵大", "13800138000"},
			[]any{"2", "钱\u202a七", "钱大", "13800138001"},
			[]any{"3", "孙\u202e八九", "孙大", "13800138002"},
			[]any{"4", "李四", "&lt;script&gt;", "13800138003"},
			[]any{"5", "周五 <3", "周大", "13800138004"},
			[]any{"6", "吴\u200f六", "吴大", "13800138005"})
	})
	res, err := Parse(context.Background(), bytes.NewReader(data), Options{Class: "三年级2班"})
	if err != nil {
		t.Fatal(err)
	}
	if n := countStudents(res); n != 6 {
		t.Errorf("%d students imported, want all 6", n)
	}
	want := map[int]struct{ column, code, says string }{
		2: {"姓名", "name_markup", "网页代码"},
		3: {"姓名", "name_bidi_char", "U+202A"},
		4: {"姓名", "name_bidi_char", "U+202E"},
		5: {"家长姓名", "name_markup", "网页代码"},
		7: {"姓名", "name_bidi_char", "U+200F"},
	}
	got := map[int]Problem{}
	for _, p := range res.Problems {
		if strings.HasPrefix(p.Code, "name_") {
			got[p.Row] = p
		}
	}
	for row, w := range want {
		p, ok := got[row]
		switch {
		case !ok:
			t.Errorf("row %d: no warning, want %s ", row, w.code)
		case p.Code != w.code || p.Column != w.column || p.Severity != Warning || !strings.Contains(p.Message, w.says) || !strings.Contains(p.Message, "第"):
			t.Errorf("row %d: %+v, want %s in column %s saying %q", row, p, w.code, w.column, w.says)
		case strings.ContainsAny(p.Value+p.Message, "\x07\u202e\u200f"):
			t.Errorf("row %d: the warning carries the hidden character itself: %q", row, p.Value)
		}
	}
	if p, ok := got[6]; ok {
		t.Errorf("row 6 (周五 <3, not markup) warned: %+v", p)
	}
	t.Run("a control character in a CSV", func(t *testing.T) {
		var csv strings.Builder
		csv.WriteString("学号,姓名,家长手机\n")
		for i := range 60 {
			fmt.Fprintf(&csv, "%d,学生%d,138%08d\n", i+1, i+1, i)
		}
		csv.WriteString("61,钱\x07七,13900139000\n")
		res, err := Parse(context.Background(), strings.NewReader(csv.String()), Options{Name: "三年级2班.csv"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Problems) != 1 || res.Problems[0].Code != "name_control_char" || res.Problems[0].Row != 62 ||
			!strings.Contains(res.Problems[0].Message, "U+0007") || res.Problems[0].Value != "钱\uFFFD七" {
			t.Errorf("problems %+v", res.Problems)
		}
	})
}
