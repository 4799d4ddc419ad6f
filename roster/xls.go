package roster

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strings"
)

// Legacy .xls (and WPS .et) workbooks: a BIFF8 record stream inside an OLE2
// compound file. The container is read by cfb.go, the records by the small
// reader below, which takes only what a roster needs — sheet names and visibility,
// shared strings, cell values and the number formats that say what is a date
// or a zero-padded number — and treats every length and offset in the file
// as hostile. Libraries evaluated instead (shakinm/xlsReader v0.9.12,
// extrame/xls v0.0.1) panicked or crashed the process within seconds of
// fuzzing, and the first allocates whatever stream size the file declares;
// mscfb v1.0.9, a well-kept container reader, panicked too.

// BIFF record types read here ([MS-XLS] 2.3).
const (
	recFormula    = 0x0006
	recEOF        = 0x000A
	recDateMode   = 0x0022
	recFilePass   = 0x002F
	recContinue   = 0x003C
	recBoundSheet = 0x0085
	recMulRK      = 0x00BD
	recRString    = 0x00D6
	recXF         = 0x00E0
	recSST        = 0x00FC
	recLabelSST   = 0x00FD
	recNumber     = 0x0203
	recLabel      = 0x0204
	recBoolErr    = 0x0205
	recString     = 0x0207
	recRK         = 0x027E
	recFormat     = 0x041E
	recBOF        = 0x0809
	recRow        = 0x0208
	recBlank      = 0x0201
	recMulBlank   = 0x00BE
	recDimensions = 0x0200

	biff8          = 0x0600
	bofGlobals     = 0x0005
	bofWorksheet   = 0x0010
	bofChart       = 0x0020
	biffMaxColumns = 256 // BIFF8 sheets have columns A–IV
	// maxGridCells bounds what a sheet held in memory may hold; a real
	// 50,000-student roster has about 600,000 cells.
	maxGridCells = 4_000_000
)

// openOLE reads an OLE2 compound file: an encrypted .xlsx, a BIFF8 .xls or
// .et, an older Excel file, or some other Office document. The workbook
// stream is Workbook or, in Excel 5 and in some writers' BIFF8 files,
// Book, in any capitalisation (the format compares names without regard
// to case, and Excel reads WORKBOOK and BOOK); what it holds is told by
// its first record, not its name.
func openOLE(data []byte, m *meter) (source, error) {
	if bytes.Contains(data, []byte(encryptedPackage)) || bytes.Contains(data, []byte(encryptionInfo)) {
		return nil, encrypted()
	}
	doc, err := openCFB(data, m)
	if err != nil {
		return nil, err
	}
	e, ok := doc.find("Workbook", "Book")
	if !ok {
		return nil, notWorkbook()
	}
	stream, err := doc.stream(e)
	if err != nil {
		return nil, err
	}
	return readBIFF8(stream, m)
}

// biffRecord is one BIFF record: its type and body.
type biffRecord struct {
	typ  uint16
	body []byte
}

// biffStream walks the records of a workbook stream.
type biffStream struct {
	data []byte
	pos  int
}

// next returns the next record; ok is false at the end of the stream. A
// record that runs past the end of the stream is damage, not an end.
func (s *biffStream) next() (r biffRecord, ok bool, err error) {
	if s.pos == len(s.data) {
		return biffRecord{}, false, nil
	}
	if s.pos+4 > len(s.data) {
		return biffRecord{}, false, brokenXLS()
	}
	typ := binary.LittleEndian.Uint16(s.data[s.pos:])
	size := int(binary.LittleEndian.Uint16(s.data[s.pos+2:]))
	start := s.pos + 4
	if start+size > len(s.data) {
		return biffRecord{}, false, brokenXLS()
	}
	if !biffRecordType(typ) || !biffRecordSize(typ, size) {
		return biffRecord{}, false, brokenXLS()
	}
	s.pos = start + size
	return biffRecord{typ, s.data[start : start+size]}, true, nil
}

// biffRecordType reports the types BIFF8 records have ([MS-XLS] 2.3):
// readers skip the records they do not know, but a type outside these
// ranges is no record a writer wrote; it is the stream read out of step,
// after a damaged length.
func biffRecordType(t uint16) bool {
	// 0 was BIFF2's DIMENSIONS; in a BIFF8 stream it is zeros where
	// records should be.
	return (t > 0 && t < 0x0300) || (t >= 0x0400 && t < 0x0500) || (t >= 0x0800 && t < 0x0900) || (t >= 0x1000 && t < 0x1100)
}

// biffRecordSize checks the length of the records of a fixed size (or a
// size by a rule) that this reader relies on: any other length is damage.
func biffRecordSize(t uint16, n int) bool {
	switch t {
	case recRow:
		return n == 16
	case recLabelSST, recRK:
		return n == 10
	case recNumber:
		return n == 14
	case recBoolErr:
		return n == 8
	case recDimensions:
		return n == 14
	case recBlank:
		return n == 6
	case recMulRK:
		return n >= 12 && (n-6)%6 == 0
	case recMulBlank:
		return n >= 8 && n%2 == 0
	case recFormula:
		return n >= 20
	}
	return true
}

// mustNext is next where the stream may not end: a substream cut off
// before its EOF record is damaged.
func (s *biffStream) mustNext() (biffRecord, error) {
	r, ok, err := s.next()
	if err == nil && !ok {
		err = brokenXLS()
	}
	return r, err
}

// peek returns the type of the next record, or 0.
func (s *biffStream) peek() uint16 {
	if s.pos+4 > len(s.data) {
		return 0
	}
	return binary.LittleEndian.Uint16(s.data[s.pos:])
}

// biffBook is what the globals substream says about the workbook.
type biffBook struct {
	sst      []string
	formats  map[int]string // custom number formats by id
	xfFormat []int          // number format id of each cell format (XF)
	date1904 bool
	sheets   []biffSheet
	offsets  []int // of every sheet's substream, worksheets or not
	m        *meter
}

type biffSheet struct {
	info   sheetInfo
	offset int
}

// readBIFF8 reads the globals, then every worksheet into a grid.
func readBIFF8(stream []byte, m *meter) (source, error) {
	s := &biffStream{data: stream}
	if err := checkBOF(s); err != nil {
		return nil, err
	}
	b := &biffBook{formats: map[int]string{}, m: m}
	if err := b.readGlobals(s); err != nil {
		return nil, err
	}
	if err := b.checkSubstreams(s); err != nil {
		return nil, err
	}
	src := &gridSource{}
	for _, sh := range b.sheets {
		g, err := b.readSheet(stream, sh)
		if err != nil {
			return nil, err
		}
		src.grids = append(src.grids, g)
	}
	return src, nil
}

// checkSubstreams walks the substreams after the globals, from BOF to
// its EOF, and requires them to be the sheets the BOUNDSHEET records name,
// all of them: a sheet whose record was lost to damage would otherwise
// vanish from the import, and a sheet read out of step runs on into the
// next one, which the walk then never starts. Whatever follows the last
// substream (padding) is not judged.
func (b *biffBook) checkSubstreams(s *biffStream) error {
	claimed := map[int]bool{}
	for _, o := range b.offsets {
		claimed[o] = true
	}
	walked := 0
	for s.pos < len(s.data) && s.peek() == recBOF {
		if !claimed[s.pos] {
			return brokenXLS()
		}
		walked++
		if err := b.skipSubstream(s); err != nil {
			return err
		}
	}
	if walked != len(claimed) {
		return brokenXLS()
	}
	return nil
}

// skipSubstream passes a substream, from its BOF to its EOF.
func (b *biffBook) skipSubstream(s *biffStream) error {
	for depth := 0; ; {
		r, err := s.mustNext()
		if err != nil {
			return err
		}
		switch r.typ {
		case recBOF:
			depth++
		case recEOF:
			if depth--; depth == 0 {
				return nil
			}
		}
		if err := b.m.tick(); err != nil {
			return err
		}
	}
}

// The BOF record types of BIFF2, 3 and 4, whose workbooks are refused as
// too old.
const (
	recBOF2 = 0x0009
	recBOF3 = 0x0209
	recBOF4 = 0x0409
)

// checkBOF reads the stream's first record: the BOF of a BIFF8 workbook,
// or of an older one (refused as such), or damage. BIFF8's BOF is 16
// bytes and says 0x0600; some writers leave the version 0, which Excel
// reads by the record's length.
func checkBOF(s *biffStream) error {
	bof, ok, err := s.next()
	switch {
	case err != nil || !ok:
		return brokenXLS()
	case bof.typ == recBOF2 || bof.typ == recBOF3 || bof.typ == recBOF4:
		return legacyXLS()
	case bof.typ != recBOF || len(bof.body) < 4:
		return brokenXLS()
	}
	switch v := binary.LittleEndian.Uint16(bof.body); {
	case v == biff8:
		return nil
	case v == 0x0500 || v == 0x0400 || v == 0x0300 || v == 0x0200 || len(bof.body) < 16:
		return legacyXLS()
	}
	return nil
}

// readGlobals reads the globals substream up to its EOF record.
func (b *biffBook) readGlobals(s *biffStream) error {
	for {
		r, err := s.mustNext()
		if err != nil {
			return err
		}
		if err := b.m.tick(); err != nil {
			return err
		}
		if isCellRecord(r.typ) || r.typ == recRow {
			return brokenXLS() // a worksheet's record in the globals
		}
		switch r.typ {
		case recEOF:
			return nil
		case recFilePass:
			return encrypted()
		case recDateMode:
			b.date1904 = len(r.body) >= 2 && r.body[0] == 1
		case recFormat:
			if len(r.body) >= 2 {
				code, _ := xlUnicodeString(r.body[2:])
				b.formats[int(binary.LittleEndian.Uint16(r.body))] = code
				err = b.m.charge(len(code) + 64)
			}
		case recXF:
			if len(r.body) >= 4 {
				b.xfFormat = append(b.xfFormat, int(binary.LittleEndian.Uint16(r.body[2:])))
				err = b.m.charge(8)
			}
		case recBoundSheet:
			err = b.addSheet(s.data, r.body)
		case recSST:
			err = b.readSST(s, r)
		}
		if err != nil {
			return err
		}
	}
}

// readSST gathers the SST record and the CONTINUE records after it.
func (b *biffBook) readSST(s *biffStream, r biffRecord) error {
	segs := [][]byte{r.body}
	for s.peek() == recContinue {
		c, err := s.mustNext()
		if err != nil {
			return err
		}
		segs = append(segs, c.body)
	}
	sst, err := readSST(segs, b.m)
	b.sst = sst
	return err
}

// addSheet reads a BOUNDSHEET record; only worksheets are kept (not charts
// or macro sheets), but every sheet's substream must be where the record
// says and of the kind it says.
func (b *biffBook) addSheet(stream []byte, body []byte) error {
	if len(body) < 8 {
		return brokenXLS()
	}
	offset := int(binary.LittleEndian.Uint32(body))
	kind, ok := sheetKinds[body[5]]
	if !ok || body[4]&3 == 3 || substreamKind(stream, offset) != kind {
		return brokenXLS()
	}
	b.offsets = append(b.offsets, offset)
	if kind != bofWorksheet {
		return nil
	}
	name, _ := shortXLUnicodeString(body[6:])
	name = strings.ReplaceAll(name, "\x00", "")
	b.sheets = append(b.sheets, biffSheet{info: sheetInfo{name: name, hidden: body[4]&3 != 0}, offset: offset})
	return b.m.charge(len(name) + 64)
}

// sheetKinds maps a BOUNDSHEET's sheet type to the type its substream's
// BOF says: worksheet (or dialog), macro sheet, chart, VBA module.
var sheetKinds = map[byte]uint16{0: bofWorksheet, 1: 0x0040, 2: bofChart, 6: 0x0006}

// substreamKind is the type the BOF at offset says, or 0 when there is no
// BOF there.
func substreamKind(stream []byte, offset int) uint16 {
	s := &biffStream{data: stream, pos: offset}
	if offset < 0 || offset >= len(stream) {
		return 0
	}
	bof, ok, err := s.next()
	if err != nil || !ok || bof.typ != recBOF || len(bof.body) < 4 {
		return 0
	}
	return binary.LittleEndian.Uint16(bof.body[2:])
}

// biffCell is one cell read from a worksheet substream.
type biffCell struct {
	row, col  int
	text, raw string
}

// biffCellCost is what a biffCell costs beyond its strings' bytes.
const biffCellCost = 48

// sheetCells gathers the cells of one worksheet substream.
type sheetCells struct {
	b     *biffBook
	cells []biffCell
	// pendingString is the formula cell whose text the next STRING
	// record holds, or -1.
	pendingString int
	// present has the rows with a cell record (blank ones included);
	// declared the rows whose ROW record says they hold cells.
	present  sectorSet
	declared sectorSet
	rowRecs  int
	// dims is the DIMENSIONS record's first row and one past its last
	// (none when the sheet has no such record); first and last the rows
	// seen with a cell or a ROW record.
	dims        [2]int
	hasDims     bool
	first, last int
}

func (c *sheetCells) add(row, col int, text, raw string) error {
	if col >= biffMaxColumns {
		return nil
	}
	c.cells = append(c.cells, biffCell{row, col, text, raw})
	if len(c.cells) > maxGridCells {
		return tooManyCells()
	}
	n := biffCellCost + len(text)
	if raw != text {
		n += len(raw)
	}
	return c.b.m.charge(n)
}

func (c *sheetCells) num(row, col, xf int, v float64) error {
	text, raw := c.b.numberText(v, xf)
	return c.add(row, col, text, raw)
}

// readSheet reads a worksheet substream, which must start with a
// worksheet's BOF where its BOUNDSHEET record says and end with its EOF,
// into rows.
func (b *biffBook) readSheet(stream []byte, sh biffSheet) (gridSheet, error) {
	g := gridSheet{info: sh.info}
	s := &biffStream{data: stream, pos: sh.offset}
	if _, err := s.mustNext(); err != nil { // the BOF addSheet has seen
		return g, err
	}
	c := &sheetCells{b: b, pendingString: -1, present: newSectorSet(1 << 16), declared: newSectorSet(1 << 16), last: -1}
	depth := 1 // embedded charts have BOF…EOF substreams of their own
	for depth > 0 {
		r, err := s.mustNext()
		if err != nil {
			return g, err
		}
		switch r.typ {
		case recBOF:
			// Only charts are embedded in a worksheet: a worksheet's BOF
			// here means its own EOF was lost.
			if len(r.body) < 4 || binary.LittleEndian.Uint16(r.body[2:]) != bofChart {
				return g, brokenXLS()
			}
			depth++
		case recEOF:
			depth--
		default:
			// Chart records belong in a chart's substream, the
			// workbook's own in the globals.
			if depth == 1 && (r.typ >= 0x1000 || globalsOnly[r.typ]) {
				return g, brokenXLS()
			}
			if depth == 1 {
				err = c.record(r)
			}
		}
		if err == nil {
			err = b.m.tick()
		}
		if err != nil {
			return g, err
		}
	}
	if err := c.checkRows(); err != nil {
		return g, err
	}
	var err error
	g.rows, g.raw, err = gridOf(c.cells, b.m)
	return g, err
}

// checkRows compares the cells read with the rows the sheet's ROW records
// declare to hold cells: a declared row without any is a row lost to
// damage (the records in between read out of step, or a cell record's
// type damaged), which would otherwise read as a student fewer; and when
// the sheet has ROW records, a row with cells but none lost its own.
//
// The DIMENSIONS record names the first and the last row in use: rows
// lost at the top or the bottom of a sheet show there. (A writer that
// claims the whole sheet, 65,536 rows, says nothing and is not judged.)
func (c *sheetCells) checkRows() error {
	for i := range c.declared {
		if c.declared[i]&^c.present[i] != 0 || (c.rowRecs > 0 && c.present[i]&^c.declared[i] != 0) {
			return brokenXLS()
		}
	}
	// A writer of ROW records writes DIMENSIONS before them; a sheet
	// with neither DIMENSIONS nor a cell is one read out of step up to
	// its EOF (writers that leave DIMENSIONS out write cells).
	if !c.hasDims && (c.rowRecs > 0 || c.last < 0) {
		return brokenXLS()
	}
	if from, to := c.dims[0], c.dims[1]; c.hasDims && to > from && to < 1<<16 {
		if c.last < 0 || c.first > from || c.last < to-1 {
			return brokenXLS()
		}
	}
	return nil
}

// seen notes a row with a cell or a ROW record.
func (c *sheetCells) seen(row int) {
	if c.last < 0 || row < c.first {
		c.first = row
	}
	c.last = max(c.last, row)
}

// record reads one record of a worksheet: a cell, or the text of the
// formula cell before it.
func (c *sheetCells) record(r biffRecord) error {
	body := r.body
	if r.typ == recString {
		if i := c.pendingString; i >= 0 && len(body) >= 3 {
			c.cells[i].text, _ = xlUnicodeString(body)
			c.cells[i].raw = c.cells[i].text
			if err := c.b.m.charge(len(c.cells[i].text)); err != nil {
				return err
			}
		}
		c.pendingString = -1
		return nil
	}
	if len(body) < 6 {
		return nil
	}
	row := int(binary.LittleEndian.Uint16(body))
	col := int(binary.LittleEndian.Uint16(body[2:]))
	xf := int(binary.LittleEndian.Uint16(body[4:]))
	if isCellRecord(r.typ) {
		c.present.add(uint32(row))
	}
	if isCellRecord(r.typ) || r.typ == recRow {
		c.seen(row)
	}
	switch r.typ {
	case recDimensions:
		c.dims = [2]int{int(binary.LittleEndian.Uint32(body)), int(binary.LittleEndian.Uint32(body[4:]))}
		c.hasDims = true
	case recRow:
		// rw, colMic, colMac: cells from colMic to before colMac.
		c.rowRecs++
		if xf > col {
			c.declared.add(uint32(row))
		}
	case recMulBlank:
		if col+(len(body)-6)/2-1 != int(binary.LittleEndian.Uint16(body[len(body)-2:])) {
			return brokenXLS()
		}
	case recLabelSST:
		if len(body) < 10 {
			return nil
		}
		// A shared string that is not in the table means the table or
		// the cell is damaged: the cell's text is lost.
		i := int(binary.LittleEndian.Uint32(body[6:]))
		if i < 0 || i >= len(c.b.sst) {
			return brokenXLS()
		}
		return c.add(row, col, c.b.sst[i], c.b.sst[i])
	case recLabel, recRString:
		text, _ := xlUnicodeString(body[6:])
		return c.add(row, col, text, text)
	case recNumber:
		if len(body) >= 14 {
			return c.num(row, col, xf, float64frombits(body[6:]))
		}
	case recRK:
		if len(body) >= 10 {
			return c.num(row, col, xf, rkValue(binary.LittleEndian.Uint32(body[6:])))
		}
	case recMulRK:
		return c.mulRK(row, col, body)
	case recBoolErr:
		if len(body) >= 8 {
			t := boolErrText(body[6], body[7])
			return c.add(row, col, t, t)
		}
	case recFormula:
		return c.formula(row, col, xf, body)
	}
	return nil
}

// globalsOnly are record types of the globals substream only: in a
// worksheet they are the stream read out of step.
var globalsOnly = map[uint16]bool{
	recSST: true, 0x00FF: true, recBoundSheet: true, recFormat: true, recXF: true, 0x0031: true, 0x0293: true,
	recDateMode: true, 0x0042: true, 0x003D: true, recFilePass: true, 0x005C: true, 0x013D: true, 0x008C: true,
}

// isCellRecord reports the records that put a cell (blank or not) in a row.
func isCellRecord(t uint16) bool {
	switch t {
	case recLabelSST, recLabel, recRString, recNumber, recRK, recMulRK, recBoolErr, recFormula, recBlank, recMulBlank:
		return true
	}
	return false
}

// mulRK reads rw, colFirst, then (ixfe, RK) pairs, then colLast, which
// must be where the pairs end.
func (c *sheetCells) mulRK(row, col int, body []byte) error {
	if col+(len(body)-6)/6-1 != int(binary.LittleEndian.Uint16(body[len(body)-2:])) {
		return brokenXLS()
	}
	for i, p := 0, 4; p+6 <= len(body)-2; i, p = i+1, p+6 {
		xf := int(binary.LittleEndian.Uint16(body[p:]))
		if err := c.num(row, col+i, xf, rkValue(binary.LittleEndian.Uint32(body[p+2:]))); err != nil {
			return err
		}
	}
	return nil
}

// formula reads a formula cell's cached value; a text value is in the
// STRING record that follows.
func (c *sheetCells) formula(row, col, xf int, body []byte) error {
	if len(body) < 14 {
		return nil
	}
	v := body[6:14]
	if v[6] != 0xff || v[7] != 0xff {
		return c.num(row, col, xf, float64frombits(v))
	}
	switch v[0] {
	case 0:
		if err := c.add(row, col, "", ""); err != nil {
			return err
		}
		c.pendingString = len(c.cells) - 1
	case 1:
		t := boolErrText(v[2], 0)
		return c.add(row, col, t, t)
	case 2:
		t := boolErrText(v[2], 1)
		return c.add(row, col, t, t)
	}
	return nil
}

// gridOf sorts cells into rows (1-based numbers as Excel shows them) and
// keeps the raw values that differ from the text. Cells come nearly in
// order already; a later cell at the same place wins. A row is as wide as
// its last cell with text, which the meter is charged for: a single cell
// in column IV makes a row of 256.
func gridOf(cells []biffCell, m *meter) ([]gridRow, map[[2]int]string, error) {
	slices.SortStableFunc(cells, func(a, b biffCell) int {
		if a.row != b.row {
			return a.row - b.row
		}
		return a.col - b.col
	})
	var rows []gridRow
	var raw map[[2]int]string
	for i := 0; i < len(cells); {
		j := i
		width := 0
		for ; j < len(cells) && cells[j].row == cells[i].row; j++ {
			if cells[j].text != "" {
				width = cells[j].col + 1
			}
		}
		if err := m.charge(64 + width*stringCost); err != nil {
			return nil, nil, err
		}
		num := cells[i].row + 1
		row := gridRow{num: num, cells: make([]string, width)}
		for _, c := range cells[i:j] {
			if c.col >= width {
				continue
			}
			row.cells[c.col] = c.text
			if c.raw != c.text {
				if raw == nil {
					raw = map[[2]int]string{}
				}
				raw[[2]int{num, c.col}] = c.raw
			}
		}
		rows = append(rows, row)
		i = j
	}
	return rows, raw, nil
}

// brokenXLS answers an OLE2 file whose workbook cannot be read: a damaged
// container or record stream.
func brokenXLS() *FileError {
	return fileError(CodeCorrupt, "文件已损坏（这个 .xls 文件的内部结构不完整），无法可靠读取，什么也没有导入：请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。")
}

func legacyXLS() *FileError {
	return fileError(CodeLegacyXLS, "这是 Excel 95 或更早版本的工作簿，无法直接读取：请在 Excel 或 WPS 中打开，“另存为” Excel 工作簿（.xlsx）后再上传。")
}

func tooManyCells() *FileError {
	return fileError(CodeTooLarge, "表格中的单元格超过 400 万个，不是正常的花名册：请删除多余的行和列，或按班级分成几个文件后再上传。")
}
