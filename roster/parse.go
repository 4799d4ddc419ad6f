package roster

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"jiashu/grade"
)

// Options tune Parse. The zero value is usable.
type Options struct {
	// MaxBytes refuses larger files (default 10 MB). At most MaxBytes+1
	// bytes are read from the reader.
	MaxBytes int64
	// Class is the class chosen by the caller (e.g. "三年级2班"), used for
	// rows whose class the file does not say.
	Class string
	// Printable reports whether the letter fonts can print a rune (the
	// letters engine's Printable, which knows the embedded fonts, including
	// characters above U+FFFF such as 𠮷). Nil accepts every rune of the
	// Basic Multilingual Plane and reports the others.
	Printable func(rune) bool
}

// headerSearchRows is how far down a sheet the header row may be.
const headerSearchRows = 15

// Parse reads an .xlsx roster. An unusable file (or an Options.Class that
// names no class, code class_invalid) gives a *FileError; a
// readable one gives the classes with their valid students and every
// problem found, errors (rows left out) and warnings (rows kept).
func Parse(r io.Reader, opt Options) (res *Result, err error) {
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = defaultMaxBytes
	}
	p := &parser{opt: opt, classes: map[classKey]*Class{}, numbers: map[string]seen{}}
	if opt.Class != "" {
		g, c, ok := grade.ParseClassName(opt.Class)
		if !ok {
			return nil, fileError(CodeClassInvalid, fmt.Sprintf("指定的班级“%s”无法识别，请写成“三年级2班”“初一(2)班”或“高二3班”这样的格式。", opt.Class))
		}
		p.callerClass = classKey{g, c}
	}
	data, err := readLimited(r, opt.MaxBytes)
	if err != nil {
		return nil, err
	}
	// excelize has panicked on malformed parts in the past; a broken upload
	// must come back as a message, never take the server down.
	defer func() {
		if v := recover(); v != nil {
			res, err = nil, corrupt()
		}
	}()
	f, err := openWorkbook(data)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	datesAsSerials(f)
	for i, sheet := range f.GetSheetList() {
		if err := p.readSheet(f, i, sheet); err != nil {
			return nil, err
		}
	}
	if !p.anyHeader {
		if p.hiddenRoster != "" {
			return nil, fileError(CodeNoHeader, "名单在隐藏的工作表「"+p.hiddenRoster+"」里，隐藏的工作表不会导入：请在 Excel 中右键工作表标签→“取消隐藏”，保存后再上传。")
		}
		if !p.anyCell {
			return nil, fileError(CodeEmpty, "工作簿里没有任何内容，请在表格中填写学生名单后再上传。")
		}
		return nil, fileError(CodeNoHeader, "没有找到表头行：请在表格前几行写上列名，至少包括「姓名」「学号」和家长手机号（如「家长手机」或「联系电话」）这几列。")
	}
	return p.result(), nil
}

func corrupt() *FileError {
	return fileError(CodeCorrupt, "文件已损坏，无法作为 Excel 工作簿读取：请用 Excel 打开检查并重新保存为 .xlsx 后再上传。")
}

type classKey struct{ grade, class int }

func (k classKey) valid() bool {
	return k.grade >= 1 && k.grade <= 12 && k.class >= 1 && k.class <= 99
}

// seen remembers where a student number first appeared.
type seen struct {
	name, sheet string
	row         int
	failed      bool // the row has an error and is not imported
}

// parser holds the state of one Parse call.
type parser struct {
	opt         Options
	callerClass classKey
	anyCell     bool
	anyHeader   bool
	// hiddenRoster names the first hidden sheet that holds a roster.
	hiddenRoster string
	sheetOrder   map[string]int
	classes      map[classKey]*Class
	numbers      map[string]seen
	problems     []Problem
}

func (p *parser) problem(sheet string, row int, colHeader, value string, sev Severity, code, msg string) {
	p.problems = append(p.problems, Problem{Sheet: sheet, Row: row, Column: colHeader, Value: value, Severity: sev, Code: code, Message: msg})
}

// result orders classes by grade and number and problems by sheet and row.
func (p *parser) result() *Result {
	res := &Result{Classes: make([]Class, 0, len(p.classes)), Problems: p.problems}
	for _, c := range p.classes {
		if len(c.Students) > 0 {
			res.Classes = append(res.Classes, *c)
		}
	}
	sort.Slice(res.Classes, func(i, j int) bool {
		a, b := res.Classes[i], res.Classes[j]
		if a.Grade != b.Grade {
			return a.Grade < b.Grade
		}
		return a.Number < b.Number
	})
	sort.SliceStable(res.Problems, func(i, j int) bool {
		a, b := res.Problems[i], res.Problems[j]
		if a.Sheet != b.Sheet {
			return p.sheetOrder[a.Sheet] < p.sheetOrder[b.Sheet]
		}
		return a.Row < b.Row
	})
	if res.Problems == nil {
		res.Problems = []Problem{}
	}
	return res
}

// readSheet streams one sheet: it finds the header, reads the rows after it,
// and then checks numbers across the workbook.
func (p *parser) readSheet(f *excelize.File, index int, sheet string) error {
	if p.sheetOrder == nil {
		p.sheetOrder = map[string]int{}
	}
	p.sheetOrder[sheet] = index
	rows, err := f.Rows(sheet)
	if err != nil {
		// A chart sheet or a broken part: nothing to read here.
		return nil
	}
	if visible, err := f.GetSheetVisible(sheet); err == nil && !visible {
		return p.skipHidden(rows, sheet)
	}
	s := &sheetReader{p: p, name: sheet}
	var titles []string
	// The header is looked for a row behind the reading: a row that looks
	// like a header may be the top of a two-row header.
	var prev []string
	var prevLayout *layout
	rowNum := 0
	for rows.Next() {
		rowNum++
		cells, err := rows.Columns()
		if err != nil {
			rows.Close()
			if errors.Is(err, excelize.ErrMaxRows) {
				return fileError(CodeCorrupt, "工作表「"+sheet+"」的行数超过 Excel 的上限，文件可能已损坏，请重新保存后再上传。")
			}
			return corrupt()
		}
		if !p.anyCell && hasContent(cells) {
			p.anyCell = true
		}
		if s.lay != nil {
			s.readRow(rowNum, cells)
			continue
		}
		if prev != nil {
			if l, ok := detectTwoRowHeader(rowNum-1, prev, cells, prevLayout); ok {
				s.lay = l
				s.start(titles)
				continue
			}
			if prevLayout != nil {
				s.lay = prevLayout
				s.start(titles)
				s.readRow(rowNum, cells)
				continue
			}
			for _, c := range prev {
				if c = strings.TrimSpace(c); c != "" {
					titles = append(titles, c)
				}
			}
		}
		if rowNum > headerSearchRows {
			break
		}
		prevLayout, _ = detectHeader(rowNum, cells)
		prev = cells
	}
	if s.lay == nil && prevLayout != nil {
		s.lay = prevLayout
		s.start(titles)
	}
	if err := rows.Close(); err != nil {
		return corrupt()
	}
	if s.lay == nil {
		return nil
	}
	p.anyHeader = true
	if len(s.rawNeeded) > 0 {
		if err := s.fixScientific(f); err != nil {
			return err
		}
	}
	s.finish()
	return nil
}

func hasContent(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return true
		}
	}
	return false
}

// skipHidden passes over a hidden sheet: teachers hide instructions,
// drop-down lists and last year's copy, and cannot see what it holds. One
// that holds a roster is reported, so that nothing disappears unexplained.
func (p *parser) skipHidden(rows *excelize.Rows, sheet string) error {
	defer rows.Close()
	for row := 1; row <= headerSearchRows && rows.Next(); row++ {
		cells, err := rows.Columns()
		if err != nil {
			return nil
		}
		if _, ok := detectHeader(row, cells); ok {
			if p.hiddenRoster == "" {
				p.hiddenRoster = sheet
			}
			p.problem(sheet, row, "", "", Warning, "sheet_hidden",
				fmt.Sprintf("工作表「%s」是隐藏的，里面的名单没有导入：如需导入，请在 Excel 中右键工作表标签→“取消隐藏”，保存后再上传。", sheet))
			return nil
		}
	}
	return nil
}
