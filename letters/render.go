package letters

import (
	"slices"
	"strconv"
	"strings"

	"github.com/jung-kurt/gofpdf"
)

// Page geometry in millimetres (A4 portrait).
const (
	pageW     = 210.0
	pageH     = 297.0
	marginL   = 19.0
	marginR   = 19.0
	marginTop = 14.0
	marginBot = 10.0
	textW     = pageW - marginL - marginR
	ptToMM    = 25.4 / 72
	mmToPt    = 72 / 25.4
)

type styleSpec struct {
	size    float64 // pt
	lead    float64 // line height, mm
	r, g, b int
	font    int // preferred font slot
}

var styles = [...]styleSpec{
	stBody:    {10, 4.95, 35, 35, 35, fontBody},
	stAccent:  {10, 4.95, 150, 32, 32, fontBody},
	stTitle:   {19, 10, 150, 32, 32, fontDisplay},
	stHeading: {11.5, 6.4, 150, 32, 32, fontBody},
	stSmall:   {9, 4.6, 35, 35, 35, fontBody},
	stNote:    {7.5, 3.8, 90, 90, 90, fontBody},
	stToken:   {12, 6, 20, 20, 20, fontBody},
	stName:    {12, 6, 20, 20, 20, fontDisplay},
	stLetter:  {11.5, 6, 35, 35, 35, fontDisplay},
	stSign:    {11.5, 6, 35, 35, 35, fontBody},
	stClass:   {12, 6, 20, 20, 20, fontBody},
}

// Fixed slip texts. Kept together so NewEngine can check them against the
// font and each document's subset includes them.
const (
	cutText      = "沿此线剪下"
	scissors     = "✂"
	labelName    = "学生姓名："
	labelClass   = "班级："
	labelSign    = "家长签字："
	labelDate    = "日期："
	dateBlank    = "　　　年　　月　　日"
	labelCode    = "确认码"
	labelScan    = "扫码或在手机浏览器打开："
	labelOrType  = "也可输入确认码"
	fixedText    = cutText + scissors + labelName + labelClass + labelSign + labelDate + dateBlank + labelCode + labelScan + labelOrType + SafetyNote + missingMark + "◆•注：防范案例" + "（）0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-:/.?=&_%#+~@ "
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
	s := &setter{e: e, cur: [2]int{-1, -1}, font: [2]int{-1, -1}, color: -1, memo: map[string][]line{}, forms: map[string]int{}}
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

// runs calls fn with the pieces of t that are drawn in one font: the
// style's font wherever it has the character, the other font where only
// that one has it (Latin letters and digits, which the body font lacks).
func (s *setter) runs(t string, st style, fn func(part string, fi int)) {
	pref := styles[st].font
	fontOf := func(r rune) int {
		if !s.e.fonts[pref].has(r) && s.e.fonts[1-pref].has(r) {
			return 1 - pref
		}
		return pref
	}
	start, cur := 0, -1
	for i, r := range t {
		fi := fontOf(r)
		if fi != cur && i > start {
			fn(t[start:i], cur)
			start = i
		}
		cur = fi
	}
	if start < len(t) {
		fn(t[start:], cur)
	}
}

// width measures t in style st drawn by runs (as text draws it) and records
// its characters for the fonts' subsets.
func (s *setter) width(t string, st style) float64 {
	w := 0.0
	s.runs(t, st, func(part string, fi int) {
		for _, r := range part {
			s.used[fi][r] = struct{}{}
			if g, ok := s.e.fonts[fi].cmap[r]; ok {
				w += float64(s.e.fonts[fi].advance(g))
			} else {
				w += 1000
			}
		}
	})
	return w * styles[st].size * ptToMM / 1000
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
	if c := sp.r<<16 | sp.g<<8 | sp.b; c != s.color {
		for _, v := range [3]int{sp.r, sp.g, sp.b} {
			b = strconv.AppendFloat(b, float64(v)/255, 'f', 3, 64)
			b = append(b, ' ')
		}
		b = append(b, "rg"...)
		s.color = c
	}
	s.raw(b)
	s.buf = b
	s.cur = [2]int{int(st), fi}
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
	s.cur, s.font, s.color, s.tc = [2]int{-1, -1}, [2]int{-1, -1}, -1, "0.000"
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

// show draws t in style st and font fi at the current text position.
func (s *setter) show(t string, st style, fi int) {
	s.use(st, fi)
	b := s.appendGlyphs(s.buf[:0], t, fi)
	b = append(b, " Tj"...)
	s.raw(b)
	s.buf = b
}

// text draws t at x with its baseline placed for a row of height h at top
// y, by runs (see runs).
func (s *setter) text(x, y, h float64, t string, st style) { s.spaced(x, y, h, t, st, 0) }

// spaced is text with tc mm of extra space after every character.
func (s *setter) spaced(x, y, h float64, t string, st style, tc float64) {
	s.setTc(tc)
	s.beginText(x, baseline(y, h, st))
	s.runs(t, st, func(part string, fi int) { s.show(part, st, fi) })
	s.rawStr("ET")
}

func baseline(y, h float64, st style) float64 {
	em := styles[st].size * ptToMM
	return y + (h-em)/2 + 0.86*em
}

// drawLine draws a laid-out line at top y, justified by character spacing.
// It is one text object: runs follow one another without positioning,
// unless a run's baseline differs (another type size).
func (s *setter) drawLine(ln line, x0, y, h float64) {
	if len(ln.units) == 0 {
		return
	}
	s.setTc(ln.tc)
	x := x0 + ln.x
	base := baseline(y, h, ln.units[0].st)
	s.beginText(x, base)
	var b strings.Builder
	for i := 0; i < len(ln.units); {
		j := i
		b.Reset()
		w, g := 0.0, 0
		for j < len(ln.units) && ln.units[j].st == ln.units[i].st && ln.units[j].font == ln.units[i].font {
			b.WriteString(ln.units[j].text)
			w += ln.units[j].w
			g += ln.units[j].glyph
			j++
		}
		if bl := baseline(y, h, ln.units[i].st); bl != base {
			s.rawStr("ET")
			s.beginText(x, bl)
			base = bl
		}
		s.show(b.String(), ln.units[i].st, ln.units[i].font)
		x += w + ln.tc*float64(g)
		i = j
	}
	s.rawStr("ET")
}

// row is one vertical slot of a letter's flow.
type row struct {
	h        float64
	keepNext int  // rows after this one that must share its page
	personal bool // prints the student's name: never in a shared segment
	draw     func(y float64)
}

// letterRows lays a composed document out as rows (everything but the slip).
func (s *setter) letterRows(d Document) []row {
	var rows []row
	// Rows printing the student's name are personal; the rest can be
	// shared between the letters of a PDF.
	name := d.Slip.StudentName
	personal := false
	mentions := func(t string) bool { return name != "" && strings.Contains(t, name) }
	add := func(h float64, keep int, draw func(y float64)) { rows = append(rows, row{h, keep, personal, draw}) }
	gap := func(h float64) { add(h, 0, func(float64) {}) }

	// Title, letter-spaced and centred.
	title := d.Title
	personal = mentions(title)
	tw := s.width(title, stTitle) + titleSpacing*float64(len([]rune(title))-1)
	s.width("•", stAccent)
	add(styles[stTitle].lead, 2, func(y float64) {
		s.spaced(marginL+(textW-tw)/2, y, styles[stTitle].lead, title, stTitle, titleSpacing)
	})
	gap(3)

	para := func(spans []span, indent, hang float64, keep int, after float64) {
		lead := styles[spans[0].st].lead
		lines := s.lines(spans, textW, indent, hang, true)
		for i, ln := range lines {
			k := 0
			if i == 0 {
				k = keep
			}
			add(lead, k, func(y float64) { s.drawLine(ln, marginL, y, lead) })
		}
		gap(after)
	}
	em := styles[stBody].size * ptToMM
	for i, b := range d.Blocks {
		if m := b.Method; m != nil {
			personal = mentions(m.Title + m.How + m.Guard + m.Case)
		} else {
			personal = mentions(b.Text)
		}
		switch b.Kind {
		case KindSalutation:
			para([]span{{text: b.Text, st: stLetter}}, 0, 0, 1, 0.6)
		case KindParagraph:
			para([]span{{text: b.Text, st: stBody}}, 2*em, 0, 0, 0.9)
		case KindHeading:
			gap(1)
			// A heading keeps the first two lines of what follows with it.
			para([]span{{text: b.Text, st: stHeading}}, 0, 0, 3, 0.5)
		case KindItem:
			lead := styles[stBody].lead
			lines := s.lines([]span{{text: b.Text, st: stBody}}, textW, 1.5*em, 1.5*em, true)
			for j, ln := range lines {
				add(lead, 0, func(y float64) {
					if j == 0 {
						s.text(marginL+0.4*em, y, lead, "•", stAccent)
					}
					s.drawLine(ln, marginL, y, lead)
				})
			}
			gap(0.5)
		case KindMethod:
			m := b.Method
			spans := []span{{"◆ ", stAccent, true}, {m.Title, stAccent, false}, {"　", stBody, false},
				{m.How, stBody, false}, {"防范：", stAccent, true}, {m.Guard, stBody, false}}
			if m.Case != "" {
				spans = append(spans, span{"案例：", stAccent, true}, span{m.Case, stBody, false})
			}
			para(spans, 0, 0, 0, 0.7)
		case KindSignature, KindDate:
			if i > 0 && d.Blocks[i-1].Kind != KindSignature {
				gap(2)
			}
			// Set in the body font: the display font's glyphs are large
			// (~4 KB a letter for these two lines).
			t := b.Text
			lead := styles[stSign].lead
			w := s.width(t, stSign)
			add(lead, 0, func(y float64) { s.text(pageW-marginR-w, y, lead, t, stSign) })
		}
	}
	return rows
}

// slipHeight is the height of the receipt slip block including its cut line.
const (
	qrSize   = 27.0
	slipCut  = 7.0 // cut line area above the slip
	slipHead = 7.0
)

// slip lays out the receipt slip and returns its height and a draw func.
func (s *setter) slip(sl Slip) (float64, func(y float64)) {
	colW := textW - qrSize - 8
	small := styles[stSmall].lead
	// Register every string drawn directly below with its font's subset.
	for _, t := range []struct {
		t  string
		st style
	}{{cutText, stNote}, {scissors, stSmall}, {sl.Title, stHeading}, {labelName, stSmall}, {labelClass, stSmall},
		{labelSign, stSmall}, {labelDate, stSmall}, {dateBlank, stSmall}, {sl.StudentName, stName},
		{sl.Token, stToken}, {labelOrType, stNote}} {
		s.width(t.t, t.st)
	}
	// A very long name or class is set smaller rather than run into the
	// next field.
	// The class is set in the body font: the display font's glyphs are
	// four times the size (~1.5 KB a letter).
	nameSt, classSt := stName, stClass
	if s.width(labelName, stSmall)+s.width(sl.StudentName, stName) > colW*0.55-3 {
		nameSt = stNote
	}
	if s.width(labelClass, stSmall)+s.width(sl.ClassName, stClass) > colW*0.45 {
		classSt = stNote
	}
	s.width(sl.StudentName, nameSt)
	s.width(sl.ClassName, classSt)
	em := styles[stSmall].size * ptToMM
	var textLines [][]line
	for _, t := range sl.Text {
		textLines = append(textLines, s.lines([]span{{text: t, st: stSmall}}, colW, 2*em, 0, true))
	}
	url := []span{{text: labelScan, st: stNote, keep: true}, {text: sl.URL, st: stNote}}
	urlLines := s.lines(url, colW, 0, 0, false)
	note := s.lines([]span{{text: "注：" + sl.SafetyNote, st: stNote}}, textW, 0, 0, true)

	n := 0
	for _, ls := range textLines {
		n += len(ls)
	}
	fieldsH := 2 * 7.0
	leftH := float64(n)*small + 2 + fieldsH + float64(len(urlLines))*styles[stNote].lead
	rightH := qrSize + 2 + styles[stToken].lead + styles[stNote].lead
	bodyH := max(leftH, rightH)
	noteH := float64(len(note)) * styles[stNote].lead
	h := slipCut + slipHead + bodyH + 1.5 + noteH

	return h, func(y0 float64) {
		pdf := s.pdf
		// Cut line: dashed, with scissors and a label on white.
		cy := y0 + slipCut/2
		pdf.SetDrawColor(120, 120, 120)
		pdf.SetLineWidth(0.25)
		pdf.SetDashPattern([]float64{2.2, 1.6}, 0)
		pdf.Line(8, cy, pageW-8, cy)
		pdf.SetDashPattern(nil, 0)
		lw := s.width(cutText, stNote) + 4
		pdf.SetFillColor(255, 255, 255)
		pdf.Rect((pageW-lw)/2, cy-2.2, lw, 4.4, "F")
		pdf.Rect(12, cy-2.5, 6, 5, "F")
		s.cur, s.color = [2]int{-1, -1}, -1
		s.text((pageW-lw)/2+2, cy-2.2, 4.4, cutText, stNote)
		s.text(12.5, cy-2.5, 5, scissors, stSmall)

		y := y0 + slipCut
		tw := s.width(sl.Title, stHeading) + 3*float64(len([]rune(sl.Title))-1)
		s.spaced(marginL+(textW-tw)/2, y, slipHead, sl.Title, stHeading, 3)
		y += slipHead

		// Left column: statement, name and class, signature and date.
		ly := y
		for _, ls := range textLines {
			for _, ln := range ls {
				s.drawLine(ln, marginL, ly, small)
				ly += small
			}
		}
		ly += 2
		fx := marginL
		s.text(fx, ly, 7, labelName, stSmall)
		nx := fx + s.width(labelName, stSmall)
		s.text(nx, ly, 7, sl.StudentName, nameSt)
		cx := marginL + colW*0.55
		s.text(cx, ly, 7, labelClass, stSmall)
		s.text(cx+s.width(labelClass, stSmall), ly, 7, sl.ClassName, classSt)
		ly += 7
		pdf.SetDrawColor(60, 60, 60)
		pdf.SetLineWidth(0.2)
		s.text(fx, ly, 7, labelSign, stSmall)
		sx := fx + s.width(labelSign, stSmall)
		pdf.Line(sx, ly+5.6, cx-4, ly+5.6)
		s.text(cx, ly, 7, labelDate, stSmall)
		s.text(cx+s.width(labelDate, stSmall), ly, 7, dateBlank, stSmall)
		ly += 7
		for _, ln := range urlLines {
			s.drawLine(ln, marginL, ly, styles[stNote].lead)
			ly += styles[stNote].lead
		}

		// Right column: QR code, the code to type.
		qx := pageW - marginR - qrSize
		s.drawQR(sl.URL, qx, y, qrSize)
		ry := y + qrSize + 1
		tokW := s.width(sl.Token, stToken)
		s.text(qx+(qrSize-tokW)/2, ry, styles[stToken].lead, sl.Token, stToken)
		ry += styles[stToken].lead
		lab := labelOrType
		s.text(qx+(qrSize-s.width(lab, stNote))/2, ry, styles[stNote].lead, lab, stNote)

		ny := y + bodyH + 1.5
		for _, ln := range note {
			s.drawLine(ln, marginL, ny, styles[stNote].lead)
			ny += styles[stNote].lead
		}
	}
}

// laidOut is a letter ready to draw.
type laidOut struct {
	rows     []row
	slipH    float64
	drawSlip func(y float64)
}

func (s *setter) layout(d Document) laidOut {
	rows := s.letterRows(d)
	h, draw := s.slip(d.Slip)
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
	s.cur, s.font, s.color, s.tc = [2]int{-1, -1}, [2]int{-1, -1}, -1, ""
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
