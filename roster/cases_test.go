package roster

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// book builds a workbook in memory: fill writes into a new file whose first
// sheet is "Sheet1".
func book(t testing.TB, fill func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	fill(f)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rowsAt writes rows starting at the given 1-based row of a sheet.
func rowsAt(t testing.TB, f *excelize.File, sheet string, first int, rows ...[]any) {
	t.Helper()
	for i, r := range rows {
		axis, _ := excelize.CoordinatesToCellName(1, first+i)
		if err := f.SetSheetRow(sheet, axis, &r); err != nil {
			t.Fatal(err)
		}
	}
}

func parseBytes(t *testing.T, data []byte, opt Options) *Result {
	t.Helper()
	res, err := Parse(context.Background(), bytes.NewReader(data), opt)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return res
}

func allStudents(res *Result) map[string]Student {
	m := map[string]Student{}
	for _, c := range res.Classes {
		for _, s := range c.Students {
			m[s.Name] = s
		}
	}
	return m
}

func problemsWith(res *Result, code string) []Problem {
	var ps []Problem
	for _, p := range res.Problems {
		if p.Code == code {
			ps = append(ps, p)
		}
	}
	return ps
}

func TestMergedGradeAndClassCellsApplyToEveryRow(t *testing.T) {
	t.Parallel()
	data := book(t, func(f *excelize.File) {
		rowsAt(t, f, "Sheet1", 1,
			[]any{"年级", "班级", "学号", "姓名", "家长手机"},
			[]any{"三年级", "2班", "301", "甲一", "13800138001"},
			[]any{nil, nil, "302", "甲二", "13800138002"},
			[]any{nil, nil, "303", "甲三", "13800138003"},
			[]any{nil, "(3)班", "304", "乙一", "13800138004"},
			[]any{nil, nil, "305", "乙二", "13800138005"},
		)
		f.MergeCell("Sheet1", "A2", "A6")
		f.MergeCell("Sheet1", "B2", "B4")
		f.MergeCell("Sheet1", "B5", "B6")
	})
	res := parseBytes(t, data, Options{})
	if got := classKeys(res); strings.Join(got, ",") != "3-2,3-3" {
		t.Fatalf("classes = %v, want 3-2 and 3-3", got)
	}
	if len(res.Classes[0].Students) != 3 || len(res.Classes[1].Students) != 2 {
		t.Errorf("students per class = %d, %d; want 3, 2", len(res.Classes[0].Students), len(res.Classes[1].Students))
	}
	if res.Classes[0].Name != "三年级2班" {
		t.Errorf("name = %q", res.Classes[0].Name)
	}
}

func TestHeadTeacherInTitle(t *testing.T) {
	t.Parallel()
	for title, want := range map[string]string{
		"班主任：王芳": "王芳",
		"三年级2班 学生花名册（班主任：江老师）":     "江老师",
		"班主任: 李明 联系电话 13800138000": "李明",
		"(班主任:赵丽)": "赵丽",
		"学生花名册":    "",
	} {
		if got := headTeacherIn(title); got != want {
			t.Errorf("headTeacherIn(%q) = %q, want %q", title, got, want)
		}
	}
}

func TestHeaderBelowTitleRowsTakesClassAndTeacherFromTitle(t *testing.T) {
	t.Parallel()
	data := book(t, func(f *excelize.File) {
		rowsAt(t, f, "Sheet1", 1,
			[]any{"阳光小学2025学年学生信息表"},
			[]any{"班级：四年级（3）班", nil, "班主任：王芳"},
			[]any{},
			[]any{"序号", "* 学生姓名", "学籍号（必填）", "性别", "监护人姓名", "与学生关系", "联系电话", "备注"},
			[]any{1, "李雷", "L001", "男", "李大", "父亲", "13912345678", "走读"},
			[]any{2, "韩梅梅", "L002", "女", "韩二", "母亲", "13912345679"},
		)
	})
	res := parseBytes(t, data, Options{})
	if got := classKeys(res); len(got) != 1 || got[0] != "4-3" {
		t.Fatalf("classes = %v, want 4-3", got)
	}
	c := res.Classes[0]
	if c.HeadTeacher != "王芳" || len(c.Students) != 2 {
		t.Errorf("teacher %q, %d students", c.HeadTeacher, len(c.Students))
	}
	s := c.Students[0]
	if s.Row != 5 || s.Number != "L001" || s.Gender != "男" || len(s.Guardians) != 1 || s.Guardians[0] != (Guardian{"李大", "父亲", "13912345678"}) {
		t.Errorf("student = %+v", s)
	}
}

func TestTwoGuardiansPerRow(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		header []any
		want   []Guardian
	}{
		{"numbered 家长1/家长2 columns", []any{"学号", "姓名", "家长1姓名", "家长1关系", "家长1手机", "家长2姓名", "家长2关系", "家长2手机"},
			[]Guardian{{"张父", "父亲", "13800000001"}, {"张母", "母亲", "13800000002"}}},
		{"父亲/母亲 columns carry the relation", []any{"学号", "姓名", "父亲姓名", "关系x", "父亲手机", "母亲姓名", "关系y", "母亲手机"},
			[]Guardian{{"张父", "父亲", "13800000001"}, {"张母", "母亲", "13800000002"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := book(t, func(f *excelize.File) {
				rowsAt(t, f, "Sheet1", 1, c.header, []any{"1", "张三", "张父", "父亲", "13800000001", "张母", "母亲", "13800000002"})
			})
			res := parseBytes(t, data, Options{Class: "一年级1班"})
			s := allStudents(res)["张三"]
			if len(s.Guardians) != 2 || s.Guardians[0] != c.want[0] || s.Guardians[1] != c.want[1] {
				t.Errorf("guardians = %+v, want %+v", s.Guardians, c.want)
			}
		})
	}
}

func TestNamesAreCleanedAndUnprintableCharactersWarned(t *testing.T) {
	t.Parallel()
	data := book(t, func(f *excelize.File) {
		rowsAt(t, f, "Sheet1", 1,
			[]any{"学号", "姓名", "家长手机"},
			[]any{"1", " 阿卜杜拉\n•买买提 ", "13800138001"},
			[]any{"2", "张  三", "13800138002"},
			[]any{"3", "𠮷祥", "13800138003"},
			[]any{"4", "王囧", "13800138004"},
			[]any{"5", "Anna  Lee", "13800138005"},
			[]any{"6", "古丽・热", "13800138006"},
		)
	})
	// As the letters engine does: 𠮷 (above U+FFFF) is in the fonts, 囧 is not.
	res := parseBytes(t, data, Options{Class: "二年级1班", Printable: func(r rune) bool { return r != '囧' }})
	st := allStudents(res)
	for _, want := range []string{"阿卜杜拉·买买提", "张三", "𠮷祥", "王囧", "Anna Lee", "古丽·热"} {
		if _, ok := st[want]; !ok {
			t.Errorf("no student named %q; have %v", want, keys(st))
		}
	}
	warned := problemsWith(res, "char_unprintable")
	if len(warned) != 1 || warned[0].Row != 5 || !strings.Contains(warned[0].Message, "囧") || !strings.Contains(warned[0].Message, "手写") {
		t.Errorf("char_unprintable = %+v, want only 王囧's row, asking to write it by hand", warned)
	}
	if strings.Contains(warned[0].Message, "吉") || strings.Contains(warned[0].Message, "改用") {
		t.Errorf("the warning suggests another spelling: %s", warned[0].Message)
	}
	if rs := parseBytes(t, data, Options{Class: "二年级1班"}); len(problemsWith(rs, "char_unprintable")) != 1 {
		t.Errorf("without Printable, only 𠮷 (outside the BMP) should be reported: %+v", problemsWith(rs, "char_unprintable"))
	}
	for _, p := range warned {
		if p.Severity != Warning {
			t.Errorf("unprintable should be a warning: %+v", p)
		}
	}
}

func keys(m map[string]Student) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestPhonesAndNumbersInTheirManySpellings(t *testing.T) {
	t.Parallel()
	data := book(t, func(f *excelize.File) {
		rowsAt(t, f, "Sheet1", 1,
			[]any{"学号", "姓名", "联系电话"},
			[]any{"１０１", "甲", "１３８００１３８０００"},
			[]any{102, "乙", "+86 138-0013-8001"},
			[]any{"103", "丙", "86 13800138002"},
			[]any{"104", "丁", "138 0013 8003"},
			[]any{"105", "戊", int64(13800138004)},
			[]any{"106", "己", "0571-88886666"},
			[]any{"107", "庚", "1380013800"},
			[]any{"108", "辛", "13800138007/13900139000"},
		)
		// 000000 keeps the leading zeros of a number.
		style, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("000000")})
		f.SetCellValue("Sheet1", "A3", 102)
		f.SetCellStyle("Sheet1", "A3", "A3", style)
	})
	res := parseBytes(t, data, Options{Class: "三年级1班"})
	st := allStudents(res)
	want := map[string][2]string{
		"甲": {"101", "13800138000"}, "乙": {"000102", "13800138001"}, "丙": {"103", "13800138002"},
		"丁": {"104", "13800138003"}, "戊": {"105", "13800138004"}, "辛": {"108", "13800138007"},
	}
	for name, w := range want {
		s, ok := st[name]
		if !ok || s.Number != w[0] || len(s.Guardians) == 0 || s.Guardians[0].Mobile != w[1] {
			t.Errorf("%s = %+v, want number %s mobile %s", name, s, w[0], w[1])
		}
	}
	if g := st["辛"].Guardians; len(g) != 2 || g[1].Mobile != "13900139000" {
		t.Errorf("the second number of a cell should be a second guardian: %+v", g)
	}
	if s, ok := st["己"]; !ok || len(s.Guardians) != 0 {
		t.Errorf("landline row should be kept without a mobile: %+v", s)
	}
	if ps := problemsWith(res, "phone_landline"); len(ps) != 1 || ps[0].Row != 7 {
		t.Errorf("phone_landline = %+v", ps)
	}
	bad := problemsWith(res, "phone_invalid")
	if len(bad) != 1 || bad[0].Row != 8 || bad[0].Column != "联系电话" || bad[0].Severity != Error ||
		bad[0].Message != "工作表“Sheet1”第8行“联系电话”列 1380013800 不是有效的11位手机号码：请核对后重新填写。" {
		t.Errorf("phone_invalid = %+v", bad)
	}
	if _, ok := st["庚"]; ok {
		t.Error("a row with an invalid phone must not be imported")
	}
}

func ptr[T any](v T) *T { return &v }

func TestBigStudentNumberStoredAsNumberKeepsItsDigits(t *testing.T) {
	t.Parallel()
	data := book(t, func(f *excelize.File) {
		rowsAt(t, f, "Sheet1", 1,
			[]any{"学籍号", "姓名", "手机"},
			[]any{int64(123456789012345678), "甲", "13800138000"},
			[]any{1.23e17, "乙", "13800138001"},
			[]any{"G123456789012345678", "丙", "13800138002"},
		)
	})
	res := parseBytes(t, data, Options{Class: "高一1班"})
	st := allStudents(res)
	if st["甲"].Number != "123456789012345678" || st["乙"].Number != "123000000000000000" || st["丙"].Number != "G123456789012345678" {
		t.Errorf("numbers = %q %q %q", st["甲"].Number, st["乙"].Number, st["丙"].Number)
	}
	if ps := problemsWith(res, "number_precision"); len(ps) == 0 || ps[0].Row != 2 || ps[0].Severity != Warning {
		t.Errorf("number_precision warnings = %+v, want one for row 2", ps)
	}
	if res.Classes[0].Grade != 10 {
		t.Errorf("grade = %d, want 10", res.Classes[0].Grade)
	}
}

func TestBirthDatesInEveryForm(t *testing.T) {
	t.Parallel()
	forms := []any{
		time.Date(2010, 1, 5, 0, 0, 0, 0, time.UTC), // date cell
		40183, // serial typed into a General cell
		"2010/1/5", "2010年1月5日", "20100105", int64(20100105), "2010-01-05", "2010.1.5",
		time.Date(2010, 1, 5, 0, 0, 0, 0, time.UTC), // date cell shown as "mmm-yy"
		"2010年1月5日 ",
	}
	data := book(t, func(f *excelize.File) {
		rowsAt(t, f, "Sheet1", 1, []any{"学号", "姓名", "出生日期", "家长手机"})
		for i, v := range forms {
			rowsAt(t, f, "Sheet1", i+2, []any{i + 1, "生" + string(rune('甲'+i)), v, "13800138000"})
		}
		hidden, _ := f.NewStyle(&excelize.Style{NumFmt: 17})
		f.SetCellStyle("Sheet1", "C10", "C10", hidden)
		rowsAt(t, f, "Sheet1", len(forms)+2, []any{99, "错日", "2010-13-45", "13800138000"})
	})
	res := parseBytes(t, data, Options{Class: "五年级2班"})
	for _, c := range res.Classes {
		for _, s := range c.Students {
			want := "2010-01-05"
			if s.Name == "错日" {
				want = ""
			}
			if s.BirthDate != want {
				t.Errorf("row %d (%v): birth date %q, want %q", s.Row, forms[min(s.Row-2, len(forms)-1)], s.BirthDate, want)
			}
		}
	}
	if ps := problemsWith(res, "birth_date_invalid"); len(ps) != 1 || ps[0].Value != "2010-13-45" || ps[0].Severity != Warning {
		t.Errorf("birth_date_invalid = %+v", ps)
	}
}

func TestBlankSummaryAndNoteRowsAreSkipped(t *testing.T) {
	t.Parallel()
	data := book(t, func(f *excelize.File) {
		rowsAt(t, f, "Sheet1", 1,
			[]any{"序号", "学号", "姓名", "家长手机"},
			[]any{1, "1", "甲", "13800138000"},
			[]any{},
			[]any{2, "2", "乙", "13800138001"},
			[]any{3},
			[]any{"合计：2人"},
			[]any{nil, "总计", "2"},
			[]any{"注：手机号请填写家长本人的"},
		)
	})
	res := parseBytes(t, data, Options{Class: "一年级2班"})
	if n := countStudents(res); n != 2 || len(res.Problems) != 0 {
		t.Errorf("students = %d, problems = %+v; want 2 and none", n, res.Problems)
	}
}

func TestDuplicateNumbers(t *testing.T) {
	t.Parallel()
	data := book(t, func(f *excelize.File) {
		f.SetSheetName("Sheet1", "一年级1班")
		rowsAt(t, f, "一年级1班", 1, []any{"学号", "姓名", "家长手机"},
			[]any{"7", "甲", "13800138000"},
			[]any{"7", "甲", "13800138000"},
		)
		f.NewSheet("一年级2班")
		rowsAt(t, f, "一年级2班", 1, []any{"学号", "姓名", "家长手机"},
			[]any{"7", "乙", "13800138001"},
		)
	})
	res := parseBytes(t, data, Options{})
	if n := countStudents(res); n != 1 {
		t.Errorf("students = %d, want 1", n)
	}
	if ps := problemsWith(res, "row_duplicate"); len(ps) != 1 || ps[0].Row != 3 || ps[0].Severity != Warning {
		t.Errorf("row_duplicate = %+v", ps)
	}
	ps := problemsWith(res, "number_duplicate")
	if len(ps) != 1 || ps[0].Sheet != "一年级2班" || ps[0].Row != 2 || !strings.Contains(ps[0].Message, "一年级1班") {
		t.Errorf("number_duplicate = %+v", ps)
	}
}

// TestDuplicateNumberBehindARowWithAnError: a number shared by two
// different students is reported even when the first row has an error of
// its own; a corrected copy of a row with an error is imported once.
func TestDuplicateNumberBehindARowWithAnError(t *testing.T) {
	t.Parallel()
	data := book(t, func(f *excelize.File) {
		f.SetSheetName("Sheet1", "三年级1班")
		rowsAt(t, f, "三年级1班", 1, []any{"学号", "姓名", "家长手机"},
			[]any{"103", "梁洋", "1551234885"},
			[]any{"103", "梁小洋", "15512348854"},
			[]any{"104", "石诗涵", "1501234173"},
			[]any{"104", "石诗涵", "15012341730"},
		)
	})
	res := parseBytes(t, data, Options{})
	t.Run("the second student under the number is an error, not an import", func(t *testing.T) {
		ps := problemsWith(res, "number_duplicate")
		if len(ps) != 1 || ps[0].Row != 3 || !strings.Contains(ps[0].Message, "梁洋") {
			t.Errorf("number_duplicate = %+v", ps)
		}
		if st, ok := allStudents(res)["梁小洋"]; ok {
			t.Errorf("梁小洋 imported under 103: %+v", st)
		}
	})
	t.Run("a corrected copy of a row with an error is imported once", func(t *testing.T) {
		if st, ok := allStudents(res)["石诗涵"]; !ok || st.Number != "104" || st.Row != 5 {
			t.Errorf("石诗涵 = %+v", st)
		}
		if ps := problemsWith(res, "row_duplicate"); len(ps) != 0 {
			t.Errorf("row_duplicate = %+v", ps)
		}
	})
}

func TestClassFallsBackFromColumnToTitleToSheetToCaller(t *testing.T) {
	t.Parallel()
	header := []any{"学号", "姓名", "家长手机"}
	cases := []struct {
		name  string
		fill  func(f *excelize.File)
		class string
		want  string
	}{
		{"class column wins", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1, []any{"班级：一年级（1）班"}, []any{"班级", "学号", "姓名", "家长手机"}, []any{"初二(3)班", "1", "甲", "13800138000"})
		}, "六年级1班", "8-3"},
		{"title row before sheet name", func(f *excelize.File) {
			f.SetSheetName("Sheet1", "二年级2班")
			rowsAt(t, f, "二年级2班", 1, []any{"班级：四年级（3）班"}, header, []any{"1", "甲", "13800138000"})
		}, "六年级1班", "4-3"},
		{"sheet name before caller", func(f *excelize.File) {
			f.SetSheetName("Sheet1", "二年级2班")
			rowsAt(t, f, "二年级2班", 1, header, []any{"1", "甲", "13800138000"})
		}, "六年级1班", "2-2"},
		{"caller when the file says nothing", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1, header, []any{"1", "甲", "13800138000"})
		}, "六年级1班", "6-1"},
		{"grade column with the caller's class number", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1, []any{"年级", "班级", "学号", "姓名", "家长手机"}, []any{"高二", "3", "1", "甲", "13800138000"})
		}, "", "11-3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := parseBytes(t, book(t, c.fill), Options{Class: c.class})
			if got := classKeys(res); len(got) != 1 || got[0] != c.want {
				t.Errorf("classes = %v, want %s (problems %+v)", got, c.want, res.Problems)
			}
		})
	}
	t.Run("no class anywhere is one error for the sheet", func(t *testing.T) {
		res := parseBytes(t, book(t, func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1, header, []any{"1", "甲", "13800138000"}, []any{"2", "乙", "13800138001"})
		}), Options{})
		ps := problemsWith(res, "class_missing")
		if countStudents(res) != 0 || len(ps) != 1 || !strings.Contains(ps[0].Message, "2名学生") {
			t.Errorf("students %d, class_missing %+v", countStudents(res), ps)
		}
	})
}

func TestRowErrorsAndWarnings(t *testing.T) {
	t.Parallel()
	data := book(t, func(f *excelize.File) {
		rowsAt(t, f, "Sheet1", 1,
			[]any{"学号", "姓名", "性别", "家长姓名", "家长手机"},
			[]any{"1", "", "男", "某", "13800138000"},
			[]any{"", "乙", "女", "某", "13800138000"},
			[]any{"3", "丙", "未知", "某", ""},
		)
	})
	res := parseBytes(t, data, Options{Class: "一年级1班"})
	want := map[string]Severity{"name_missing": Error, "number_missing": Error, "gender_unknown": Warning, "no_phone": Warning}
	for code, sev := range want {
		ps := problemsWith(res, code)
		if len(ps) != 1 || ps[0].Severity != sev {
			t.Errorf("%s = %+v, want one %s", code, ps, sev)
		}
	}
	if st := allStudents(res); len(st) != 1 || st["丙"].Gender != "" {
		t.Errorf("students = %+v, want only 丙 (warnings keep the row)", st)
	}
}

func TestInstructionSheetsAreSkipped(t *testing.T) {
	t.Parallel()
	data := book(t, func(f *excelize.File) {
		rowsAt(t, f, "Sheet1", 1, []any{"填表说明"}, []any{"1. 学号请填写学籍号"}, []any{"2. 手机号填写11位"})
		f.SetSheetName("Sheet1", "说明")
		f.NewSheet("三年级1班")
		rowsAt(t, f, "三年级1班", 1, []any{"学号", "姓名", "家长手机"}, []any{"1", "甲", "13800138000"})
	})
	res := parseBytes(t, data, Options{})
	if countStudents(res) != 1 || len(res.Problems) != 0 {
		t.Errorf("students %d, problems %+v", countStudents(res), res.Problems)
	}
}

func TestUnusableFilesAreRefusedWithACode(t *testing.T) {
	t.Parallel()
	var ole bytes.Buffer
	ole.WriteString(oleSignature)
	ole.Write(make([]byte, 500))
	ole.WriteString(encryptedPackage)
	ole.Write(make([]byte, 500))

	cases := []struct {
		name string
		data []byte
		opt  Options
		code string
	}{
		{"encrypted workbook", ole.Bytes(), Options{}, CodeEncrypted},
		{"xls header with no workbook inside", append([]byte(oleSignature), make([]byte, 600)...), Options{}, CodeCorrupt},
		{"text table without a phone column", []byte("学号,姓名\n1,王小明\n"), Options{}, CodeNoHeader},
		{"plain text", []byte("王小明 三年级2班\n李小红 三年级2班\n"), Options{}, CodeNotXLSX},
		{"web page named .xls", []byte("<html><body><table><tr><td>学号</td></tr></table></body></html>"), Options{}, CodeNotXLSX},
		{"binary that is no workbook", []byte("%PDF-1.4\n\x00\x01\x02\x03\x04\x05\x06\x07\x08\xff\xfe"), Options{}, CodeNotXLSX},
		{"zero bytes", nil, Options{}, CodeEmpty},
		{"zip without a workbook", zipOf(t, map[string][]byte{"word/document.xml": []byte("<w/>")}), Options{}, CodeNotXLSX},
		{"over the size limit", book(t, func(f *excelize.File) {}), Options{MaxBytes: 1000}, CodeTooLarge},
		{"zip bomb by real size", zipOf(t, map[string][]byte{"xl/workbook.xml": []byte("<workbook/>"), "xl/worksheets/sheet1.xml": make([]byte, 40<<20)}), Options{}, CodeZipBomb},
		{"zip bomb by declared size", lyingZip(t), Options{}, CodeZipBomb},
		{"truncated xlsx", book(t, func(f *excelize.File) {})[:600], Options{}, CodeCorrupt},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused as "+c.code, func(t *testing.T) {
			res, err := Parse(context.Background(), bytes.NewReader(c.data), c.opt)
			var fe *FileError
			if !errors.As(err, &fe) || fe.Code != c.code {
				t.Fatalf("got res=%v err=%v, want FileError %s", res != nil, err, c.code)
			}
			if !strings.ContainsAny(fe.Message, "请") {
				t.Errorf("message does not tell what to do: %s", fe.Message)
			}
		})
	}
	t.Run("too large names the limit", func(t *testing.T) {
		_, err := Parse(context.Background(), strings.NewReader(strings.Repeat("x", 11<<20)), Options{})
		var fe *FileError
		if !errors.As(err, &fe) || fe.Code != CodeTooLarge || !strings.Contains(fe.Message, "10 MB") {
			t.Errorf("err = %v", err)
		}
	})
}

func zipOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// lyingZip declares a 1 TB part; archive/zip would stop at the declared size
// anyway, but such a file is refused before inflating anything.
func lyingZip(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"xl/workbook.xml", "xl/worksheets/sheet1.xml"} {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CompressedSize64: 3, UncompressedSize64: 1 << 40})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<a>"))
	}
	zw.Close()
	return buf.Bytes()
}

func TestSheetWithoutNumberColumnIsOneError(t *testing.T) {
	t.Parallel()
	data := book(t, func(f *excelize.File) {
		rowsAt(t, f, "Sheet1", 1, []any{"姓名", "家长手机"}, []any{"甲", "13800138000"}, []any{"乙", "13800138001"})
	})
	res := parseBytes(t, data, Options{Class: "一年级1班"})
	if countStudents(res) != 0 || len(res.Problems) != 1 || res.Problems[0].Code != "number_column_missing" || res.Problems[0].Row != 1 {
		t.Errorf("students %d, problems %+v", countStudents(res), res.Problems)
	}
}

func TestCallerClassThatIsNoClassIsRefused(t *testing.T) {
	t.Parallel()
	data := book(t, func(f *excelize.File) {
		rowsAt(t, f, "Sheet1", 1, []any{"学号", "姓名", "家长手机"}, []any{"1", "甲", "13800138000"})
	})
	_, err := Parse(context.Background(), bytes.NewReader(data), Options{Class: "火箭班"})
	var fe *FileError
	if !errors.As(err, &fe) || fe.Code != CodeClassInvalid || !strings.Contains(fe.Message, "火箭班") {
		t.Errorf("err = %v", err)
	}
}

func TestVeryLongNamesAreKeptAndWarned(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("张", 2000)
	data := book(t, func(f *excelize.File) {
		rowsAt(t, f, "Sheet1", 1,
			[]any{"学号", "姓名", "家长手机"},
			[]any{"1", "迪丽热巴·迪力木拉提", "13800138001"},
			[]any{"2", long, "13800138002"},
		)
	})
	res := parseBytes(t, data, Options{Class: "二年级1班"})
	if _, ok := allStudents(res)[long]; !ok {
		t.Fatalf("the long name was not kept")
	}
	warned := problemsWith(res, "name_long")
	if len(warned) != 1 || warned[0].Row != 3 || warned[0].Severity != Warning || !strings.Contains(warned[0].Message, "2000 个字") {
		t.Errorf("name_long = %+v, want one warning on row 3 naming the length", warned)
	}
}
