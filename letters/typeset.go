package letters

import (
	"strings"
	"unicode"
)

// Line breaking for Chinese text, done here because gofpdf's MultiCell loses
// a character at every break and knows no 避头尾 rules.
//
// Text is cut into units that are never split: one CJK character or mark,
// a run of Latin letters/digits/URL characters (96110, app, a URL), or a
// space. Lines are filled greedily; when a unit overflows, the break moves
// back to the nearest position where the rules allow it. Full lines are
// justified by spreading the leftover width evenly between characters.

// noLineStart are marks that may not begin a line.
const noLineStart = "，。、；：？！）】》」』”’…%,.;:?!)]}〉〕｝％·—～"

// noLineEnd are marks that may not end a line.
const noLineEnd = "（【《「『“‘([{〈〔｛"

// style selects font, size, weight and colour of a span. Each style has a
// large-print twin, style+nStyles (see styles).
type style uint8

const (
	stBody    style = iota
	stBold          // body size, bold: labels and lead-ins
	stAccent        // body size, red: markers only
	stTitle         // the letter's title
	stHeading       // section headings
	stMethod        // a method's title
	stBoxHead       // the 请记住 box's title, white on black
	stSmall         // slip statements and fields
	stNote          // slip notes (≥ 9 pt)
	stCut           // the cut-line label
	stToken         // the code to type
	stName          // the student's name on the slip, then smaller sizes
	stName10
	stName8
	stLetter // salutation
	stSign   // signature and date
	stClass  // the class on the slip, then smaller
	stClass8
	nStyles
)

type span struct {
	text string
	st   style
	keep bool // never break inside (a label such as 防范：)
}

type unit struct {
	text  string
	w     float64 // mm, pads included
	st    style
	space bool
	glyph int // glyph count (for justification)
	font  int
	// Blank space before and after the glyphs, mm: a narrow quotation mark
	// or middle dot widened to a full-width cell, or the gap between a Latin
	// word and a Chinese character (auto, dropped at a line's edges).
	padL, padR float64
	auto       bool
}

// line is a laid-out line: units and the extra spacing per glyph gap.
type line struct {
	units []unit
	x     float64 // left offset from the text box (indent)
	tc    float64 // extra spacing between glyphs, mm
	w     float64 // natural width
}

func isWordRune(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("./:-_%?=&#@+~", r))
}

// units cuts spans into unbreakable units and measures them.
func (s *setter) units(spans []span) []unit {
	var out []unit
	for _, sp := range spans {
		if sp.keep {
			w, fi := s.measure(sp.text, sp.st)
			out = append(out, unit{text: sp.text, w: w, st: sp.st, glyph: len([]rune(sp.text)), font: fi})
			continue
		}
		rs := []rune(sp.text)
		for i := 0; i < len(rs); {
			r := rs[i]
			j := i + 1
			switch {
			case r == ' ':
				w, fi := s.measure(" ", sp.st)
				out = append(out, unit{text: " ", w: w, st: sp.st, space: true, glyph: 1, font: fi})
				i = j
				continue
			case isWordRune(r):
				for j < len(rs) && isWordRune(rs[j]) {
					j++
				}
			case r == '…' || r == '—':
				for j < len(rs) && rs[j] == r {
					j++
				}
			}
			t := string(rs[i:j])
			w, fi := s.measure(t, sp.st)
			out = append(out, unit{text: t, w: w, st: sp.st, glyph: j - i, font: fi})
			i = j
		}
	}
	pad(out)
	return out
}

// pad widens narrow quotation marks and middle dots to a full-width cell
// (the display font draws “”·, at a third of an em, so “”“” clumped and a
// name's dot was cramped), and puts a quarter em between Latin words or
// digits and Chinese characters, so spacing around AI, QQ, 96110 is the
// same everywhere whatever the source text has.
func pad(us []unit) {
	for i := range us {
		u := &us[i]
		em := styles[u.st].size * ptToMM
		if u.glyph == 1 && u.w < 0.6*em {
			extra := em - u.w
			switch firstRune(u.text) {
			case '“', '‘':
				u.padL = extra
			case '”', '’':
				u.padR = extra
			case '·':
				if i > 0 && i < len(us)-1 && !us[i-1].space && !us[i+1].space {
					u.padL, u.padR = extra/2, extra/2
				}
			}
			u.w += u.padL + u.padR
		}
		if i == 0 || u.space || us[i-1].space {
			continue
		}
		prev := &us[i-1]
		a, b := lastRune(prev.text), firstRune(u.text)
		switch {
		case isWordRune(a) && unicode.Is(unicode.Han, b) && prev.padR == 0:
			prev.padR, prev.auto = 0.25*em, true
			prev.w += prev.padR
		case unicode.Is(unicode.Han, a) && isWordRune(b) && u.padL == 0:
			u.padL, u.auto = 0.25*em, true
			u.w += u.padL
		}
	}
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

func lastRune(s string) rune {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0
	}
	return rs[len(rs)-1]
}

// canBreakBefore reports whether a line may end after us[i-1] and the next
// begin with us[i].
func canBreakBefore(us []unit, i int) bool {
	if i <= 0 || i >= len(us) {
		return true
	}
	if us[i].space || us[i-1].space {
		return true
	}
	if strings.ContainsRune(noLineStart, firstRune(us[i].text)) {
		return false
	}
	if strings.ContainsRune(noLineEnd, lastRune(us[i-1].text)) {
		return false
	}
	// Two Latin words are only separated by a space (handled above).
	return true
}

// breakLines fills lines of width w; the first line starts at indent, the
// others at hang. Nothing is dropped except spaces at a break.
func (s *setter) breakLines(us []unit, w, indent, hang float64, justify bool) []line {
	var lines []line
	start := 0
	for start < len(us) {
		for start < len(us) && us[start].space && len(lines) > 0 {
			start++ // no line starts with a space
		}
		if start >= len(us) {
			break
		}
		x := hang
		if len(lines) == 0 {
			x = indent
		}
		avail := w - x
		if us[start].w > avail && us[start].glyph > 1 {
			us = s.splitUnit(us, start, avail)
		}
		end, acc := start, 0.0
		for end < len(us) && acc+us[end].w <= avail+1e-6 {
			acc += us[end].w
			end++
		}
		if end < len(us) {
			// Overflow: back up to a permitted break.
			b := end
			for b > start+1 && !canBreakBefore(us, b) {
				b--
			}
			if b == start+1 && !canBreakBefore(us, b) {
				// No permitted break on the whole line: break where it
				// overflows, losing nothing.
				b = end
			}
			end = max(b, start+1)
		}
		// Each unit belongs to one line: its auto gap at the line's edge
		// can be dropped in place.
		if u := &us[start]; u.auto && u.padL > 0 {
			u.w -= u.padL
			u.padL = 0
		}
		ln := line{units: us[start:end], x: x}
		trim := ln.units
		for len(trim) > 0 && trim[len(trim)-1].space {
			trim = trim[:len(trim)-1]
		}
		if n := len(trim); n > 0 && trim[n-1].auto && trim[n-1].padR > 0 && end < len(us) {
			trim[n-1].w -= trim[n-1].padR
			trim[n-1].padR = 0
		}
		glyphs := 0
		for _, u := range trim {
			ln.w += u.w
			glyphs += u.glyph
		}
		ln.units = trim
		if justify && end < len(us) && glyphs > 1 {
			ln.tc = (avail - ln.w) / float64(glyphs-1)
			if ln.tc < 0 {
				ln.tc = 0
			}
		}
		lines = append(lines, ln)
		start = end
	}
	return lines
}

// splitUnit cuts the overlong word us[i] so that its first part fits avail
// (a URL longer than the line); the rest follows as its own unit.
func (s *setter) splitUnit(us []unit, i int, avail float64) []unit {
	u := us[i]
	rs := []rune(u.text)
	n, acc := 0, 0.0
	for n < len(rs)-1 {
		cw := s.width(string(rs[n]), u.st)
		if acc+cw > avail && n > 0 {
			break
		}
		acc += cw
		n++
	}
	for n > 1 && strings.ContainsRune(noLineStart, rs[n]) {
		n-- // the rest must not start with a mark either
	}
	a := unit{text: string(rs[:n]), st: u.st, glyph: n}
	b := unit{text: string(rs[n:]), st: u.st, glyph: len(rs) - n}
	a.w, a.font = s.measure(a.text, u.st)
	b.w, b.font = s.measure(b.text, u.st)
	out := make([]unit, 0, len(us)+1)
	out = append(append(append(out, us[:i]...), a, b), us[i+1:]...)
	return out
}
