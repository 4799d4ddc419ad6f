package roster

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestTemplateFilledInByATeacherIsReadBack(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != templateSheet || got[1] != "说明" {
		t.Fatalf("sheets = %v", got)
	}
	t.Run("the instructions do not call a phone number required, since a family without one gets a paper letter", func(t *testing.T) {
		rows, _ := f.GetRows("说明")
		for _, r := range rows {
			if len(r) > 0 && strings.Contains(r[0], "必填") {
				required, _, _ := strings.Cut(r[0], "；")
				if strings.Contains(required, "手机") {
					t.Errorf("required: %q", required)
				}
			}
		}
	})
	dvs, err := f.GetDataValidations(templateSheet)
	if err != nil || len(dvs) < 3 {
		t.Fatalf("data validations = %d, %v; want gender and relation lists", len(dvs), err)
	}
	lists := map[string]string{}
	for _, dv := range dvs {
		lists[dv.Sqref] = dv.Formula1
	}
	if lists["D3:D502"] != `"男,女"` || lists["G3:G502"] != `"父亲,母亲,祖父,祖母,外祖父,外祖母,其他"` {
		t.Errorf("drop-down lists = %v", lists)
	}
	// A teacher types a student number with a leading zero into the
	// text-formatted column: it must stay as typed.
	style, _ := f.GetCellStyle(templateSheet, "B4")
	if st, _ := f.GetStyle(style); st == nil || st.NumFmt != 49 {
		t.Errorf("学号 column is not text-formatted: %+v", st)
	}
	row := []any{"四年级（1）班", "0042", "王小红", "女", "2015-09-01", "王刚", "父亲", "13812345678", nil, nil, nil}
	if err := f.SetSheetRow(templateSheet, "A4", &row); err != nil {
		t.Fatal(err)
	}
	var filled bytes.Buffer
	if _, err := f.WriteTo(&filled); err != nil {
		t.Fatal(err)
	}
	res := parseBytes(t, filled.Bytes(), Options{})
	if len(res.Problems) != 0 {
		t.Errorf("problems = %+v", res.Problems)
	}
	if len(res.Classes) != 1 || res.Classes[0].Name != "四年级1班" || len(res.Classes[0].Students) != 1 {
		t.Fatalf("classes = %+v (the example row must not be imported)", res.Classes)
	}
	s := res.Classes[0].Students[0]
	if s.Number != "0042" || s.Name != "王小红" || s.Gender != "女" || s.BirthDate != "2015-09-01" ||
		len(s.Guardians) != 1 || s.Guardians[0] != (Guardian{"王刚", "父亲", "13812345678"}) {
		t.Errorf("student = %+v", s)
	}
}
