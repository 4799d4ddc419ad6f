package letters

import (
	"bytes"
	"encoding/binary"
	"hash/adler32"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/flate"
)

// Base glyphs: a class PDF carries the glyphs of its letter's own text and
// of its students' names. The first are the same for every class of an
// age group, so they are cut from the font and compressed once per engine
// (fontBase); each PDF's font holds them first (glyphs 1…n, .notdef
// before), then its own glyphs, and its FontFile2 stream is the zlib
// framing around three deflate segments: the font's tables, compressed
// afresh; the base glyphs, compressed once; the PDF's own glyphs, compressed
// afresh. Deflate segments that each end on a byte boundary and refer to
// nothing before them concatenate into one valid stream, and the Adler-32
// checksums combine. Before this, compressing a class PDF's two fonts was
// a fifth of its time; a PDF of one letter still gets an exact subset.

// baseKey names a fontBase: a template, its edition, a font slot.
type baseKey struct {
	t     *Template
	large bool
	slot  int
}

// fontBase is the glyphs of one font that the letters of a template hold
// whatever their data, laid out, compressed, ready to start a subset.
type fontBase struct {
	runes []rune      // in code point order: glyph i+1
	order []int       // original glyph ids: .notdef, runes, components
	newID map[int]int // original glyph id → place in order
	glyf  []byte      // their glyph data, padded to four bytes
	locas []int       // offset in glyf of each glyph of order
	hmtx  []byte
	z     []byte // glyf deflated, ending in a sync flush (not final)
	adler uint32 // Adler-32 of glyf
	sum   uint32 // TrueType checksum of glyf
}

// bases holds an engine's fontBases (nil: none for that key).
type bases struct {
	m sync.Map // baseKey → *fontBase
}

// base returns the base glyphs of slot for letters of t in the edition,
// nil when the template has none in that font.
func (e *Engine) base(t *Template, large bool, slot int) *fontBase {
	k := baseKey{t, large, slot}
	if b, ok := e.bases.m.Load(k); ok {
		return b.(*fontBase)
	}
	b := e.fonts[slot].newBase(e.baseRunes(t, large, slot))
	v, _ := e.bases.m.LoadOrStore(k, b)
	return v.(*fontBase)
}

// baseRunes are the characters the template's own texts print in slot:
// in the body font everything but the title and salutation (set in the
// display font), in the display font those and what the body font lacks.
// Placeholders are left out: what they are filled with is the PDF's own;
// so are the characters of confirmation codes and addresses (fixedText's
// codeChars): a class prints only some of them, and a base whose glyphs a
// class leaves unused is not taken (mostlyUsed), so the display font, which
// holds them, was cut and compressed afresh for every class.
func (e *Engine) baseRunes(t *Template, large bool, slot int) []rune {
	display := []string{t.Title, t.Salutation}
	body := []string{t.Date, t.SlipTitle, fixedWords}
	body = append(append(append(body, t.Signature...), t.SlipText...), labelName, labelClass, labelSign, labelDate, dateBlank, cutText, scissors, SafetyNote)
	blocks := t.Body
	if large && t.Large != nil {
		display[1], blocks = t.Large.Salutation, t.Large.Body
	}
	for _, b := range blocks {
		body = append(append(body, b.Text), b.Items...)
		if m := b.Method; m != nil {
			body = append(body, m.Title, m.How, m.Guard, m.Case, m.Brief, "案例：")
		}
	}
	set := map[rune]struct{}{}
	add := func(texts []string, want func(r rune) bool) {
		for _, s := range texts {
			for _, r := range placeholderRE.ReplaceAllString(strings.ReplaceAll(s, "||", ""), "") {
				if r > ' ' && want(r) {
					set[r] = struct{}{}
				}
			}
		}
	}
	f, other := e.fonts[slot], e.fonts[1-slot]
	if slot == fontBody {
		add(body, f.has)
	} else {
		add(display, f.has)
		add(body, func(r rune) bool { return f.has(r) && !other.has(r) })
	}
	out := make([]rune, 0, len(set))
	for r := range set {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// newBase cuts runes (sorted, each in the font) out of f and compresses
// their glyphs.
func (f *font) newBase(runes []rune) *fontBase {
	if len(runes) == 0 {
		return nil
	}
	b := &fontBase{runes: runes}
	b.order, b.newID = f.glyphOrder(runes)
	var loca []byte
	b.glyf, loca, b.hmtx, _ = f.glyphTables(b.order, b.newID, false)
	for len(b.glyf)%4 != 0 {
		b.glyf = append(b.glyf, 0)
	}
	for i := range b.order {
		b.locas = append(b.locas, int(binary.BigEndian.Uint32(loca[4*i:])))
	}
	var z bytes.Buffer
	w, _ := flate.NewWriter(&z, flate.BestCompression) // once per engine: the best is cheap
	w.Write(b.glyf)
	w.Flush()
	b.z = z.Bytes()
	b.adler = adler32.Checksum(b.glyf)
	b.sum = checksum(b.glyf)
	return b
}

// subsetOn builds the subset of runes (each must satisfy f.has) on base:
// its glyphs first, then those of runes it lacks. The subset's TrueType
// file is kept in parts (ttf: everything before the glyf table; base's
// glyphs; tail: the other glyphs), which fontStream deflates.
func (f *font) subsetOn(b *fontBase, runes []rune) subset {
	var extra []rune
	for _, r := range runes {
		if _, ok := slices.BinarySearch(b.runes, r); !ok {
			extra = append(extra, r)
		}
	}
	slices.Sort(extra)
	extra = slices.Compact(extra)
	n := len(b.order)
	glyphs := make([]rune, n-1, n-1+len(extra)) // by glyph id - 1: 0 for a component
	copy(glyphs, b.runes)
	glyphs = append(glyphs, extra...)
	order := slices.Clone(b.order)
	newID := make(map[int]int, len(b.newID)+2*len(extra))
	for g, id := range b.newID {
		newID[g] = id
	}
	for _, r := range extra {
		g := int(f.cmap[r])
		if _, ok := newID[g]; !ok {
			newID[g] = len(order)
		}
		order = append(order, g)
	}
	order = f.addComponents(order, newID, n)
	for len(glyphs) < len(order)-1 {
		glyphs = append(glyphs, 0)
	}
	tail, tailLoca, tailHmtx, _ := f.glyphTables(order[n:], newID, false)
	for len(tail)%4 != 0 {
		tail = append(tail, 0)
	}
	total := len(b.glyf) + len(tail)
	short := total < 0x20000
	loca := make([]byte, 0, 4*(len(order)+1))
	putLoca := func(off int) {
		if short {
			loca = binary.BigEndian.AppendUint16(loca, uint16(off/2))
		} else {
			loca = binary.BigEndian.AppendUint32(loca, uint32(off))
		}
	}
	for _, off := range b.locas {
		putLoca(off)
	}
	for i := range len(order) - n + 1 {
		putLoca(len(b.glyf) + int(binary.BigEndian.Uint32(tailLoca[4*i:])))
	}
	hmtx := append(slices.Clone(b.hmtx), tailHmtx...)
	sub := f.subsetTables(order, hmtx, loca, short)
	prefix := assembleBefore(sub, total, b.sum+checksum(tail))
	return subset{ttf: prefix, base: b, tail: tail, gid: glyphIDs(glyphs), runes: glyphs, adv: f.advances(glyphs), font: f}
}

// glyphIDs maps each rune of glyphs (by glyph id - 1; 0 for none) to its
// glyph id.
func glyphIDs(glyphs []rune) map[rune]uint16 {
	gid := make(map[rune]uint16, len(glyphs))
	for i, r := range glyphs {
		if r != 0 {
			gid[r] = uint16(i + 1)
		}
	}
	return gid
}

// advances are the advance widths of glyphs (by glyph id - 1) in 1/1000
// em; a component's is the default, 1000.
func (f *font) advances(glyphs []rune) []int {
	adv := make([]int, len(glyphs))
	for i, r := range glyphs {
		adv[i] = 1000
		if r != 0 {
			adv[i] = f.advance(f.cmap[r])
		}
	}
	return adv
}

// fontStream writes sub's FontFile2 stream, zlib-compressed at level, to
// out: a fresh deflate of its tables, the base's glyphs as compressed once,
// a fresh deflate of its own glyphs, and the Adler-32 of all three.
func (zs *deflaters) fontStream(out *bytes.Buffer, sub subset, level int) {
	out.Write([]byte{0x78, 0x9C})
	w := zs.flater(level)
	defer zs.putFlater(level, w)
	w.Reset(out)
	w.Write(sub.ttf)
	w.Flush()
	out.Write(sub.base.z)
	w.Reset(out)
	w.Write(sub.tail)
	w.Close()
	a := adler32Combine(adler32.Checksum(sub.ttf), sub.base.adler, len(sub.base.glyf))
	a = adler32Combine(a, adler32.Checksum(sub.tail), len(sub.tail))
	out.Write(binary.BigEndian.AppendUint32(nil, a))
}

// adler32Combine is the Adler-32 of two byte strings one after the other,
// from their checksums and the second's length (zlib's adler32_combine).
func adler32Combine(a1, a2 uint32, len2 int) uint32 {
	const mod = 65521
	rem := uint32(len2 % mod)
	sum1 := a1 & 0xFFFF
	sum2 := rem * sum1 % mod
	sum1 += a2&0xFFFF + mod - 1
	sum2 += a1>>16 + a2>>16 + mod - rem
	if sum1 >= mod {
		sum1 -= mod
	}
	if sum1 >= mod {
		sum1 -= mod
	}
	if sum2 >= 2*mod {
		sum2 -= 2 * mod
	}
	if sum2 >= mod {
		sum2 -= mod
	}
	return sum1 | sum2<<16
}

// flater returns a raw deflate writer at level from the pool.
func (zs *deflaters) flater(level int) *flate.Writer {
	p, ok := zs.flaters.Load(level)
	if !ok {
		p, _ = zs.flaters.LoadOrStore(level, &sync.Pool{New: func() any {
			w, _ := flate.NewWriter(nil, level)
			return w
		}})
	}
	return p.(*sync.Pool).Get().(*flate.Writer)
}

func (zs *deflaters) putFlater(level int, w *flate.Writer) {
	p, _ := zs.flaters.Load(level)
	p.(*sync.Pool).Put(w)
}

// length1 is the size of sub's TrueType file, for /Length1.
func (sub subset) length1() string {
	n := len(sub.ttf)
	if sub.base != nil {
		n += len(sub.base.glyf) + len(sub.tail)
	}
	return strconv.Itoa(n)
}
