package letters

import (
	"encoding/binary"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/jung-kurt/gofpdf"
)

// Page geometry in millimetres (A4 portrait).
const (
	pageW     = 210.0
	pageH     = 297.0
	marginL   = 16.0
	marginR   = 16.0
	marginTop = 12.0
	marginBot = 9.0
	textW     = pageW - marginL - marginR
	ptToMM    = 25.4 / 72
	mmToPt    = 72 / 25.4
)

type styleSpec struct {
	size    float64 // pt
	lead    float64 // line height, mm
	r, g, b int
	font    int  // preferred font slot
	bold    bool // drawn filled and stroked: survives grayscale and photocopies
}

// largeScale enlarges the large-print edition: body 10.5 pt → 14 pt.
const largeScale = 14.0 / 10.5

// styles holds every style, then its large-print twin at style+nStyles.
// The hierarchy is told by size and weight, so that it survives a
// black-and-white laser or a duplicator; red marks only accents.
var styles = func() []styleSpec {
	base := [nStyles]styleSpec{
		stBody:    {10.5, 4.8, 0, 0, 0, fontBody, false},
		stBold:    {10.5, 4.8, 0, 0, 0, fontBody, true},
		stAccent:  {10.5, 4.8, 170, 20, 20, fontBody, false},
		stTitle:   {17, 8, 0, 0, 0, fontDisplay, true},
		stHeading: {12.5, 5.8, 0, 0, 0, fontBody, true},
		stMethod:  {11, 5.2, 0, 0, 0, fontBody, true},
		stBoxHead: {11, 5.6, 255, 255, 255, fontBody, true},
		stSmall:   {10, 4.8, 0, 0, 0, fontBody, false},
		stNote:    {9, 4.3, 40, 40, 40, fontBody, false},
		stCut:     {7.5, 3.8, 90, 90, 90, fontBody, false},
		stToken:   {12.5, 6, 0, 0, 0, fontBody, true},
		stName:    {12, 6, 0, 0, 0, fontDisplay, false},
		stName10:  {10, 6, 0, 0, 0, fontDisplay, false},
		stName8:   {8, 6, 0, 0, 0, fontDisplay, false},
		stLetter:  {11.5, 5.8, 0, 0, 0, fontDisplay, false},
		stSign:    {10.5, 5.2, 0, 0, 0, fontBody, false},
	}
	out := append([]styleSpec(nil), base[:]...)
	for _, sp := range base {
		sp.size *= largeScale
		sp.lead *= largeScale
		out = append(out, sp)
	}
	return out
}()

// theme maps a style to the edition's: the same or its large twin.
type theme bool

func (large theme) st(st style) style {
	if large {
		return st + nStyles
	}
	return st
}

// Fixed texts. Kept together so NewEngine can check them against the
// fonts and each document's subset includes them.
const (
	cutText      = "沿此线剪下"
	scissors     = "✂"
	labelName    = "学生姓名："
	labelClass   = "班级："
	labelSign    = "家长签字："
	labelDate    = "日期："
	dateBlank    = "　　　年　　月　　日"
	labelCode    = "确认码"
	labelScan    = "也可扫描右侧二维码确认，或在"
	labelOrType  = "输入确认码"
	labelHow     = "骗子这样做："
	labelGuard   = "您这样防："
	markMethod   = "■"
	markItem     = "•"
	ellipsis     = "…"
	fixedText    = fixedWords + codeChars
	fixedWords   = cutText + scissors + labelName + labelClass + labelSign + labelDate + dateBlank + labelCode + labelScan + labelOrType + labelHow + labelGuard + markMethod + markItem + ellipsis + SafetyNote + missingMark + "注：防范案例" + "（）"
	titleSpacing = 0.6 // mm between title characters
)

// codeChars are the characters of confirmation codes and addresses.
const codeChars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-:/.?=&_%#+~@ "

// setter lays out and draws one PDF. Layout runs first for all letters of
// the PDF and records which characters each font must hold; then the two
// subset fonts are built and added, then everything is drawn.
type setter struct {
	e      *Engine
	pdf    *gofpdf.Fpdf
	used   [2]map[rune]struct{}
	subs   [2]subset
	cur    [2]int // style and font currently set in the PDF
	font   [2]int // font slot and size (1/100 pt) currently set
	color  int    // RGB currently set, or -1
	unsure int    // characters drawn that their subset lacks (a bug)
	memo   map[string][]line
	buf    []byte // scratch for content-stream operators

	// Shared segments: runs of rows that print no personal data are
	// recorded and drawn as form XObjects, one per distinct content, so a
	// class PDF holds its letters' common text once (see segment).
	share    bool // record shared segments at all (not worth it for one letter)
	sharing  bool
	shared   []byte
	forms    map[string]int // content → index in formData
	formData [][]byte
	tc       string // character spacing currently set (Tc operand)
	bold     int    // boldKey of the stroke state currently set, or -1

	// What is laid out once per PDF: composed letters (composeCache), the
	// rows of their blocks (blockCache), slips' fixed parts, and the
	// segments already drawn, by their rows' ids and places.
	docs   composeCache
	blocks map[blockKey]*blockRows
	sigs   map[blockKey]*sigRow
	merged map[[2]int32]int32 // ids of a paragraph's last row and a signature → the id of both on one row
	slips  map[slipKey]*slipStatic
	seg    []segRow
	segKey []byte
	segs   map[string]int // segment key → index in formData
	lastID int32
}

// segRow is a row of the open segment and where it is drawn.
type segRow struct {
	r row
	y float64
}

// newID returns a row id unique in this PDF.
func (s *setter) newID() int32 {
	s.lastID++
	return s.lastID
}

// lines breaks spans into lines, memoised per PDF: the letters of a class
// share all their text except the student's name, so most paragraphs are
// laid out once per class PDF.
func (s *setter) lines(spans []span, w, indent, hang float64, justify bool) []line {
	var kb strings.Builder
	for _, sp := range spans {
		kb.WriteString(sp.text)
		kb.WriteByte(0)
		kb.WriteByte(byte(sp.st))
		if sp.keep {
			kb.WriteByte(1)
		}
	}
	kb.WriteString(strconv.FormatFloat(w, 'f', 2, 64) + "/" + strconv.FormatFloat(indent, 'f', 2, 64) + "/" + strconv.FormatFloat(hang, 'f', 2, 64) + strconv.FormatBool(justify))
	key := kb.String()
	if ls, ok := s.memo[key]; ok {
		return ls
	}
	ls := s.breakLines(s.units(spans), w, indent, hang, justify)
	s.memo[key] = ls
	return ls
}

func newSetter(e *Engine) *setter {
	s := &setter{e: e, cur: [2]int{-1, -1}, font: [2]int{-1, -1}, color: -1, bold: -1, memo: map[string][]line{}, forms: map[string]int{},
		docs: composeCache{}, blocks: map[blockKey]*blockRows{}, sigs: map[blockKey]*sigRow{}, merged: map[[2]int32]int32{}, slips: map[slipKey]*slipStatic{},
		segs: map[string]int{}}
	for i := range s.used {
		s.used[i] = make(map[rune]struct{}, 1000)
	}
	return s
}

// pick chooses the font for t: the style's font if it has every character,
// else the other one.
func (s *setter) pick(t string, st style) int {
	pref := styles[st].font
	f := s.e.fonts[pref]
	for _, r := range t {
		if !f.has(r) {
			if o := s.e.fonts[1-pref]; o.has(r) {
				return 1 - pref
			}
		}
	}
	return pref
}

// measure returns the width of t in style st, the font it will be drawn in,
// and records its characters for that font's subset. Everything drawn must
// have been measured during layout.
func (s *setter) measure(t string, st style) (float64, int) {
	fi := s.pick(t, st)
	f := s.e.fonts[fi]
	w := 0
	for _, r := range t {
		s.used[fi][r] = struct{}{}
		if g, ok := f.cmap[r]; ok {
			w += f.advance(g)
		} else {
			w += 1000
		}
	}
	return float64(w) * styles[st].size * ptToMM / 1000, fi
}

// width measures t in style st as text draws it (pads included) and
// records its characters for the fonts' subsets.
func (s *setter) width(t string, st style) float64 {
	w := 0.0
	for _, u := range s.units([]span{{text: t, st: st}}) {
		w += u.w
	}
	return w
}

func (s *setter) use(st style, fi int) {
	if s.cur == [2]int{int(st), fi} {
		return
	}
	sp := styles[st]
	b := s.buf[:0]
	if fk := [2]int{fi, int(sp.size * 100)}; fk != s.font {
		b = append(b, fontRes[fi]...)
		b = strconv.AppendFloat(append(b, ' '), sp.size, 'f', -1, 64)
		b = append(b, " Tf "...)
		s.font = fk
	}
	c := sp.r<<16 | sp.g<<8 | sp.b
	if c != s.color {
		for _, v := range [3]int{sp.r, sp.g, sp.b} {
			b = strconv.AppendFloat(b, float64(v)/255, 'f', 3, 64)
			b = append(b, ' ')
		}
		b = append(b, "rg "...)
		s.color = c
	}
	// Bold: fill and stroke the glyphs with a stroke of 3.5 % of the size
	// in the fill colour (the fonts have no bold face).
	if bold := boldKey(sp); bold != s.bold {
		if sp.bold {
			b = strconv.AppendFloat(b, sp.size*0.035, 'f', 3, 64)
			b = append(b, " w "...)
			for _, v := range [3]int{sp.r, sp.g, sp.b} {
				b = strconv.AppendFloat(b, float64(v)/255, 'f', 3, 64)
				b = append(b, ' ')
			}
			b = append(b, "RG 2 Tr"...)
		} else {
			b = append(b, "0 Tr"...)
		}
		s.bold = bold
	}
	s.raw(b)
	s.buf = b
	s.cur = [2]int{int(st), fi}
}

// boldKey identifies the stroke state a style needs: 0 for none, else its
// stroke width and colour.
func boldKey(sp styleSpec) int {
	if !sp.bold {
		return 0
	}
	return 1 + int(sp.size*10)<<24 | sp.r<<16 | sp.g<<8 | sp.b
}

// raw writes content-stream operators: to the shared segment being
// recorded (see draw), else to the page.
func (s *setter) raw(b []byte) {
	if s.sharing {
		s.shared = append(append(s.shared, b...), '\n')
		return
	}
	s.pdf.RawWriteStr(string(b))
}

func (s *setter) rawStr(t string) {
	if s.sharing {
		s.shared = append(append(s.shared, t...), '\n')
		return
	}
	s.pdf.RawWriteStr(t)
}

// fontRes are the resource names of the font slots (pdfpack.go adds them to
// the page resources).
var fontRes = [2]string{"/F0", "/F1"}

// newPage starts a page; a page's contents start with a fresh graphics
// state, so nothing about font and colour is known.
func (s *setter) newPage() {
	s.pdf.AddPage()
	s.cur, s.font, s.color, s.tc, s.bold = [2]int{-1, -1}, [2]int{-1, -1}, -1, "0.000", -1
}

// appendGlyphs appends t as a PDF string of 2-byte glyph IDs of font fi's
// subset, counting characters the subset lacks.
func (s *setter) appendGlyphs(b []byte, t string, fi int) []byte {
	gid := s.subs[fi].gid
	b = append(b, '(')
	for _, r := range t {
		g, ok := gid[r]
		if !ok {
			s.unsure++
		}
		for _, c := range [2]byte{byte(g >> 8), byte(g)} {
			switch c {
			case '(', ')', '\\':
				b = append(b, '\\', c)
			case '\r':
				b = append(b, '\\', 'r')
			default:
				b = append(b, c)
			}
		}
	}
	return append(b, ')')
}

// setTc sets the extra spacing between glyphs (mm); it is part of the
// graphics state, so a page starts at 0.
func (s *setter) setTc(mm float64) {
	v := strconv.FormatFloat(mm*mmToPt, 'f', 3, 64)
	if v == s.tc {
		return
	}
	s.tc = v
	s.rawStr(v + " Tc")
}

// beginText starts a text object with the text position at x, y (mm from
// the top left). Glyphs drawn with show follow one another: each string
// moves the position by its widths plus the spacing, exactly as the layout
// measured them.
func (s *setter) beginText(x, y float64) {
	b := append(s.buf[:0], "BT "...)
	b = strconv.AppendFloat(b, x*mmToPt, 'f', 2, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, (pageH-y)*mmToPt, 'f', 2, 64)
	b = append(b, " Td"...)
	s.raw(b)
	s.buf = b
}

// text draws t at x with its baseline placed for a row of height h at top y.
func (s *setter) text(x, y, h float64, t string, st style) { s.spaced(x, y, h, t, st, 0) }

// spaced is text with tc mm of extra space after every character.
func (s *setter) spaced(x, y, h float64, t string, st style, tc float64) {
	s.drawLine(line{units: s.units([]span{{text: t, st: st}}), tc: tc}, x, y, h)
}

func baseline(y, h float64, st style) float64 {
	em := styles[st].size * ptToMM
	return y + (h-em)/2 + 0.86*em
}

// drawLine draws a laid-out line at top y, justified by character spacing.
// It is one text object: each run of one style and font is one TJ array
// whose numbers are the units' pads; runs follow one another without
// positioning, unless a run's baseline differs (another type size).
func (s *setter) drawLine(ln line, x0, y, h float64) {
	if len(ln.units) == 0 {
		return
	}
	s.setTc(ln.tc)
	x := x0 + ln.x
	base := baseline(y, h, ln.units[0].st)
	s.beginText(x, base)
	for i := 0; i < len(ln.units); {
		st, fi := ln.units[i].st, ln.units[i].font
		if bl := baseline(y, h, st); bl != base {
			s.rawStr("ET")
			s.beginText(x, bl)
			base = bl
		}
		s.use(st, fi)
		em := styles[st].size * ptToMM
		b := append(s.buf[:0], '[')
		j := i
		for ; j < len(ln.units) && ln.units[j].st == st && ln.units[j].font == fi; j++ {
			u := ln.units[j]
			if u.padL != 0 {
				b = append(strconv.AppendFloat(b, -u.padL/em*1000, 'f', 1, 64), ' ')
			}
			b = s.appendGlyphs(b, u.text, fi)
			if u.padR != 0 {
				b = append(strconv.AppendFloat(b, -u.padR/em*1000, 'f', 1, 64), ' ')
			}
			x += u.w + ln.tc*float64(u.glyph)
		}
		b = append(b, "] TJ"...)
		s.raw(b)
		s.buf = b
		i = j
	}
	s.rawStr("ET")
}

// fill draws a rectangle (mm, top left) filled in grey level g (0 black,
// 1 white), as raw operators so that it can go into a shared segment.
func (s *setter) fill(x, y, w, h, g float64) {
	s.rawStr("q " + strconv.FormatFloat(g, 'f', 2, 64) + " g " + rectOp(x, y, w, h) + " f Q")
}

// stroke outlines a rectangle (or draws a line when w or h is 0) in black
// with line width lw mm.
func (s *setter) stroke(x, y, w, h, lw float64) {
	s.rawStr("q 0 G " + strconv.FormatFloat(lw*mmToPt, 'f', 2, 64) + " w " + rectOp(x, y, w, h) + " S Q")
}

func rectOp(x, y, w, h float64) string {
	f := func(v float64) string { return strconv.FormatFloat(v*mmToPt, 'f', 2, 64) }
	return f(x) + " " + f(pageH-y-h) + " " + f(w) + " " + f(h) + " re"
}

// forget makes the next text set font, colour and spacing afresh: a form
// starts with whatever state the page had, and the page gets its state back
// after the form.
func (s *setter) forget() {
	s.cur, s.font, s.color, s.tc, s.bold = [2]int{-1, -1}, [2]int{-1, -1}, -1, "", -1
}

// segment adds r, drawn at y, to the open shared segment.
func (s *setter) segment(r row, y float64) {
	s.seg = append(s.seg, segRow{r, y})
}

// flushSegment draws the open segment. In a PDF of one letter its rows are
// drawn on the page. Otherwise they are recorded and drawn as a form
// XObject, the same object for every segment of the same content; a
// segment whose rows all have ids and were drawn at the same places before
// is not drawn again: its form is known by its key.
func (s *setter) flushSegment() {
	seg := s.seg
	s.seg = s.seg[:0]
	if len(seg) == 0 {
		return
	}
	if !s.share {
		for _, sr := range seg {
			sr.r.draw(sr.y)
		}
		return
	}
	key := s.segKey[:0]
	for _, sr := range seg {
		if sr.r.id == 0 {
			key = nil
			break
		}
		key = binary.AppendUvarint(key, uint64(sr.r.id))
		key = binary.AppendUvarint(key, math.Float64bits(sr.y))
	}
	if key != nil {
		s.segKey = key
		if k, ok := s.segs[string(key)]; ok {
			s.forget()
			s.rawStr("/X" + strconv.Itoa(k) + " Do")
			return
		}
	}
	s.sharing = true
	s.shared = s.shared[:0]
	s.forget()
	for _, sr := range seg {
		sr.r.draw(sr.y)
	}
	s.sharing = false
	s.forget()
	if len(s.shared) == 0 {
		return
	}
	k, ok := s.forms[string(s.shared)]
	if !ok {
		k = len(s.formData)
		data := slices.Clone(s.shared)
		s.forms[string(data)] = k
		s.formData = append(s.formData, data)
	}
	if key != nil {
		s.segs[string(key)] = k
	}
	s.rawStr("/X" + strconv.Itoa(k) + " Do")
}
