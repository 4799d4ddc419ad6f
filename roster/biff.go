package roster

import (
	"encoding/binary"
	"math"
	"strconv"
	"unicode/utf16"
)

// Decoding of BIFF8 values ([MS-XLS] 2.5): strings, RK numbers, booleans
// and errors, and the text a number cell shows.

// xlUnicodeString reads a string with a 16-bit length ([MS-XLS]
// 2.5.294), as far as the bytes go.
func xlUnicodeString(b []byte) (string, int) {
	if len(b) < 3 {
		return "", len(b)
	}
	s, n := biffChars(b[3:], int(binary.LittleEndian.Uint16(b)), b[2]&1 != 0)
	return s, 3 + n
}

// shortXLUnicodeString reads a string with an 8-bit length.
func shortXLUnicodeString(b []byte) (string, int) {
	if len(b) < 2 {
		return "", len(b)
	}
	s, n := biffChars(b[2:], int(b[0]), b[1]&1 != 0)
	return s, 2 + n
}

// biffChars reads up to n characters: UTF-16 when high, else one byte each
// (Latin-1, the "compressed" form).
func biffChars(b []byte, n int, high bool) (string, int) {
	if high {
		n = min(n, len(b)/2)
		u := make([]uint16, n)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(b[2*i:])
		}
		return string(utf16.Decode(u)), 2 * n
	}
	n = min(n, len(b))
	r := make([]rune, n)
	for i := range r {
		r[i] = rune(b[i])
	}
	return string(r), n
}

// sstReader reads the shared string table, whose strings run on across
// CONTINUE records; a string's characters that do so restart with a byte
// saying whether they are compressed.
type sstReader struct {
	segs [][]byte
	seg  int
	off  int
}

func (r *sstReader) atEnd() bool {
	for r.seg < len(r.segs) && r.off >= len(r.segs[r.seg]) {
		r.seg++
		r.off = 0
	}
	return r.seg >= len(r.segs)
}

func (r *sstReader) byte() (byte, bool) {
	if r.atEnd() {
		return 0, false
	}
	c := r.segs[r.seg][r.off]
	r.off++
	return c, true
}

func (r *sstReader) uint(n int) (uint32, bool) {
	var v uint32
	for i := range n {
		c, ok := r.byte()
		if !ok {
			return 0, false
		}
		v |= uint32(c) << (8 * i)
	}
	return v, true
}

// skip passes over n bytes; false when the table ends first.
func (r *sstReader) skip(n int) bool {
	for n > 0 {
		if r.atEnd() {
			return false
		}
		k := min(n, len(r.segs[r.seg])-r.off)
		r.off += k
		n -= k
	}
	return true
}

// str reads one XLUnicodeRichExtendedString ([MS-XLS] 2.5.293).
func (r *sstReader) str() (string, bool) {
	cch, ok1 := r.uint(2)
	flags, ok2 := r.byte()
	if !ok1 || !ok2 {
		return "", false
	}
	runs, ext := uint32(0), uint32(0)
	if flags&8 != 0 {
		if runs, ok1 = r.uint(2); !ok1 {
			return "", false
		}
	}
	if flags&4 != 0 {
		if ext, ok1 = r.uint(4); !ok1 {
			return "", false
		}
	}
	high := flags&1 != 0
	u := make([]uint16, 0, min(int(cch), 1024))
	for len(u) < int(cch) {
		if r.seg < len(r.segs) && r.off >= len(r.segs[r.seg]) {
			// The characters go on in the next CONTINUE record.
			if r.atEnd() {
				return "", false
			}
			f, _ := r.byte()
			high = f&1 != 0
		}
		var c uint32
		if high {
			c, ok1 = r.uint(2)
		} else {
			c, ok1 = r.uint(1)
		}
		if !ok1 {
			return "", false
		}
		u = append(u, uint16(c))
	}
	s := string(utf16.Decode(u))
	return s, r.skip(int(runs)*4) && r.skip(int(min(ext, 1<<30)))
}

// readSST reads the shared strings of an SST record and its CONTINUE
// records. A table that ends between two strings before its declared
// count is read as far as it goes (some writers count wrong, and Excel
// reads them); a string cut short is damage.
func readSST(segs [][]byte, m *meter) ([]string, error) {
	r := &sstReader{segs: segs}
	_, ok1 := r.uint(4)
	unique, ok2 := r.uint(4)
	if !ok1 || !ok2 {
		return nil, brokenXLS()
	}
	// Never trust the declared count for an allocation: every string
	// takes at least three bytes.
	total := 0
	for _, s := range segs {
		total += len(s)
	}
	n := min(int(unique), total/3)
	if err := m.charge(n * stringCost); err != nil {
		return nil, err
	}
	out := make([]string, 0, n)
	for range unique {
		if r.atEnd() {
			break
		}
		s, ok := r.str()
		if !ok {
			return nil, brokenXLS()
		}
		if err := m.charge(len(s)); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func float64frombits(b []byte) float64 {
	return math.Float64frombits(binary.LittleEndian.Uint64(b))
}

// rkValue decodes an RK number ([MS-XLS] 2.5.217): a 30-bit integer or the
// top of a double, possibly times 100.
func rkValue(rk uint32) float64 {
	var v float64
	if rk&2 != 0 {
		v = float64(int32(rk) >> 2)
	} else {
		v = math.Float64frombits(uint64(rk&^3) << 32)
	}
	if rk&1 != 0 {
		v /= 100
	}
	return v
}

// boolErrText shows a boolean or an error value as Excel does.
func boolErrText(v, isErr byte) string {
	if isErr == 0 {
		if v != 0 {
			return "TRUE"
		}
		return "FALSE"
	}
	switch v {
	case 0x00:
		return "#NULL!"
	case 0x07:
		return "#DIV/0!"
	case 0x0F:
		return "#VALUE!"
	case 0x17:
		return "#REF!"
	case 0x1D:
		return "#NAME?"
	case 0x24:
		return "#NUM!"
	default:
		return "#N/A"
	}
}

// numberText is what a number cell reads as, formatted and raw, the way
// the .xlsx reader gives it: dates as their serial number (in the 1900
// system), zero-padded formats such as 000000 applied, other numbers as
// Excel's General format shows them, and every digit in the raw value.
func (b *biffBook) numberText(v float64, xf int) (text, raw string) {
	id := 0
	if xf >= 0 && xf < len(b.xfFormat) {
		id = b.xfFormat[xf]
	}
	code, custom := b.formats[id]
	if (custom && isDateFormat(code)) || (!custom && isBuiltinDate(id)) {
		if b.date1904 {
			v += 1462
		}
		s := generalNumber(v)
		return s, s
	}
	raw = rawNumber(v)
	if width := zeroPadWidth(code); width > 0 && v >= 0 && v == math.Trunc(v) && v < 1e15 {
		s := strconv.FormatFloat(v, 'f', 0, 64)
		for len(s) < width {
			s = "0" + s
		}
		return s, s
	}
	return generalNumber(v), raw
}

// generalNumber shows a number as Excel's General format does: whole
// numbers of up to 15 digits in full, longer ones in scientific notation,
// fractions to 15 significant digits.
func generalNumber(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "#NUM!"
	case math.Abs(v) >= 1e15:
		return strconv.FormatFloat(v, 'E', 5, 64)
	case v == math.Trunc(v):
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// rawNumber is every digit the file stores.
func rawNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "#NUM!"
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e21 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// zeroPadWidth is the width of a format made of zeros only ("000000", the
// format that keeps a student number's leading zeros), or 0.
func zeroPadWidth(code string) int {
	if len(code) < 2 {
		return 0
	}
	for i := 0; i < len(code); i++ {
		if code[i] != '0' {
			return 0
		}
	}
	return len(code)
}
