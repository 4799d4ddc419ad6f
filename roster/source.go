package roster

// A source is a roster file of any format (.xlsx, .xls, .ods, CSV), opened
// and read a sheet at a time as rows of cell texts. Header detection,
// normalisation and validation see only this, so every format goes through
// one pipeline and reports the same problems.
//
// Cells are what the spreadsheet shows, with two exceptions shared by every
// format: dates read as their serial number or ISO date (cleanDate converts
// both, whatever the date format hid), and a number of more than 15 digits
// reads in scientific notation, its digits available from the raw rows.
type source interface {
	sheets() []sheetInfo
	// rows reads sheet i. raw asks for stored values rather than
	// formatted ones (the digits of long numbers).
	rows(i int, raw bool) (rowIter, error)
	close()
}

// sheetInfo names a sheet and says whether the teacher can see it.
type sheetInfo struct {
	name   string
	hidden bool
}

// rowIter walks a sheet's rows from the top.
type rowIter interface {
	next() bool
	// row is the current row's number as the spreadsheet shows it (the
	// line number for CSV).
	row() int
	cells() ([]string, error)
	close() error
}

// maxSheetRows is the most rows a sheet of any format may have: Excel's own
// limit. A file that claims more is broken or hostile.
const maxSheetRows = 1 << 20

// gridRow is a row of a sheet read into memory.
type gridRow struct {
	num   int
	cells []string
}

// gridSheet is a sheet held in memory, the form the .xls, .ods and CSV
// readers produce. raw holds the stored value of the cells whose text
// differs from it (long numbers), by row and column.
type gridSheet struct {
	info sheetInfo
	rows []gridRow
	raw  map[[2]int]string
	// lines says rows are numbered by text line (CSV): a quoted cell may
	// span lines, so the numbers have gaps that are not blank rows.
	lines bool
}

// gridSource serves sheets read into memory.
type gridSource struct {
	grids []gridSheet
}

func (g *gridSource) sheets() []sheetInfo {
	out := make([]sheetInfo, len(g.grids))
	for i, s := range g.grids {
		out[i] = s.info
	}
	return out
}

func (g *gridSource) rows(i int, raw bool) (rowIter, error) {
	return &gridIter{sheet: &g.grids[i], raw: raw, i: -1}, nil
}

func (g *gridSource) close() {}

// gridIter walks a gridSheet. When the rows are numbered with gaps (blank
// rows are not stored) it yields the blank rows in between, as excelize
// does, so that "the row above" means the same for every format.
type gridIter struct {
	sheet *gridSheet
	raw   bool
	i     int // index of the current stored row
	num   int // current row number
	blank bool
}

func (it *gridIter) next() bool {
	rows := it.sheet.rows
	n := it.i + 1
	if n >= len(rows) {
		return false
	}
	if !it.sheet.lines && rows[n].num > it.num+1 {
		it.num++
		it.blank = true
		return true
	}
	it.blank = false
	it.i = n
	it.num = rows[n].num
	return true
}

func (it *gridIter) row() int { return it.num }

func (it *gridIter) cells() ([]string, error) {
	if it.blank {
		return nil, nil
	}
	r := it.sheet.rows[it.i]
	if !it.raw || len(it.sheet.raw) == 0 {
		return r.cells, nil
	}
	out := append([]string(nil), r.cells...)
	for c := range out {
		if v, ok := it.sheet.raw[[2]int{r.num, c}]; ok {
			out[c] = v
		}
	}
	return out, nil
}

func (it *gridIter) close() error { return nil }
