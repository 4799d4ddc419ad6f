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
// Why our own subsetter: gofpdf re-parses a UTF-8 font for every document
// (~35 ms for a 4 MB font, far more for the 15.7 MB one we ship), races when
// documents share font bytes, and reads only the BMP cmap. Instead, every
// document gets a fresh, tiny TrueType font holding just the glyphs it uses
// (built here in well under a millisecond); gofpdf parses that in a few
// hundred microseconds. Characters above U+FFFF that the font has (such as
// the surname 𠮷) are given Private Use Area code points in the tiny font,
// so gofpdf can draw them without ever seeing a rune above U+FFFF.
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

// puaBase is where supplementary-plane characters are mapped to inside a
// document's subset fonts: fontDisplay from puaBase, fontBody from
// puaBase+puaSpan.
const (
	puaBase = 0xE000
	puaSpan = 0x800
)

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
// gofpdf rounds it for the PDF's /W array, so our line widths match what a
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
// document uses, the code point to draw it with (the rune itself, or a PUA
// code point for runes above U+FFFF).
type subset struct {
	ttf  []byte
	code map[rune]rune
}

// subset builds a font holding exactly runes (each must satisfy f.has).
// Runes above U+FFFF get code points from pua on, so that two fonts of one
// document can use separate PUA ranges.
func (f *font) subset(runes []rune, pua rune) subset {
	runes = slices.Clone(runes)
	slices.Sort(runes)
	runes = slices.Compact(runes)
	code := make(map[rune]rune, len(runes))
	type entry struct {
		code rune
		gid  uint16 // original glyph
	}
	entries := make([]entry, 0, len(runes))
	for _, r := range runes {
		c := r
		if r > 0xFFFF || (r >= puaBase && r < 0xF900) {
			c = pua
			pua++
		}
		code[r] = c
		entries = append(entries, entry{c, f.cmap[r]})
	}
	slices.SortFunc(entries, func(a, b entry) int { return int(a.code - b.code) })

	// New glyph order: .notdef, one glyph per code point, then components.
	order := make([]int, 1, len(entries)+1)
	for _, e := range entries {
		order = append(order, int(e.gid))
	}
	newID := map[int]int{0: 0}
	for i := 1; i < len(order); i++ {
		if _, ok := newID[order[i]]; !ok {
			newID[order[i]] = i
		}
	}
	for i := 0; i < len(order); i++ {
		components(f.glyph(order[i]), func(off int) {
			g := int(binary.BigEndian.Uint16(f.glyph(order[i])[off:]))
			if _, ok := newID[g]; !ok && g < f.numGlyphs {
				newID[g] = len(order)
				order = append(order, g)
			}
		})
	}

	var glyf, loca, hmtx []byte
	for _, g := range order {
		loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		d := f.glyph(g)
		start := len(glyf)
		glyf = append(glyf, d...)
		components(d, func(off int) {
			old := int(binary.BigEndian.Uint16(d[off:]))
			binary.BigEndian.PutUint16(glyf[start+off:], uint16(newID[old]))
		})
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		i := g
		if i >= f.nHMetrics {
			i = f.nHMetrics - 1
		}
		hm := f.tables["hmtx"]
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
	loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))

	head := slices.Clone(f.tables["head"])
	binary.BigEndian.PutUint32(head[8:], 0) // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(head[50:], 1)
	hhea := slices.Clone(f.tables["hhea"])
	binary.BigEndian.PutUint16(hhea[34:], uint16(len(order)))
	maxp := slices.Clone(f.tables["maxp"])
	binary.BigEndian.PutUint16(maxp[4:], uint16(len(order)))
	post := make([]byte, 32)
	binary.BigEndian.PutUint32(post, 0x00030000)
	copy(post[4:16], f.tables["post"][4:16])

	cmapCodes := make([]rune, len(entries))
	for i, e := range entries {
		cmapCodes[i] = e.code
	}
	tables := map[string][]byte{
		"OS/2": f.tables["OS/2"], "cmap": cmap4(cmapCodes), "glyf": glyf, "head": head,
		"hhea": hhea, "hmtx": hmtx, "loca": loca, "maxp": maxp, "name": nameTable(f.name), "post": post,
	}
	return subset{ttf: assemble(tables), code: code}
}

// cmap4 maps codes[i] (sorted BMP code points) to glyph i+1.
func cmap4(codes []rune) []byte {
	type seg struct{ start, end, delta int }
	var segs []seg
	for i, c := range codes {
		gid := i + 1
		if n := len(segs); n > 0 && segs[n-1].end+1 == int(c) && segs[n-1].delta == gid-int(c) {
			segs[n-1].end = int(c)
			continue
		}
		segs = append(segs, seg{int(c), int(c), gid - int(c)})
	}
	segs = append(segs, seg{0xFFFF, 0xFFFF, 1})
	n := len(segs)
	sub := make([]byte, 16+8*n)
	be := binary.BigEndian
	be.PutUint16(sub[0:], 4)
	be.PutUint16(sub[2:], uint16(len(sub)))
	be.PutUint16(sub[6:], uint16(2*n))
	sr := 1
	for sr*2 <= n {
		sr *= 2
	}
	es := 0
	for 1<<(es+1) <= sr {
		es++
	}
	be.PutUint16(sub[8:], uint16(2*sr))
	be.PutUint16(sub[10:], uint16(es))
	be.PutUint16(sub[12:], uint16(2*n-2*sr))
	for i, s := range segs {
		be.PutUint16(sub[14+2*i:], uint16(s.end))
		be.PutUint16(sub[16+2*n+2*i:], uint16(s.start))
		be.PutUint16(sub[16+4*n+2*i:], uint16(s.delta&0xFFFF))
		// idRangeOffset stays 0.
	}
	head := []byte{0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12}
	return append(head, sub...)
}

// nameTable writes a minimal format-0 name table (gofpdf reads only this).
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

func assemble(tables map[string][]byte) []byte {
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
	for i, n := range names {
		t := tables[n]
		rec := out[12+16*i:]
		copy(rec, n)
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
	be.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out
}
