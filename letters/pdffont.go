package letters

import (
	"encoding/binary"
	"hash/fnv"
	"strconv"
	"unicode/utf16"
)

// pdfObj is an object packPDF appends to a document: a dictionary (without
// the angle brackets) and, for a stream, its plain data, compressed at
// level.
type pdfObj struct {
	dict   string
	stream []byte
	level  int
	font   *subset // a font file kept in parts (subsetOn): written by fontStream
}

// fontLevel is the zlib level for embedded fonts. Glyph outlines compress
// little whatever the level: level 5 is within 0.5% of level 9 at a fraction
// of its cost.
const fontLevel = 5

// fontObjects returns the five objects of a Type0 font for sub, numbered
// from first: Type0, CIDFontType2, FontDescriptor, FontFile2, ToUnicode.
// Text is drawn with 2-byte glyph IDs (Identity-H, CIDToGIDMap Identity).
func fontObjects(sub subset, first int) []pdfObj {
	ref := func(k int) string { return strconv.Itoa(first+k) + " 0 R" }
	f := sub.font
	name := "/" + subsetTag(sub.runes) + "+" + f.name
	scale := func(v int16) string { return strconv.Itoa(int(v) * 1000 / f.unitsPerEm) }
	head, hhea, os2 := f.tables["head"], f.tables["hhea"], f.tables["OS/2"]
	i16 := func(b []byte, o int) int16 { return int16(binary.BigEndian.Uint16(b[o:])) }
	ascent, descent := i16(hhea, 4), i16(hhea, 6)
	capH := ascent
	if binary.BigEndian.Uint16(os2) >= 2 && len(os2) >= 90 {
		capH = i16(os2, 88)
	}

	// Widths of glyphs 1…n that differ from the default 1000, as runs
	// "first [w w …]".
	w := make([]byte, 0, 256)
	for i := 0; i < len(sub.adv); {
		if sub.adv[i] == 1000 {
			i++
			continue
		}
		w = strconv.AppendInt(w, int64(i+1), 10)
		w = append(w, " ["...)
		for ; i < len(sub.adv) && sub.adv[i] != 1000; i++ {
			w = strconv.AppendInt(w, int64(sub.adv[i]), 10)
			w = append(w, ' ')
		}
		w[len(w)-1] = ']'
		w = append(w, ' ')
	}

	return []pdfObj{
		{dict: "/Type /Font /Subtype /Type0 /BaseFont " + name + " /Encoding /Identity-H /DescendantFonts [" + ref(1) + "] /ToUnicode " + ref(4)},
		{dict: "/Type /Font /Subtype /CIDFontType2 /BaseFont " + name +
			" /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /FontDescriptor " + ref(2) +
			" /DW 1000 /W [" + string(w) + "] /CIDToGIDMap /Identity"},
		{dict: "/Type /FontDescriptor /FontName " + name + " /Flags 4 /FontBBox [" +
			scale(i16(head, 36)) + " " + scale(i16(head, 38)) + " " + scale(i16(head, 40)) + " " + scale(i16(head, 42)) +
			"] /ItalicAngle 0 /Ascent " + scale(ascent) + " /Descent " + scale(descent) + " /CapHeight " + scale(capH) +
			" /StemV 80 /FontFile2 " + ref(3)},
		fontFile(sub),
		{stream: toUnicode(sub.runes), level: onceLevel},
	}
}

// fontFile is the FontFile2 object of sub.
func fontFile(sub subset) pdfObj {
	if sub.base != nil {
		return pdfObj{dict: "/Length1 " + sub.length1(), font: &sub, level: fontLevel}
	}
	return pdfObj{dict: "/Length1 " + strconv.Itoa(len(sub.ttf)), stream: sub.ttf, level: fontLevel}
}

// subsetTag names a subset by its characters (six capital letters, as PDF
// requires), so that different subsets of one font get different names.
func subsetTag(runes []rune) string {
	h := fnv.New32a()
	var b [4]byte
	for _, r := range runes {
		binary.BigEndian.PutUint32(b[:], uint32(r))
		h.Write(b[:])
	}
	v := h.Sum32()
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + byte(v%26)
		v /= 26
	}
	return string(tag)
}

// toUnicode maps glyph i+1 back to runes[i], so text can be copied and
// searched (pdftotext reads it), 𠮷 included. Glyphs are numbered in code
// point order, so the map is a list of ranges with arrays of targets: a few
// bytes a character once compressed.
func toUnicode(runes []rune) []byte {
	b := make([]byte, 0, 400+7*len(runes))
	b = append(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"+
		"/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n"+
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"+
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"...)
	hex4 := func(b []byte, v int) []byte {
		const digits = "0123456789ABCDEF"
		return append(b, digits[v>>12&15], digits[v>>8&15], digits[v>>4&15], digits[v&15])
	}
	// Ranges may not cross a change of the code's first byte, nor hold a
	// glyph without a character (a component); at most 100 ranges per
	// block.
	type rng struct{ lo, hi int }
	var ranges []rng
	for g := 1; g <= len(runes); {
		if runes[g-1] == 0 {
			g++
			continue
		}
		hi := g
		for hi < min(g|0xFF, len(runes)) && runes[hi] != 0 {
			hi++
		}
		ranges = append(ranges, rng{g, hi})
		g = hi + 1
	}
	for k := 0; k < len(ranges); k += 100 {
		blk := ranges[k:min(k+100, len(ranges))]
		b = strconv.AppendInt(b, int64(len(blk)), 10)
		b = append(b, " beginbfrange\n"...)
		for _, r := range blk {
			b = append(hex4(append(hex4(append(b, '<'), r.lo), "> <"...), r.hi), "> ["...)
			for g := r.lo; g <= r.hi; g++ {
				b = append(b, '<')
				if hi, lo := utf16.EncodeRune(runes[g-1]); hi != 0xFFFD {
					b = hex4(hex4(b, int(hi)), int(lo))
				} else {
					b = hex4(b, int(runes[g-1]))
				}
				b = append(b, '>')
			}
			b = append(b, "]\n"...)
		}
		b = append(b, "endbfrange\n"...)
	}
	return append(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"...)
}
