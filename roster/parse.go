package roster

import (
	"context"
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
	// MaxMemory is the most memory, in bytes, the parse may hold (default
	// 20 times the file's size plus 64 MB): a file whose reading would
	// hold more is refused (code too_complex) before it does.
	MaxMemory int64
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
//
// Every reader is bounded by its input: a damaged file is refused (code
// corrupt), never read as fewer students; the memory held stays within
// Options.MaxMemory; and the parse stops with ctx's error once ctx is done.
func Parse(ctx context.Context, r io.Reader, opt Options) (res *Result, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
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
	p.m = newMeter(ctx, len(data), opt.MaxMemory)
	// excelize has panicked on malformed parts in the past; a broken upload
	// must come back as a message, never take the server down.
	defer func() {
		if v := recover(); v != nil {
			res, err = nil, corrupt()
		}
	}()
	src, err := openSource(data, opt.Name, p.m)
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
	if err := ctx.Err(); err != nil {
		return nil, err
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
	p.dates.settle(p)
	for _, s := range p.read {
		s.finish()
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
	m           *meter
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
	// over is the meter's refusal (or ctx's error), once there is one.
	over error
	// dates reads birth dates and settles the order of ambiguous ones
	// once the whole file is read; the sheets wait for it in read.
	dates dateOrder
	read  []*sheetReader
}

func (p *parser) problem(sheet string, row int, colHeader, value string, sev Severity, code, msg string) {
	p.problems = append(p.problems, Problem{Sheet: sheet, Row: row, Column: colHeader, Value: value, Severity: sev, Code: code, Message: msg})
	p.charge(problemCost + len(value) + len(msg))
}

// What a problem and a student's record cost the meter beyond their
// texts: the structs, the slices' growth and the number index.
const (
	problemCost = 256
	recordCost  = 512
)

// charge charges the meter for what the parser keeps; the first refusal
// sticks in p.over, which the row loop looks at.
func (p *parser) charge(n int) {
	if p.over == nil {
		p.over = p.m.charge(n)
	}
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
	err = s.readRows(rows)
	if cerr := rows.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
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
	p.read = append(p.read, s)
	return p.over
}

// readRows finds the sheet's header and reads the rows after it.
func (s *sheetReader) readRows(rows rowIter) error {
	p := s.p
	var h headerSearch
	for rows.next() {
		if err := p.m.tick(); err != nil {
			return err
		}
		rowNum := rows.row()
		cells, err := rows.cells()
		if err != nil {
			return err
		}
		if !p.anyCell && hasContent(cells) {
			p.anyCell = true
		}
		if s.lay == nil {
			if !s.lookForHeader(&h, rowNum, cells) {
				break
			}
			continue
		}
		s.readRow(rowNum, cells)
		if p.tooMany != nil {
			return p.tooMany
		}
		if p.over != nil {
			return p.over
		}
	}
	if s.lay == nil && h.prevLayout != nil {
		s.lay = h.prevLayout
		s.start(h.titles)
	}
	if p.tooMany != nil {
		return p.tooMany
	}
	return p.over
}

// headerSearch is the state of the search for a sheet's header, which is
// looked for a row behind the reading: a row that looks like a header may
// be the top of a two-row header. The rows above the header are titles.
type headerSearch struct {
	titles     []string
	prev       []string
	prevLayout *layout
	prevNum    int
}

// lookForHeader takes the next row while the header is not yet known; it
// reports false when the search is over without one.
func (s *sheetReader) lookForHeader(h *headerSearch, rowNum int, cells []string) bool {
	if h.prev != nil {
		if l, ok := detectTwoRowHeader(h.prevNum, h.prev, cells, h.prevLayout); ok {
			l.row = rowNum
			s.lay = l
			s.start(h.titles)
			return true
		}
		if h.prevLayout != nil {
			s.lay = h.prevLayout
			s.start(h.titles)
			s.readRow(rowNum, cells)
			return true
		}
		for _, c := range h.prev {
			if c = strings.TrimSpace(c); c != "" {
				h.titles = append(h.titles, c)
			}
		}
	}
	if rowNum > headerSearchRows {
		return false
	}
	h.prevLayout, _ = detectHeader(rowNum, cells)
	h.prev, h.prevNum = cells, rowNum
	return true
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
