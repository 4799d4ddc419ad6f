package letters

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
	stName          // the student's name and class on the slip, then smaller sizes
	stName10
	stName8
	stLetter // salutation
	stSign   // signature and date
	nStyles
)

type span struct {
	text string
	st   style
	keep bool // never break inside (a label such as 防范：)
	// verbatim: filled from data (a name, a class): set exactly as given,
	// without the gaps and widened marks of the template's own text, so
	// that it prints and copies as it was typed.
	verbatim bool
}

// Marks around a text filled from data inside a composed text (compose
// with marks): what lies between them is set verbatim. They are Private
// Use characters, which no printable name or template holds.
const (
	dataOpen  = '\uE000'
	dataClose = '\uE001'
)

// unmark drops the data marks.
func unmark(t string) string {
	if !strings.ContainsRune(t, dataOpen) {
		return t
	}
	return strings.Map(func(r rune) rune {
		if r == dataOpen || r == dataClose {
			return -1
		}
		return r
	}, t)
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
	verbatim   bool // from data: no gaps, no widening (span.verbatim)
	glue       bool // no line break after it: inside a short quoted word
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
	n := 0
	for _, sp := range spans {
		n += len(sp.text)
	}
	out := make([]unit, 0, n/3+1) // a Chinese character is 3 bytes
	for _, sp := range spans {
		if sp.keep {
			t := unmark(sp.text)
			w, fi := s.measure(t, sp.st)
			out = append(out, unit{text: t, w: w, st: sp.st, glyph: utf8.RuneCountInString(t), font: fi, verbatim: sp.verbatim})
			continue
		}
		// Units are slices of the span's text (no copy each).
		text, verb := sp.text, sp.verbatim
		for i := 0; i < len(text); {
			r, size := utf8.DecodeRuneInString(text[i:])
			j, glyphs := i+size, 1
			more := func(ok func(rune) bool) {
				for j < len(text) {
					r2, n2 := utf8.DecodeRuneInString(text[j:])
					if !ok(r2) {
						return
					}
					j += n2
					glyphs++
				}
			}
			switch {
			case r == dataOpen || r == dataClose:
				verb = r == dataOpen || sp.verbatim
				i = j
				continue
			case r == ' ':
				w, fi := s.measure(" ", sp.st)
				out = append(out, unit{text: " ", w: w, st: sp.st, space: true, glyph: 1, font: fi, verbatim: verb})
				i = j
				continue
			case isWordRune(r):
				more(isWordRune)
			case r == '…' || r == '—':
				more(func(r2 rune) bool { return r2 == r })
			}
			t := text[i:j]
			w, fi := s.measure(t, sp.st)
			out = append(out, unit{text: t, w: w, st: sp.st, glyph: glyphs, font: fi, verbatim: verb})
			i = j
		}
	}
	pad(out, func(u *unit) float64 { return styles[u.st].size * ptToMM })
	glueQuotes(out)
	return out
}

// pad widens narrow quotation marks and middle dots to a full-width cell
// (the display font draws “”·, at a third of an em, so “”“” clumped and a
// name's dot was cramped), puts a quarter em between Latin words or
// digits and Chinese characters, so spacing around AI, QQ, 96110 is the
// same everywhere whatever the source text has, then compresses adjacent
// marks (compress). Text filled from data is left exactly as given: no
// gap inside or at the edge of a name, a class, a date.
func pad(us []unit, emOf func(*unit) float64) {
	for i := range us {
		u := &us[i]
		em := emOf(u)
		if u.glyph == 1 && u.w < 0.6*em && !u.verbatim {
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
		if i == 0 || u.space || us[i-1].space || us[i-1].verbatim && u.verbatim {
			continue
		}
		prev := &us[i-1]
		a, b := lastRune(prev.text), firstRune(u.text)
		if !(isWordRune(a) && unicode.Is(unicode.Han, b)) && !(unicode.Is(unicode.Han, a) && isWordRune(b)) {
			continue
		}
		// The gap goes on the Latin side, or on the template's side of
		// a field: never inside what was filled from data.
		if latinPrev := isWordRune(a); latinPrev && !prev.verbatim || !latinPrev && u.verbatim {
			if prev.padR == 0 {
				prev.padR, prev.auto = 0.25*em, true
				prev.w += prev.padR
			}
		} else if u.padL == 0 {
			u.padL, u.auto = 0.25*em, true
			u.w += u.padL
		}
	}
	compress(us, emOf)
}

// Full-width marks by where their blank half lies: an opening mark's
// blank is on its left, a closing mark's (and a GB-style pause, comma or
// stop's) on its right.
const (
	openMarks  = "（【《「『“‘〔〈｛"
	closeMarks = "）】》」』”’〕〉｝、。，．：；！？"
)

// compress sets adjacent full-width marks tighter (CLREQ 3.1.6): of two
// blank halves meeting between them, one is taken out, so "（“小号”）" and
// "“退费”：" leave no double gap. A mark we widened gives up its pad; a
// mark the font draws full width is kerned by half an em.
func compress(us []unit, emOf func(*unit) float64) {
	for i := 1; i < len(us); i++ {
		a, b := &us[i-1], &us[i]
		if a.verbatim || b.verbatim || a.glyph != 1 || b.glyph != 1 {
			continue
		}
		ca, cb := markClass(firstRune(a.text)), markClass(firstRune(b.text))
		if ca == 0 || cb == 0 {
			continue
		}
		aOpen, aClose, bOpen, bClose := ca == markOpen, ca == markClose, cb == markOpen, cb == markClose
		em := emOf(a)
		half := em / 2
		switch {
		case aClose && bClose:
			// the blank after a goes
			take(a, &a.padR, half, em)
		case aClose && bOpen:
			// the blank after a goes, and a widened b gives up as much of
			// its own, so that half an em stays between them
			take(a, &a.padR, half, em)
			if b.padL > 0 {
				take(b, &b.padL, half, emOf(b))
			}
		case aOpen && bOpen:
			// the blank before b goes
			take(b, &b.padL, half, emOf(b))
		}
	}
}

// Mark classes (markClass).
const (
	markOpen  = 1
	markClose = 2
)

// markClass says whether r is an opening or a closing full-width mark
// (openMarks, closeMarks), or neither (0): compress asks it of every unit.
func markClass(r rune) int {
	if r < 0x3000 && r != '“' && r != '”' && r != '‘' && r != '’' {
		return 0
	}
	switch {
	case strings.ContainsRune(openMarks, r):
		return markOpen
	case strings.ContainsRune(closeMarks, r):
		return markClose
	}
	return 0
}

// centredMarks are drawn in the middle of their cell by the fonts (not at
// its left, as 。，、 are): they have no blank half to give up.
const centredMarks = "：；！？"

// take removes up to half an em of blank from one side of u: its own pad
// first, else (a mark the font draws full width) a negative pad, a kern.
func take(u *unit, side *float64, half, em float64) {
	switch {
	case *side > 0:
		d := min(*side, half)
		*side -= d
		u.w -= d
	case strings.ContainsRune(centredMarks, firstRune(u.text)):
	case u.w-u.padL-u.padR >= 0.9*em:
		*side -= half
		u.w -= half
	}
}

// glueQuotes keeps a quoted word of two or three characters (“收到”,
// “小号”, “工具人”) on one line (CLREQ): no break after its characters but
// the last. The marks themselves already may not end or start a line.
func glueQuotes(us []unit) {
	for i := range us {
		if us[i].glyph != 1 {
			continue
		}
		closing := closingOf(firstRune(us[i].text))
		if closing == 0 {
			continue
		}
		n := 0
		for j := i + 1; j < len(us) && j <= i+4; j++ {
			if us[j].space {
				break
			}
			if us[j].glyph == 1 && firstRune(us[j].text) == closing {
				if n >= 2 && n <= 3 {
					for k := i + 1; k < j-1; k++ {
						us[k].glue = true
					}
				}
				break
			}
			n += us[j].glyph
		}
	}
}

// closingOf is the closing mark of the quotation mark (or bracket) r a
// short word is glued inside, or 0.
func closingOf(r rune) rune {
	switch r {
	case '“':
		return '”'
	case '‘':
		return '’'
	case '「':
		return '」'
	case '『':
		return '』'
	case '《':
		return '》'
	case '（':
		return '）'
	}
	return 0
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
	if us[i-1].glue {
		return false
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
// others at hang. Nothing is dropped except spaces at a break. A last line
// that would hold a single character (录。) takes one more from the line
// before it.
func (s *setter) breakLines(us []unit, w, indent, hang float64, justify bool) []line {
	var spans [][2]int // each line's units: us[start:end]
	start := 0
	for start < len(us) {
		for start < len(us) && us[start].space && len(spans) > 0 {
			start++ // no line starts with a space
		}
		if start >= len(us) {
			break
		}
		avail := w - hang
		if len(spans) == 0 {
			avail = w - indent
		}
		if us[start].w > avail && us[start].glyph > 1 {
			us = s.splitUnit(us, start, avail)
		}
		end := fill(us, start, avail)
		spans = append(spans, [2]int{start, end})
		start = end
	}
	pullBack(us, spans)
	lines := make([]line, 0, len(spans))
	for i, sp := range spans {
		x := hang
		if i == 0 {
			x = indent
		}
		lines = append(lines, makeLine(us, sp[0], sp[1], x, w-x, justify))
	}
	return lines
}

// fill returns the end of the line starting at us[start]: as many units as
// fit avail, backed up to the nearest break the rules allow.
func fill(us []unit, start int, avail float64) int {
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
	return end
}

// pullBack moves the last break of a paragraph back when its last line
// holds one character and marks after it (a 孤字): the line before gives
// up its last unit(s), as far as the next permitted break.
func pullBack(us []unit, spans [][2]int) {
	n := len(spans)
	if n < 2 || !lonely(us[spans[n-1][0]:spans[n-1][1]]) {
		return
	}
	prev := spans[n-2]
	b := prev[1] - 1
	for b > prev[0]+1 && !canBreakBefore(us, b) {
		b--
	}
	if b <= prev[0]+1 || us[b].space || !canBreakBefore(us, b) {
		return
	}
	spans[n-2][1], spans[n-1][0] = b, b
}

// lonely reports whether a line holds a single character, alone or with
// marks after it.
func lonely(us []unit) bool {
	chars := 0
	for _, u := range us {
		switch {
		case u.space:
		case u.glyph == 1 && strings.ContainsRune(noLineStart, firstRune(u.text)):
		case u.glyph == 1 && unicode.Is(unicode.Han, firstRune(u.text)):
			chars++
		default:
			return false // a number or word is not a lone character
		}
	}
	return chars == 1
}

// makeLine builds the line of us[start:end], justified to avail unless it
// is the paragraph's last.
func makeLine(us []unit, start, end int, x, avail float64, justify bool) line {
	// Each unit belongs to one line: its auto gap at the line's edge can be
	// dropped in place.
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
		ln.tc = max((avail-ln.w)/float64(glyphs-1), 0)
	}
	return ln
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
