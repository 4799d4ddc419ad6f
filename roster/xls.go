package roster

import (
	"bytes"
	"encoding/binary"
	"slices"
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

	biff8          = 0x0600
	bofGlobals     = 0x0005
	bofWorksheet   = 0x0010
	biffMaxColumns = 256 // BIFF8 sheets have columns A–IV
	// maxGridCells bounds what a sheet held in memory may hold; a real
	// 50,000-student roster has about 600,000 cells.
	maxGridCells = 4_000_000
)

// openOLE reads an OLE2 compound file: an encrypted .xlsx, a BIFF8 .xls or
// .et, an older Excel file, or some other Office document.
func openOLE(data []byte) (source, error) {
	if bytes.Contains(data, []byte(encryptedPackage)) || bytes.Contains(data, []byte(encryptionInfo)) {
		return nil, encrypted()
	}
	doc, ok := openCFB(data)
	if !ok {
		return nil, brokenXLS()
	}
	stream, ok := doc.stream("Workbook")
	if !ok {
		if _, old := doc.stream("Book"); old {
			return nil, fileError(CodeLegacyXLS, "这是 Excel 95 或更早版本的工作簿，无法直接读取：请在 Excel 或 WPS 中打开，“另存为” Excel 工作簿（.xlsx）后再上传。")
		}
		return nil, notWorkbook()
	}
	return readBIFF8(stream)
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

func (s *biffStream) next() (biffRecord, bool) {
	if s.pos+4 > len(s.data) {
		return biffRecord{}, false
	}
	typ := binary.LittleEndian.Uint16(s.data[s.pos:])
	size := int(binary.LittleEndian.Uint16(s.data[s.pos+2:]))
	start := s.pos + 4
	if start+size > len(s.data) {
		return biffRecord{}, false
	}
	s.pos = start + size
	return biffRecord{typ, s.data[start : start+size]}, true
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
}

type biffSheet struct {
	info   sheetInfo
	offset int
}

// readBIFF8 reads the globals, then every worksheet into a grid.
func readBIFF8(stream []byte) (source, error) {
	s := &biffStream{data: stream}
	bof, ok := s.next()
	if !ok || bof.typ != recBOF || len(bof.body) < 4 {
		return nil, brokenXLS()
	}
	if v := binary.LittleEndian.Uint16(bof.body); v != biff8 {
		return nil, fileError(CodeLegacyXLS, "这是 Excel 95 或更早版本的工作簿，无法直接读取：请在 Excel 或 WPS 中打开，“另存为” Excel 工作簿（.xlsx）后再上传。")
	}
	b := &biffBook{formats: map[int]string{}}
	for {
		r, ok := s.next()
		if !ok || r.typ == recEOF {
			break
		}
		switch r.typ {
		case recFilePass:
			return nil, encrypted()
		case recDateMode:
			b.date1904 = len(r.body) >= 2 && r.body[0] == 1
		case recFormat:
			if len(r.body) >= 2 {
				code, _ := xlUnicodeString(r.body[2:])
				b.formats[int(binary.LittleEndian.Uint16(r.body))] = code
			}
		case recXF:
			if len(r.body) >= 4 {
				b.xfFormat = append(b.xfFormat, int(binary.LittleEndian.Uint16(r.body[2:])))
			}
		case recBoundSheet:
			b.addSheet(r.body)
		case recSST:
			segs := [][]byte{r.body}
			for s.peek() == recContinue {
				c, _ := s.next()
				segs = append(segs, c.body)
			}
			b.sst = readSST(segs)
		}
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

// addSheet reads a BOUNDSHEET record; only worksheets are kept (not charts
// or macro sheets).
func (b *biffBook) addSheet(body []byte) {
	if len(body) < 8 || body[5] != 0 {
		return
	}
	name, _ := shortXLUnicodeString(body[6:])
	b.sheets = append(b.sheets, biffSheet{
		info:   sheetInfo{name: name, hidden: body[4]&3 != 0},
		offset: int(binary.LittleEndian.Uint32(body)),
	})
}

// biffCell is one cell read from a worksheet substream.
type biffCell struct {
	row, col  int
	text, raw string
}

// readSheet reads a worksheet substream into rows.
func (b *biffBook) readSheet(stream []byte, sh biffSheet) (gridSheet, error) {
	g := gridSheet{info: sh.info}
	if sh.offset < 0 || sh.offset >= len(stream) {
		return g, nil
	}
	s := &biffStream{data: stream, pos: sh.offset}
	bof, ok := s.next()
	if !ok || bof.typ != recBOF || len(bof.body) < 4 || binary.LittleEndian.Uint16(bof.body[2:]) != bofWorksheet {
		return g, nil
	}
	var cells []biffCell
	add := func(row, col int, text, raw string) {
		if col < biffMaxColumns {
			cells = append(cells, biffCell{row, col, text, raw})
		}
	}
	num := func(row, col, xf int, v float64) {
		text, raw := b.numberText(v, xf)
		add(row, col, text, raw)
	}
	depth := 1 // embedded charts have BOF…EOF substreams of their own
	pendingString := -1
	for depth > 0 {
		r, ok := s.next()
		if !ok {
			break
		}
		if len(cells) > maxGridCells {
			return g, tooManyCells()
		}
		switch r.typ {
		case recBOF:
			depth++
			continue
		case recEOF:
			depth--
			continue
		}
		if depth > 1 {
			continue
		}
		body := r.body
		if r.typ == recString {
			if pendingString >= 0 && len(body) >= 3 {
				cells[pendingString].text, _ = xlUnicodeString(body)
				cells[pendingString].raw = cells[pendingString].text
			}
			pendingString = -1
			continue
		}
		if len(body) < 6 {
			continue
		}
		row := int(binary.LittleEndian.Uint16(body))
		col := int(binary.LittleEndian.Uint16(body[2:]))
		xf := int(binary.LittleEndian.Uint16(body[4:]))
		switch r.typ {
		case recLabelSST:
			if len(body) >= 10 {
				if i := int(binary.LittleEndian.Uint32(body[6:])); i >= 0 && i < len(b.sst) {
					add(row, col, b.sst[i], b.sst[i])
				}
			}
		case recLabel, recRString:
			text, _ := xlUnicodeString(body[6:])
			add(row, col, text, text)
		case recNumber:
			if len(body) >= 14 {
				num(row, col, xf, float64frombits(body[6:]))
			}
		case recRK:
			if len(body) >= 10 {
				num(row, col, xf, rkValue(binary.LittleEndian.Uint32(body[6:])))
			}
		case recMulRK:
			// rw, colFirst, then (ixfe, RK) pairs, then colLast.
			for i, p := 0, 4; p+6 <= len(body)-2; i, p = i+1, p+6 {
				num(row, col+i, int(binary.LittleEndian.Uint16(body[p:])), rkValue(binary.LittleEndian.Uint32(body[p+2:])))
			}
		case recBoolErr:
			if len(body) >= 8 {
				t := boolErrText(body[6], body[7])
				add(row, col, t, t)
			}
		case recFormula:
			if len(body) < 14 {
				continue
			}
			v := body[6:14]
			if v[6] != 0xff || v[7] != 0xff {
				num(row, col, xf, float64frombits(v))
				continue
			}
			switch v[0] {
			case 0: // the value is in the STRING record that follows
				add(row, col, "", "")
				pendingString = len(cells) - 1
			case 1:
				t := boolErrText(v[2], 0)
				add(row, col, t, t)
			case 2:
				t := boolErrText(v[2], 1)
				add(row, col, t, t)
			}
		}
	}
	g.rows, g.raw = gridOf(cells)
	return g, nil
}

// gridOf sorts cells into rows (1-based numbers as Excel shows them) and
// keeps the raw values that differ from the text. Cells come nearly in
// order already; a later cell at the same place wins.
func gridOf(cells []biffCell) ([]gridRow, map[[2]int]string) {
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
	return rows, raw
}

// brokenXLS answers an OLE2 file whose workbook cannot be read.
func brokenXLS() *FileError {
	return fileError(CodeCorrupt, "这个旧版 Excel（.xls）文件已损坏，无法读取：请用 Excel 或 WPS 打开检查，“另存为” Excel 工作簿（.xlsx）后再上传。")
}

func tooManyCells() *FileError {
	return fileError(CodeTooLarge, "表格中的单元格超过 400 万个，不是正常的花名册：请删除多余的行和列，或按班级分成几个文件后再上传。")
}
