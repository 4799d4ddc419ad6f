package letters

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"
)

// toUnicode returns a ToUnicode CMap for this document's fonts, or nil when
// gofpdf's identity map is right (no character above U+FFFF was used).
// gofpdf maps every code to itself, so a surname like 𠮷, drawn through a
// Private Use Area code point, would be copied or searched as U+E000; this
// map sends those code points back to the real characters. Both fonts get
// the same map: their PUA ranges do not overlap.
func (s *setter) toUnicode() []byte {
	type pair struct{ code, r rune }
	var pairs []pair
	for fi := range s.subs {
		for r, c := range s.subs[fi].code {
			if r != c {
				pairs = append(pairs, pair{c, r})
			}
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	slices.SortFunc(pairs, func(a, b pair) int { return int(a.code - b.code) })
	var b strings.Builder
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo\n<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n" +
		"/CMapName /Adobe-Identity-UCS-PUA def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" +
		"2 beginbfrange\n<0000> <DFFF> <0000>\n<F900> <FFFF> <F900>\nendbfrange\n")
	for chunk := range slices.Chunk(pairs, 100) {
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for _, p := range chunk {
			hi, lo := utf16.EncodeRune(p.r)
			if hi == 0xFFFD {
				fmt.Fprintf(&b, "<%04X> <%04X>\n", p.code, p.r)
				continue
			}
			fmt.Fprintf(&b, "<%04X> <%04X%04X>\n", p.code, hi, lo)
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")
	return []byte(b.String())
}
