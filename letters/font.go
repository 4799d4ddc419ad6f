package letters

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// font is a TrueType font parsed once per Engine and never modified
// afterwards, so any number of goroutines may read it.
//
// Why our own subsetter and font objects: gofpdf re-parses a UTF-8 font for
// every document (~35 ms for a 4 MB font, far more for the 15.7 MB one we
// ship), races when documents share font bytes, reads only the BMP cmap, and
// its per-document font output (a JSON font ID, its own second subset, the
// font compressed at its fastest level) was ~40% of a letter's CPU. So
// gofpdf never sees a font: every document gets a tiny TrueType font per
// slot holding just the glyphs it uses (built here in well under a
// millisecond), text is drawn by glyph ID (render.go) and pdffont.go writes
// the font objects. Characters above U+FFFF that the font has (such as the
// surname 𠮷) are ordinary glyphs there.
type font struct {
	data       []byte
	tables     map[string][]byte
	unitsPerEm int
	numGlyphs  int
	nHMetrics  int
	longLoca   bool
	cmap       map[rune]uint16
	name       string
}

// puaBase starts the Private Use Area, whose characters a letter never
// prints (they mean nothing to a parent).
const puaBase = 0xE000

var errNotTrueType = errors.New("not a TrueType font (OpenType/CFF and collections are not supported)")

func parseFont(data []byte, psName string) (*font, error) {
	if len(data) < 12 {
		return nil, errNotTrueType
	}
	if v := binary.BigEndian.Uint32(data); v != 0x00010000 && v != 0x74727565 {
		return nil, errNotTrueType
	}
	n := int(binary.BigEndian.Uint16(data[4:]))
	f := &font{data: data, tables: map[string][]byte{}, name: psName}
	for i := range n {
		rec := data[12+16*i:]
		if len(rec) < 16 {
			return nil, errors.New("truncated table directory")
		}
		off, ln := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(ln) > uint64(len(data)) {
			return nil, fmt.Errorf("table %q out of range", rec[:4])
		}
		f.tables[string(rec[:4])] = data[off : off+ln]
	}
	for _, t := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap", "OS/2", "post"} {
		if f.tables[t] == nil {
			return nil, fmt.Errorf("missing table %q", t)
		}
	}
	head := f.tables["head"]
	f.unitsPerEm = int(binary.BigEndian.Uint16(head[18:]))
	f.longLoca = binary.BigEndian.Uint16(head[50:]) == 1
	f.numGlyphs = int(binary.BigEndian.Uint16(f.tables["maxp"][4:]))
	f.nHMetrics = int(binary.BigEndian.Uint16(f.tables["hhea"][34:]))
	if f.unitsPerEm == 0 || f.nHMetrics == 0 {
		return nil, errors.New("bad head/hhea")
	}
	cm, err := parseCmap(f.tables["cmap"])
	if err != nil {
		return nil, err
	}
	f.cmap = cm
	return f, nil
}

// parseCmap reads the best Unicode subtable: format 12 (full Unicode) if
// present, else format 4 (BMP).
func parseCmap(t []byte) (map[rune]uint16, error) {
	u16 := func(o int) int { return int(binary.BigEndian.Uint16(t[o:])) }
	u32 := func(o int) int { return int(binary.BigEndian.Uint32(t[o:])) }
	var off4, off12 int
	for i := range u16(2) {
		pid, eid, off := u16(4+8*i), u16(6+8*i), u32(8+8*i)
		if pid != 0 && !(pid == 3 && (eid == 1 || eid == 10)) {
			continue
		}
		switch u16(off) {
		case 4:
			off4 = off
		case 12:
			off12 = off
		}
	}
	m := make(map[rune]uint16, 40000)
	switch {
	case off12 != 0:
		groups := u32(off12 + 12)
		for g := range groups {
			o := off12 + 16 + 12*g
			start, end, gid := u32(o), u32(o+4), u32(o+8)
			for c := start; c <= end; c++ {
				if gid+c-start < 0x10000 {
					m[rune(c)] = uint16(gid + c - start)
				}
			}
		}
	case off4 != 0:
		segX2 := u16(off4 + 6)
		ends, starts := off4+14, off4+16+segX2
		deltas, ranges := starts+segX2, starts+2*segX2
		for s := 0; s < segX2; s += 2 {
			start, end := u16(starts+s), u16(ends+s)
			delta, ro := u16(deltas+s), u16(ranges+s)
			for c := start; c <= end && c != 0xFFFF; c++ {
				var gid int
				if ro == 0 {
					gid = (c + delta) & 0xFFFF
				} else if p := ranges + s + ro + 2*(c-start); p+2 <= len(t) {
					if gid = u16(p); gid != 0 {
						gid = (gid + delta) & 0xFFFF
					}
				}
				if gid != 0 {
					m[rune(c)] = uint16(gid)
				}
			}
		}
	default:
		return nil, errors.New("no Unicode cmap")
	}
	return m, nil
}

func (f *font) has(r rune) bool { _, ok := f.cmap[r]; return ok }

// advance returns the advance width of glyph g in 1/1000 em, rounded the way
// it is written in the PDF's /W array, so our line widths match what a
// viewer draws.
func (f *font) advance(g uint16) int {
	i := int(g)
	if i >= f.nHMetrics {
		i = f.nHMetrics - 1
	}
	aw := int(binary.BigEndian.Uint16(f.tables["hmtx"][4*i:]))
	w := (aw*1000 + f.unitsPerEm/2) / f.unitsPerEm
	return w
}

func (f *font) glyph(g int) []byte {
	loca, glyf := f.tables["loca"], f.tables["glyf"]
	var a, b int
	if f.longLoca {
		a, b = int(binary.BigEndian.Uint32(loca[4*g:])), int(binary.BigEndian.Uint32(loca[4*g+4:]))
	} else {
		a, b = 2*int(binary.BigEndian.Uint16(loca[2*g:])), 2*int(binary.BigEndian.Uint16(loca[2*g+2:]))
	}
	if a >= b || b > len(glyf) {
		return nil
	}
	return glyf[a:b]
}

// Composite glyph flags (TrueType glyf table).
const (
	compArgsWords  = 0x0001
	compScale      = 0x0008
	compMore       = 0x0020
	compXYScale    = 0x0040
	compTwoByTwo   = 0x0080
	compHeaderSize = 10
)

// components calls fn with the byte offset of each component glyph index
// inside composite glyph data d.
func components(d []byte, fn func(off int)) {
	if len(d) < compHeaderSize || int16(binary.BigEndian.Uint16(d)) >= 0 {
		return
	}
	p := compHeaderSize
	for p+4 <= len(d) {
		flags := binary.BigEndian.Uint16(d[p:])
		fn(p + 2)
		p += 4
		if flags&compArgsWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&compScale != 0:
			p += 2
		case flags&compXYScale != 0:
			p += 4
		case flags&compTwoByTwo != 0:
			p += 8
		}
		if flags&compMore == 0 {
			return
		}
	}
}

// subset is one document's font: the TrueType bytes and, for each rune the
// document uses, its glyph in the subset. The PDF draws glyph IDs directly
// (Identity-H with an identity CIDToGIDMap), so the subset needs no cmap
// table and runes above U+FFFF are no different from others.
type subset struct {
	ttf   []byte // the TrueType file; with base, the part before the glyf table
	gid   map[rune]uint16
	runes []rune // runes[i] is glyph i+1 (0: a component, no character)
	adv   []int  // advance of glyph i+1 in 1/1000 em
	font  *font  // the font the subset was cut from
	// base, when not nil, holds the first glyphs and tail the others: the
	// glyf table is base.glyf then tail (subsetOn).
	base *fontBase
	tail []byte
}

// subset builds a font holding exactly runes (each must satisfy f.has):
// glyph 0 is .notdef, glyphs 1…n the runes in code point order, then the
// components of composite glyphs.
func (f *font) subset(runes []rune) subset {
	runes = slices.Clone(runes)
	slices.Sort(runes)
	runes = slices.Compact(runes)
	order, newID := f.glyphOrder(runes)
	glyf, loca, hmtx, short := f.glyphTables(order, newID, true)
	tables := f.subsetTables(order, hmtx, loca, short)
	tables["glyf"] = glyf
	return subset{ttf: assemble(tables), gid: glyphIDs(runes), runes: runes, adv: f.advances(runes), font: f}
}

// subsetTables are the tables of a subset of the glyphs in order but its
// glyf table: head, hhea, maxp, post and name made for it, OS/2 as the
// font has it, and hmtx and loca as given.
func (f *font) subsetTables(order []int, hmtx, loca []byte, short bool) map[string][]byte {
	head := slices.Clone(f.tables["head"])
	binary.BigEndian.PutUint32(head[8:], 0) // checkSumAdjustment, set by assemble
	if short {
		binary.BigEndian.PutUint16(head[50:], 0)
	} else {
		binary.BigEndian.PutUint16(head[50:], 1)
	}
	hhea := slices.Clone(f.tables["hhea"])
	binary.BigEndian.PutUint16(hhea[34:], uint16(len(order)))
	maxp := slices.Clone(f.tables["maxp"])
	binary.BigEndian.PutUint16(maxp[4:], uint16(len(order)))
	post := make([]byte, 32)
	binary.BigEndian.PutUint32(post, 0x00030000)
	copy(post[4:16], f.tables["post"][4:16])
	return map[string][]byte{
		"OS/2": f.tables["OS/2"], "head": head,
		"hhea": hhea, "hmtx": hmtx, "loca": loca, "maxp": maxp, "name": nameTable(f.name), "post": post,
	}
}

// glyphOrder lists the subset's glyphs: .notdef, the glyphs of runes (so
// that rune i has glyph i+1), then the components composite glyphs use;
// newID maps an original glyph ID to its place in the list.
func (f *font) glyphOrder(runes []rune) (order []int, newID map[int]int) {
	order = make([]int, 1, len(runes)+1)
	for _, r := range runes {
		order = append(order, int(f.cmap[r]))
	}
	newID = make(map[int]int, 2*len(order))
	newID[0] = 0
	for i := 1; i < len(order); i++ {
		if _, ok := newID[order[i]]; !ok {
			newID[order[i]] = i
		}
	}
	return f.addComponents(order, newID, 0), newID
}

// addComponents appends to order the components that the composite
// glyphs of order[from:] (and those components) use and order lacks,
// numbering them in newID.
func (f *font) addComponents(order []int, newID map[int]int, from int) []int {
	for i := from; i < len(order); i++ {
		d := f.glyph(order[i])
		components(d, func(off int) {
			g := int(binary.BigEndian.Uint16(d[off:]))
			if _, ok := newID[g]; !ok && g < f.numGlyphs {
				newID[g] = len(order)
				order = append(order, g)
			}
		})
	}
	return order
}

// glyphTables writes the glyf, loca and hmtx tables of the glyphs in
// order, composite glyphs' components renumbered by newID; short says
// whether loca is in the short format, which it is when allowed and the
// glyphs fit.
func (f *font) glyphTables(order []int, newID map[int]int, allowShort bool) (glyf, loca, hmtx []byte, short bool) {
	size := 0
	for _, g := range order {
		size += (len(f.glyph(g)) + 1) &^ 1
	}
	// Short loca (offsets/2) when the glyphs fit: half the size, and it
	// compresses better.
	short = allowShort && size < 0x20000
	glyf = make([]byte, 0, size)
	loca = make([]byte, 0, 4*(len(order)+1))
	hmtx = make([]byte, 0, 4*len(order))
	putLoca := func() {
		if short {
			loca = binary.BigEndian.AppendUint16(loca, uint16(len(glyf)/2))
		} else {
			loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		}
	}
	hm := f.tables["hmtx"]
	for _, g := range order {
		putLoca()
		d := f.glyph(g)
		start := len(glyf)
		glyf = append(glyf, d...)
		components(d, func(off int) {
			old := int(binary.BigEndian.Uint16(d[off:]))
			binary.BigEndian.PutUint16(glyf[start+off:], uint16(newID[old]))
		})
		if len(glyf)%2 != 0 {
			glyf = append(glyf, 0)
		}
		i := min(g, f.nHMetrics-1)
		aw := hm[4*i : 4*i+2]
		var lsb []byte
		if g < f.nHMetrics {
			lsb = hm[4*g+2 : 4*g+4]
		} else {
			o := 4*f.nHMetrics + 2*(g-f.nHMetrics)
			lsb = hm[o : o+2]
		}
		hmtx = append(append(hmtx, aw...), lsb...)
	}
	putLoca()
	return glyf, loca, hmtx, short
}

// nameTable writes a minimal format-0 name table.
func nameTable(ps string) []byte {
	ids := []uint16{1, 2, 3, 4, 6}
	vals := map[uint16]string{1: ps, 2: "Regular", 3: ps, 4: ps, 6: ps}
	var str []byte
	recs := make([]byte, 0, 12*len(ids))
	be := binary.BigEndian
	for _, id := range ids {
		var enc []byte
		for _, r := range vals[id] {
			enc = be.AppendUint16(enc, uint16(r))
		}
		for _, rec := range [][4]uint16{{3, 1, 0x409, id}} {
			for _, v := range rec {
				recs = be.AppendUint16(recs, v)
			}
			recs = be.AppendUint16(recs, uint16(len(enc)))
			recs = be.AppendUint16(recs, uint16(len(str)))
		}
		str = append(str, enc...)
	}
	out := be.AppendUint16(nil, 0)
	out = be.AppendUint16(out, uint16(len(ids)))
	out = be.AppendUint16(out, uint16(6+len(recs)))
	return append(append(out, recs...), str...)
}

func checksum(b []byte) uint32 {
	var s uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		s += binary.BigEndian.Uint32(w[:])
	}
	return s
}

// assembleBefore writes the TrueType file of tables and a glyf table of
// glyfLen bytes (a multiple of four) with checksum glyfSum, placed last,
// up to where the glyf table starts.
func assembleBefore(tables map[string][]byte, glyfLen int, glyfSum uint32) []byte {
	tables["glyf"] = nil
	out := assembleOrder(tables, func(names []string) []string {
		i := slices.Index(names, "glyf")
		return append(slices.Delete(slices.Clone(names), i, i+1), "glyf")
	}, map[string]fixedTable{"glyf": {glyfLen, glyfSum}})
	return out
}

// fixedTable is a table assembleOrder records but does not write: its
// length and checksum.
type fixedTable struct {
	n   int
	sum uint32
}

func assemble(tables map[string][]byte) []byte {
	return assembleOrder(tables, func(names []string) []string { return names }, nil)
}

// assembleOrder writes the TrueType file of tables: the table directory in
// tag order, the tables' data in the order dataOrder gives, and the tables
// of fixed recorded but not written (they must come last).
func assembleOrder(tables map[string][]byte, dataOrder func([]string) []string, fixed map[string]fixedTable) []byte {
	names := make([]string, 0, len(tables))
	size := 12 + 16*len(tables)
	for n, t := range tables {
		names = append(names, n)
		size += (len(t) + 3) &^ 3
	}
	slices.Sort(names)
	be := binary.BigEndian
	out := make([]byte, 12+16*len(names), size)
	be.PutUint32(out, 0x00010000)
	be.PutUint16(out[4:], uint16(len(names)))
	sr := 1
	es := 0
	for sr*2 <= len(names) {
		sr *= 2
		es++
	}
	be.PutUint16(out[6:], uint16(16*sr))
	be.PutUint16(out[8:], uint16(es))
	be.PutUint16(out[10:], uint16(16*len(names)-16*sr))
	headAt := 0
	var fixedSum uint32
	for _, n := range dataOrder(names) {
		t := tables[n]
		rec := out[12+16*slices.Index(names, n):]
		copy(rec, n)
		if ft, ok := fixed[n]; ok {
			be.PutUint32(rec[4:], ft.sum)
			be.PutUint32(rec[8:], uint32(len(out)))
			be.PutUint32(rec[12:], uint32(ft.n))
			fixedSum += ft.sum
			continue
		}
		be.PutUint32(rec[4:], checksum(t))
		be.PutUint32(rec[8:], uint32(len(out)))
		be.PutUint32(rec[12:], uint32(len(t)))
		if n == "head" {
			headAt = len(out)
		}
		out = append(out, t...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	be.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out)-fixedSum)
	return out
}
