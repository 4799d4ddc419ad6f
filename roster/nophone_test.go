package roster

import (
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestNoPhoneCellsAreAWarning: a cell saying the guardian has no phone, as
// teachers write it, keeps the student (paper letter) with a warning; a
// mistyped number is still an error.
func TestNoPhoneCellsAreAWarning(t *testing.T) {
	t.Parallel()
	cells := []string{"无", "没有", "暂无", "不详", "--", "——", "/", "（无）", "无手机", "老人无手机", "N/A", "0"}
	data := book(t, func(f *excelize.File) {
		rowsAt(t, f, "Sheet1", 1, []any{"学号", "姓名", "班级", "家长姓名", "家长手机"})
		for i, c := range cells {
			rowsAt(t, f, "Sheet1", i+2, []any{100 + i, "学生" + string(rune('甲'+i)), "三年级2班", "家长", c})
		}
		rowsAt(t, f, "Sheet1", len(cells)+2, []any{999, "错号", "三年级2班", "家长", "1380013800"})
	})
	res := parseBytes(t, data, Options{})
	students := allStudents(res)
	for i, c := range cells {
		name := "学生" + string(rune('甲'+i))
		st, ok := students[name]
		if !ok {
			t.Errorf("%q: the student was dropped", c)
			continue
		}
		if len(st.Guardians) > 0 && st.Guardians[0].Mobile != "" {
			t.Errorf("%q read as mobile %q", c, st.Guardians[0].Mobile)
		}
	}
	for _, p := range res.Problems {
		if p.Severity == Error && p.Value != "1380013800" {
			t.Errorf("error for a no-phone cell: %+v", p)
		}
	}
	if n := len(problemsWith(res, "no_phone")); n != len(cells) {
		t.Errorf("%d no_phone warnings, want %d", n, len(cells))
	}
	if len(problemsWith(res, "phone_invalid")) != 1 {
		t.Errorf("the mistyped number is not an error: %+v", res.Problems)
	}
}
