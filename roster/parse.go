package roster

import (
	"fmt"
	"io"
	"sort"
	"strings"

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
	// Name is the file's name as uploaded, if known. It is never used to
	// tell the format (the bytes do); a CSV file's table is named after
	// it, as Excel names the sheet when it opens one ("三年级2班.csv" →
	// 三年级2班, which also gives the class). Without it the table is
	// "Sheet1".
	Name string
	// MaxStudents refuses a file with more student rows (default
	// MaxImportStudents, negative for none); reading stops at the first
	// row beyond it.
	MaxStudents int
	// MaxClassStudents refuses a file in which a class has more valid
	// students (default MaxClassStudents, negative for none).
	MaxClassStudents int
}

// headerSearchRows is how far down a sheet the header row may be.
const headerSearchRows = 15

// Parse reads a roster: an Excel workbook (.xlsx, or .xls and WPS .et in
// the BIFF8 format of Excel 97–2003), an OpenDocument spreadsheet (.ods) or
// a CSV/tab-separated text in UTF-8, UTF-16 or GBK/GB18030, told apart by
// their bytes. An unusable file (or an Options.Class that
// names no class, code class_invalid) gives a *FileError; a
// readable one gives the classes with their valid students and every
// problem found, errors (rows left out) and warnings (rows kept).
func Parse(r io.Reader, opt Options) (res *Result, err error) {
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = defaultMaxBytes
	}
	p := &parser{opt: opt, classes: map[classKey]*Class{}, numbers: map[string]seen{},
		maxRows: limit(opt.MaxStudents, MaxImportStudents)}
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
	src, err := openSource(data, opt.Name)
	if err != nil {
		return nil, err
	}
	defer src.close()
	_, p.text = src.(*textSource)
	for i, sheet := range src.sheets() {
		if err := p.readSheet(src, i, sheet); err != nil {
			return nil, err
		}
	}
	if !p.anyHeader {
		if p.hiddenRoster != "" {
			return nil, fileError(CodeNoHeader, "名单在隐藏的工作表“"+p.hiddenRoster+"”里，隐藏的工作表不会导入：请在 Excel 中右键工作表标签→“取消隐藏”，保存后再上传。")
		}
		if !p.anyCell {
			return nil, fileError(CodeEmpty, "工作簿里没有任何内容，请在表格中填写学生名单后再上传。")
		}
		return nil, fileError(CodeNoHeader, "没有找到表头行：请在表格前几行写上列名，至少包括“姓名”“学号”和家长手机号（如“家长手机”或“联系电话”）这几列。")
	}
	res = p.result()
	if err := p.checkClassSizes(res.Classes, limit(opt.MaxClassStudents, MaxClassStudents)); err != nil {
		return nil, err
	}
	return res, nil
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
	// text says the file is a CSV or other text table, which must name a
	// phone column (see requirePhoneColumn).
	text      bool
	anyCell   bool
	anyHeader bool
	// hiddenRoster names the first hidden sheet that holds a roster.
	hiddenRoster string
	sheetOrder   map[string]int
	classes      map[classKey]*Class
	numbers      map[string]seen
	problems     []Problem
	// rows counts the student rows read so far in the workbook; over
	// maxRows, tooMany stops the reading.
	rows, maxRows int
	tooMany       *FileError
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
func (p *parser) readSheet(src source, index int, sheet sheetInfo) error {
	if p.sheetOrder == nil {
		p.sheetOrder = map[string]int{}
	}
	p.sheetOrder[sheet.name] = index
	rows, err := src.rows(index, false)
	if err != nil {
		// A chart sheet or a broken part: nothing to read here.
		return nil
	}
	if sheet.hidden {
		return p.skipHidden(rows, sheet.name)
	}
	s := &sheetReader{p: p, name: sheet.name}
	var titles []string
	// The header is looked for a row behind the reading: a row that looks
	// like a header may be the top of a two-row header.
	var prev []string
	var prevLayout *layout
	prevNum := 0
	for rows.next() {
		rowNum := rows.row()
		cells, err := rows.cells()
		if err != nil {
			rows.close()
			return err
		}
		if !p.anyCell && hasContent(cells) {
			p.anyCell = true
		}
		if s.lay != nil {
			s.readRow(rowNum, cells)
			if p.tooMany != nil {
				rows.close()
				return p.tooMany
			}
			continue
		}
		if prev != nil {
			if l, ok := detectTwoRowHeader(prevNum, prev, cells, prevLayout); ok {
				l.row = rowNum
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
		prev, prevNum = cells, rowNum
	}
	if s.lay == nil && prevLayout != nil {
		s.lay = prevLayout
		s.start(titles)
	}
	if err := rows.close(); err != nil {
		return err
	}
	if p.tooMany != nil {
		return p.tooMany
	}
	if s.lay == nil {
		return nil
	}
	if p.text {
		if err := requirePhoneColumn(s.lay); err != nil {
			return err
		}
	}
	p.anyHeader = true
	if len(s.rawNeeded) > 0 {
		if err := s.fixScientific(src, index); err != nil {
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
func (p *parser) skipHidden(rows rowIter, sheet string) error {
	defer rows.close()
	for rows.next() {
		row := rows.row()
		if row > headerSearchRows {
			return nil
		}
		cells, err := rows.cells()
		if err != nil {
			return nil
		}
		if _, ok := detectHeader(row, cells); ok {
			if p.hiddenRoster == "" {
				p.hiddenRoster = sheet
			}
			p.problem(sheet, row, "", "", Warning, "sheet_hidden",
				fmt.Sprintf("工作表“%s”是隐藏的，里面的名单不会导入：如需导入，请在 Excel 中右键工作表标签→“取消隐藏”，保存后再上传。", sheet))
			return nil
		}
	}
	return nil
}
