package roster

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// TemplateColumns are the columns of the roster template, in order.
var templateColumns = []string{"班级", "学号", "姓名", "性别", "出生日期", "家长1姓名", "家长1关系", "家长1手机", "家长2姓名", "家长2关系", "家长2手机"}

// Relations offered in the template's drop-down lists.
var templateRelations = []string{"父亲", "母亲", "祖父", "祖母", "外祖父", "外祖母", "其他"}

const (
	templateSheet = "学生名单"
	templateRows  = 500 // rows prepared with formats and drop-downs
)

var templateHelp = []string{
	"学生名单填写说明",
	"",
	"1. 在“学生名单”工作表中，从第3行开始每行填写一名学生；第3行是示例，填写时请删除或直接覆盖。",
	"2. 必填：班级、学号、姓名；请尽量填写至少一位家长的手机号码，家长才能在手机上确认收到家书（没有手机的见第5条）。",
	"3. 班级写成“三年级2班”“四年级（3）班”“初一(2)班”或“高二3班”均可；每个班也可以单独放在一个以班级命名的工作表中。",
	"4. 学号和各手机号码列已设为文本格式，请直接输入数字，不要输入空格；学号在全校内不能重复。",
	"5. 手机号码为11位数字，以1开头；没有手机的家长可以留空，这名学生的家书将只发放纸质版。",
	"6. 性别和家长关系请在下拉列表中选择。出生日期写成 2015-09-01 或 2015年9月1日。",
	"7. 姓名中的生僻字（如“𠮷”）可能无法打印在家书上，系统会提示，请核对。",
	"8. 表格不要合并单元格，不要在名单下方写合计或备注；导入时会逐行检查并告诉您哪一行需要修改。",
}

// WriteTemplate writes the roster template workbook: the expected columns
// with text-formatted number columns, drop-down lists for gender and
// relation, an example row and an instructions sheet. Parse reads it back.
func WriteTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := buildTemplate(f); err != nil {
		return fmt.Errorf("roster: template: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("roster: template: %w", err)
	}
	return nil
}

func buildTemplate(f *excelize.File) error {
	if err := f.SetSheetName("Sheet1", templateSheet); err != nil {
		return err
	}
	st, err := newTemplateStyles(f)
	if err != nil {
		return err
	}
	for _, step := range []func(*excelize.File, templateStyles) error{
		templateCells, templateColumnFormats, templateValidation, templateHelpSheet,
	} {
		if err := step(f, st); err != nil {
			return err
		}
	}
	return nil
}

// templateStyles are the template's cell styles.
type templateStyles struct {
	title, head, text, date, example int
}

func newTemplateStyles(f *excelize.File) (templateStyles, error) {
	var st templateStyles
	var err error
	styles := []struct {
		dst *int
		def *excelize.Style
	}{
		{&st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&st.head, &excelize.Style{Font: &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&st.text, &excelize.Style{NumFmt: 49}}, // "@": typed digits stay text
		{&st.date, &excelize.Style{CustomNumFmt: ptrTo("yyyy-mm-dd")}},
		{&st.example, &excelize.Style{Font: &excelize.Font{Color: "808080", Italic: true}, NumFmt: 49}},
	}
	for _, s := range styles {
		if *s.dst, err = f.NewStyle(s.def); err != nil {
			return st, err
		}
	}
	return st, nil
}

// templateCells writes the title, the header and the example row.
func templateCells(f *excelize.File, st templateStyles) error {
	s := templateSheet
	if err := f.SetCellValue(s, "A1", "学生名单（从第3行开始填写，一行一名学生；第3行为示例）"); err != nil {
		return err
	}
	if err := f.SetCellStyle(s, "A1", "A1", st.title); err != nil {
		return err
	}
	header := make([]any, len(templateColumns))
	for i, c := range templateColumns {
		header[i] = c
	}
	if err := f.SetSheetRow(s, "A2", &header); err != nil {
		return err
	}
	if err := f.SetCellStyle(s, "A2", "K2", st.head); err != nil {
		return err
	}
	row := []any{"三年级2班", "2023030201", "张小明（示例）", "男", "2016-03-15", "张建国", "父亲", "13800138000", "李丽", "母亲", "13900139000"}
	if err := f.SetSheetRow(s, "A3", &row); err != nil {
		return err
	}
	if err := f.SetCellStyle(s, "A3", "K3", st.example); err != nil {
		return err
	}
	return f.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
}

// templateColumnFormats keeps the number columns text, formats the date
// column and sets the widths.
func templateColumnFormats(f *excelize.File, st templateStyles) error {
	s := templateSheet
	for _, col := range []string{"B", "H", "K"} {
		if err := f.SetColStyle(s, col, st.text); err != nil {
			return err
		}
	}
	if err := f.SetColStyle(s, "E", st.date); err != nil {
		return err
	}
	widths := map[string]float64{"A": 14, "B": 16, "C": 18, "D": 7, "E": 12, "F": 11, "G": 10, "H": 14, "I": 11, "J": 10, "K": 14}
	for col, wd := range widths {
		if err := f.SetColWidth(s, col, col, wd); err != nil {
			return err
		}
	}
	return nil
}

// templateValidation adds the drop-down lists and the phone length check.
func templateValidation(f *excelize.File, _ templateStyles) error {
	s := templateSheet
	last := fmt.Sprint(templateRows + 2)
	lists := []struct {
		sqref string
		items []string
		title string
	}{
		{"D3:D" + last, []string{"男", "女"}, "性别"},
		{"G3:G" + last, templateRelations, "家长1关系"},
		{"J3:J" + last, templateRelations, "家长2关系"},
	}
	for _, l := range lists {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = l.sqref
		if err := dv.SetDropList(l.items); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "请从列表中选择", l.title+"请从下拉列表中选择。")
		if err := f.AddDataValidation(s, dv); err != nil {
			return err
		}
	}
	phones := excelize.NewDataValidation(true)
	phones.Sqref = "H3:H" + last + " K3:K" + last
	if err := phones.SetRange(11, 11, excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorEqual); err != nil {
		return err
	}
	phones.SetError(excelize.DataValidationErrorStyleWarning, "手机号码位数不对", "手机号码应为11位数字，请核对。")
	return f.AddDataValidation(s, phones)
}

// templateHelpSheet writes the instructions sheet.
func templateHelpSheet(f *excelize.File, st templateStyles) error {
	if _, err := f.NewSheet("说明"); err != nil {
		return err
	}
	for i, line := range templateHelp {
		if err := f.SetCellValue("说明", fmt.Sprintf("A%d", i+1), line); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle("说明", "A1", "A1", st.title); err != nil {
		return err
	}
	return f.SetColWidth("说明", "A", "A", 110)
}

func ptrTo[T any](v T) *T { return &v }
