package letters

import (
	"slices"
	"strconv"
	"strings"

	"github.com/jung-kurt/gofpdf"
	"rsc.io/qr"
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
		stClass:   {12, 6, 0, 0, 0, fontBody, false},
		stClass8:  {8, 6, 0, 0, 0, fontBody, false},
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
	fixedText    = cutText + scissors + labelName + labelClass + labelSign + labelDate + dateBlank + labelCode + labelScan + labelOrType + labelHow + labelGuard + markMethod + markItem + ellipsis + SafetyNote + missingMark + "注：防范案例" + "（）0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-:/.?=&_%#+~@ "
	titleSpacing = 0.6 // mm between title characters
)

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
	// class PDF holds its letters' common text once (see draw).
	share    bool // record shared segments at all (not worth it for one letter)
	sharing  bool
	shared   []byte
	forms    map[string]int // content → index in formData
	formData [][]byte
	tc       string // character spacing currently set (Tc operand)
	bold     int    // boldKey of the stroke state currently set, or -1
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
	s := &setter{e: e, cur: [2]int{-1, -1}, font: [2]int{-1, -1}, color: -1, bold: -1, memo: map[string][]line{}, forms: map[string]int{}}
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
			if u.padL > 0 {
				b = append(strconv.AppendFloat(b, -u.padL/em*1000, 'f', 1, 64), ' ')
			}
			b = s.appendGlyphs(b, u.text, fi)
			if u.padR > 0 {
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

// row is one vertical slot of a letter's flow.
type row struct {
	h        float64
	keepNext int  // rows after this one that must share its page
	personal bool // prints the student's name: never in a shared segment
	draw     func(y float64)
}

// letterRows lays a composed document out as rows (everything but the slip).
func (s *setter) letterRows(d Document, th theme) []row {
	var rows []row
	// Rows printing the student's name are personal; the rest can be
	// shared between the letters of a PDF.
	name := d.Slip.StudentName
	personal := false
	mentions := func(t string) bool { return name != "" && strings.Contains(t, name) }
	add := func(h float64, keep int, draw func(y float64)) { rows = append(rows, row{h, keep, personal, draw}) }
	sc := 1.0
	if th {
		sc = largeScale
	}
	gap := func(h float64) { add(h*sc, 0, func(float64) {}) }
	em := styles[th.st(stBody)].size * ptToMM
	s.width(markItem, th.st(stBody)) // drawn directly: register with the subset

	// Title, letter-spaced and centred, over a rule.
	title := d.Title
	personal = mentions(title)
	stT := th.st(stTitle)
	tw := s.width(title, stT) + titleSpacing*float64(len([]rune(title))-1)
	add(styles[stT].lead, 2, func(y float64) {
		s.spaced(marginL+(textW-tw)/2, y, styles[stT].lead, title, stT, titleSpacing)
		s.fill(marginL, y+styles[stT].lead+0.8*sc, textW, 0.6, 0)
		s.fill(marginL, y+styles[stT].lead+1.8*sc, textW, 0.2, 0)
	})
	gap(3)

	lastRow, lastEnd := -1, 0.0 // a paragraph's last line: its row and right end
	para := func(spans []span, indent, hang float64, keep int, after float64) {
		lead := styles[spans[len(spans)-1].st].lead
		lines := s.lines(spans, textW, indent, hang, true)
		for i, ln := range lines {
			k := 0
			if i == 0 {
				k = keep
			}
			add(lead, k, func(y float64) { s.drawLine(ln, marginL, y, lead) })
			lastRow, lastEnd = len(rows)-1, ln.x+ln.w
		}
		gap(after)
	}
	// A list item: a bullet, then the text hanging; a lead-in up to the
	// first colon (留证据：…) is bold.
	item := func(spans []span, after float64) {
		lead := styles[th.st(stBody)].lead
		lines := s.lines(spans, textW, 1.3*em, 1.3*em, true)
		for j, ln := range lines {
			add(lead, 0, func(y float64) {
				if j == 0 {
					s.text(marginL+0.35*em, y, lead, markItem, th.st(stBody))
				}
				s.drawLine(ln, marginL, y, lead)
			})
		}
		gap(after)
	}
	for i, b := range d.Blocks {
		if m := b.Method; m != nil {
			personal = mentions(m.Title + m.How + m.Guard + m.Case + m.Brief)
		} else {
			personal = mentions(b.Text + strings.Join(b.Items, ""))
		}
		switch b.Kind {
		case KindSalutation:
			para([]span{{text: b.Text, st: th.st(stLetter)}}, 0, 0, 1, 0.8)
		case KindParagraph:
			// "万一上当：…" is a section in one paragraph: a run-in
			// heading, no indent.
			if sp := leadIn(b.Text, th.st(stBody), th.st(stMethod)); len(sp) == 2 && len([]rune(sp[0].text)) <= 7 {
				gap(0.6)
				para(sp, 0, 0, 0, 1)
				continue
			}
			para([]span{{text: b.Text, st: th.st(stBody)}}, 2*em, 0, 0, 1)
		case KindHeading:
			gap(0.8)
			st := th.st(stHeading)
			lead := styles[st].lead
			lines := s.lines([]span{{text: b.Text, st: st}}, textW, 0, 0, false)
			for j, ln := range lines {
				last := j == len(lines)-1
				// A heading keeps the first lines of what follows with it.
				add(lead, 3, func(y float64) {
					s.drawLine(ln, marginL, y, lead)
					if last {
						s.fill(marginL, y+lead-0.2, textW, 0.35, 0)
					}
				})
			}
			gap(0.9)
		case KindItem:
			item(leadIn(b.Text, th.st(stBody), th.st(stBold)), 0.4)
		case KindBrief:
			m := b.Method
			item([]span{{text: m.Title + "：", st: th.st(stBold)}, {text: m.Brief, st: th.st(stBody)}}, 0.4)
		case KindMethod:
			m := b.Method
			para([]span{{text: markMethod + " ", st: th.st(stAccent), keep: true}, {text: m.Title, st: th.st(stMethod)}}, 0, 1.3*em, 2, 0.2)
			para([]span{{text: labelHow, st: th.st(stBold), keep: true}, {text: m.How, st: th.st(stBody)}}, 1.3*em, 1.3*em, 0, 0.1)
			guard := []span{{text: labelGuard, st: th.st(stBold), keep: true}, {text: m.Guard, st: th.st(stBody)}}
			if m.Case != "" {
				guard = append(guard, span{"案例：", th.st(stBold), true}, span{m.Case, th.st(stBody), false})
			}
			para(guard, 1.3*em, 1.3*em, 0, 0.9)
		case KindBox:
			h, draw := s.box(b, th)
			gap(1)
			add(h, 0, draw)
			gap(2)
		case KindSignature, KindDate:
			// Set in the body font: the display font's glyphs are large
			// (~4 KB a letter for these two lines).
			t := b.Text
			st := th.st(stSign)
			lead := styles[st].lead
			w := s.width(t, st)
			draw := func(y float64) { s.text(pageW-marginR-w, y, lead, t, st) }
			if i > 0 && d.Blocks[i-1].Kind == KindParagraph && lastRow == len(rows)-2 && lastEnd+w+3*em <= textW {
				// The first signature line shares the closing line's row
				// when both fit: the letter keeps a line for the slip.
				r := &rows[lastRow]
				prev := r.draw
				r.draw = func(y float64) { prev(y); draw(y) }
				continue
			}
			if i > 0 && d.Blocks[i-1].Kind != KindSignature {
				gap(1.5)
			}
			add(lead, 0, draw)
		}
	}
	return rows
}

// leadIn splits "留证据：…" into a bold lead-in and the rest; text without
// a colon near its start is all body.
func leadIn(t string, body, bold style) []span {
	if i := strings.Index(t, "："); i > 0 && len([]rune(t[:i])) <= 14 {
		return []span{{text: t[:i+len("：")], st: bold}, {text: t[i+len("："):], st: body}}
	}
	return []span{{text: t, st: body}}
}

// box lays out a boxed strip (请记住): its title white on a black band,
// its lines below with bold lead-ins, all inside a frame. It is one row: a
// page never splits it.
func (s *setter) box(b Block, th theme) (float64, func(y float64)) {
	em := styles[th.st(stBody)].size * ptToMM
	padX, padY := 0.8*em, 0.35*em
	head := th.st(stBoxHead)
	headH := styles[head].lead
	lead := styles[th.st(stBody)].lead
	var lines [][]line
	n := 0
	for _, it := range b.Items {
		ls := s.lines(leadIn(it, th.st(stBody), th.st(stBold)), textW-2*padX, 1.3*em, 1.3*em, true)
		lines = append(lines, ls)
		n += len(ls)
	}
	h := headH + 2*padY + float64(n)*lead
	s.width(b.Text, head)
	s.width(markItem, th.st(stBody))
	return h, func(y float64) {
		s.fill(marginL, y, textW, headH, 0)
		s.text(marginL+padX, y, headH, b.Text, head)
		s.stroke(marginL, y, textW, h, 0.5)
		ly := y + headH + padY
		for _, ls := range lines {
			for j, ln := range ls {
				if j == 0 {
					s.text(marginL+padX+0.35*em, ly, lead, markItem, th.st(stBody))
				}
				s.drawLine(ln, marginL+padX, ly, lead)
				ly += lead
			}
		}
	}
}

// Slip geometry, mm.
const (
	qrSize    = 24.0
	slipCut   = 6.0 // cut line area above the slip
	slipHead  = 6.5
	quietZone = 4 // modules of white around the QR code, as the standard asks
)

// fitText returns t in the first of sts that fits w, else t cut to fit w
// in the last with … at the end (visibly shortened).
func (s *setter) fitText(t string, w float64, sts ...style) (string, style) {
	for _, st := range sts {
		if s.width(t, st) <= w {
			return t, st
		}
	}
	st := sts[len(sts)-1]
	rs := []rune(t)
	lo, hi := 0, len(rs) // the longest prefix that fits, by bisection
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if s.width(string(rs[:mid])+ellipsis, st) <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(rs[:lo]) + ellipsis, st
}

// slip lays out the receipt slip and returns its height and a draw func.
func (s *setter) slip(sl Slip, th theme) (float64, func(y float64)) {
	code, err := qr.Encode(sl.URL, qr.M)
	if err != nil {
		code = nil // only text longer than a QR code holds; the code to type is printed anyway
	}
	mod := qrSize / 29
	if code != nil {
		mod = qrSize / float64(code.Size)
	}
	quiet := quietZone * mod
	colW := textW - qrSize - quiet - 2
	// The code keeps its size in large print: wider, it would reach into
	// the fields beside the QR code.
	stSmall, stNote := th.st(stSmall), th.st(stNote)
	small := styles[stSmall].lead
	fieldH := 7.0 * float64(styles[stSmall].size) / 10
	// Register every string drawn directly below with its font's subset.
	for _, t := range []struct {
		t  string
		st style
	}{{cutText, th.st(stCut)}, {scissors, stSmall}, {sl.Title, th.st(stHeading)}, {labelName, stSmall}, {labelClass, stSmall},
		{labelSign, stSmall}, {labelDate, stSmall}, {dateBlank, stSmall}, {sl.Token, stToken}} {
		s.width(t.t, t.st)
	}
	// Name and class shrink to fit their fields, then are cut visibly:
	// nothing runs into the next field or the QR code. The class is set
	// in the body font: the display font's glyphs are four times the size
	// (~1.5 KB a letter).
	cx := marginL + colW*0.55
	nameW := cx - (marginL + s.width(labelName, stSmall)) - 3
	classW := marginL + colW - (cx + s.width(labelClass, stSmall))
	name, nameSt := s.fitText(sl.StudentName, nameW, th.st(stName), th.st(stName10), th.st(stName8))
	class, classSt := s.fitText(sl.ClassName, classW, th.st(stClass), th.st(stClass8))
	em := styles[stSmall].size * ptToMM
	var textLines [][]line
	for _, t := range sl.Text {
		textLines = append(textLines, s.lines([]span{{text: t, st: stSmall}}, colW, 0, 2*em, true))
	}
	url := []span{{text: labelScan, st: stNote}, {text: " " + sl.CodeURL + " ", st: stNote}, {text: labelOrType + "。", st: stNote, keep: true}}
	urlLines := s.lines(url, colW, 0, 0, false)
	note := s.lines([]span{{text: "注：" + sl.SafetyNote, st: stNote}}, textW, 0, 0, true)

	n := 0
	for _, ls := range textLines {
		n += len(ls)
	}
	noteLead := styles[stNote].lead
	leftH := float64(n)*small + 1.5 + 2*fieldH + float64(len(urlLines))*noteLead
	rightH := qrSize + quiet + styles[stToken].lead
	bodyH := max(leftH, rightH)
	noteH := float64(len(note)) * noteLead
	h := slipCut + slipHead + bodyH + 1.5 + noteH

	return h, func(y0 float64) {
		// Cut line: dashed, with scissors and a label on white.
		cy := y0 + slipCut/2
		s.rawStr("q 0.47 G " + strconv.FormatFloat(0.25*mmToPt, 'f', 2, 64) + " w [6.2 4.5] 0 d " +
			strconv.FormatFloat(8*mmToPt, 'f', 2, 64) + " " + strconv.FormatFloat((pageH-cy)*mmToPt, 'f', 2, 64) + " m " +
			strconv.FormatFloat((pageW-8)*mmToPt, 'f', 2, 64) + " " + strconv.FormatFloat((pageH-cy)*mmToPt, 'f', 2, 64) + " l S Q")
		cutSt := th.st(stCut)
		lw := s.width(cutText, cutSt) + 4
		s.fill((pageW-lw)/2, cy-2.2, lw, 4.4, 1)
		s.fill(12, cy-2.5, 6, 5, 1)
		s.text((pageW-lw)/2+2, cy-2.2, 4.4, cutText, cutSt)
		s.text(12.5, cy-2.5, 5, scissors, stSmall)

		y := y0 + slipCut
		head := th.st(stHeading)
		tw := s.width(sl.Title, head) + 3*float64(len([]rune(sl.Title))-1)
		s.spaced(marginL+(colW-tw)/2, y, slipHead, sl.Title, head, 3)
		y += slipHead

		// Left column: statement, name and class, signature and date, where
		// to type the code.
		ly := y
		for _, ls := range textLines {
			for _, ln := range ls {
				s.drawLine(ln, marginL, ly, small)
				ly += small
			}
		}
		ly += 1.5
		fx := marginL
		s.text(fx, ly, fieldH, labelName, stSmall)
		s.text(fx+s.width(labelName, stSmall), ly, fieldH, name, nameSt)
		s.text(cx, ly, fieldH, labelClass, stSmall)
		s.text(cx+s.width(labelClass, stSmall), ly, fieldH, class, classSt)
		ly += fieldH
		s.text(fx, ly, fieldH, labelSign, stSmall)
		sx := fx + s.width(labelSign, stSmall)
		s.fill(sx, ly+fieldH*0.8, cx-4-sx, 0.2, 0)
		s.text(cx, ly, fieldH, labelDate, stSmall)
		s.text(cx+s.width(labelDate, stSmall), ly, fieldH, dateBlank, stSmall)
		ly += fieldH
		for _, ln := range urlLines {
			s.drawLine(ln, marginL, ly, noteLead)
			ly += noteLead
		}

		// Right column: the QR code in its quiet zone, the code to type.
		qx := pageW - marginR - qrSize
		if code != nil {
			s.drawQR(code, qx, y, qrSize)
		}
		ry := y + qrSize + quiet
		tokW := s.width(sl.Token, stToken)
		s.text(qx+(qrSize-tokW)/2, ry, styles[stToken].lead, sl.Token, stToken)

		ny := y + bodyH + 1.5
		for _, ln := range note {
			s.drawLine(ln, marginL, ny, noteLead)
			ny += noteLead
		}
	}
}

// laidOut is a letter ready to draw.
type laidOut struct {
	rows     []row
	slipH    float64
	drawSlip func(y float64)
}

func (s *setter) layout(d Document, large bool) laidOut {
	rows := s.letterRows(d, theme(large))
	h, draw := s.slip(d.Slip, theme(large))
	return laidOut{rows, h, draw}
}

// draw adds one letter's pages, the slip at the foot of the last; it
// returns the number of pages.
func (s *setter) draw(l laidOut) int {
	bottom := pageH - marginBot
	pages := 1
	s.newPage()
	y := marginTop
	rows := l.rows
	for i := 0; i < len(rows); i++ {
		need := rows[i].h
		for k := 1; k <= rows[i].keepNext && i+k < len(rows); k++ {
			need += rows[i+k].h
		}
		if y+need > bottom && y > marginTop {
			s.endShared()
			s.newPage()
			pages++
			y = marginTop
		}
		if rows[i].personal {
			s.endShared()
		} else {
			s.beginShared()
		}
		rows[i].draw(y)
		y += rows[i].h
	}
	s.endShared()
	if y+l.slipH+2 > bottom {
		s.newPage()
		pages++
	}
	l.drawSlip(bottom - l.slipH)
	return pages
}

// forget makes the next text set font, colour and spacing afresh: a form
// starts with whatever state the page had, and the page gets its state back
// after the form.
func (s *setter) forget() {
	s.cur, s.font, s.color, s.tc, s.bold = [2]int{-1, -1}, [2]int{-1, -1}, -1, "", -1
}

// beginShared starts recording a shared segment, unless one is open.
func (s *setter) beginShared() {
	if s.sharing || !s.share {
		return
	}
	s.sharing = true
	s.shared = s.shared[:0]
	s.forget()
}

// endShared closes the open shared segment and draws it as a form XObject,
// the same object for every segment of the same content.
func (s *setter) endShared() {
	if !s.sharing {
		return
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
	s.rawStr("/X" + strconv.Itoa(k) + " Do")
}
