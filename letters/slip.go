package letters

import (
	"strconv"

	"rsc.io/qr"
)

// Slip geometry, mm.
const (
	qrSize    = 24.0
	slipCut   = 6.0 // cut line area above the slip
	slipHead  = 6.5
	quietZone = 4 // modules of white around the QR code, as the standard asks
	maxTokenW = 44.0
)

// cutToFit is the longest beginning of t that fits w in st, with …; t is
// set verbatim (a name, a class, a code).
func (s *setter) cutToFit(t string, w float64, st style) string {
	if s.dataWidth(t, st) <= w {
		return t
	}
	rs := []rune(t)
	lo, hi := 0, len(rs) // the longest prefix that fits, by bisection
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if s.dataWidth(string(rs[:mid])+ellipsis, st) <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(rs[:lo]) + ellipsis
}

// cutField is a field the slip printed shortened.
type cutField struct {
	field   string // 学生姓名 or 班级
	printed string
}

// slipGeometry is where the slip's columns and fields lie.
type slipGeometry struct {
	colTop         float64 // left column beside the QR code (the statement lines)
	colW, rightW   float64 // left column beside the code to type; right column
	cx             float64 // x of the class field
	nameW, classW  float64 // room for the name and the class
	token          string  // the code to type, as printed
	tokenW         float64
	quiet, modSize float64
}

// geometry lays the slip's columns out: the right column is as wide as
// the QR code or the code to type, whichever is wider, so the code stays
// inside the margin, centred under the QR code; the left column takes the
// rest (beside the QR code, where only the statement lines are, all but
// the QR code's width and its quiet zone).
func (s *setter) geometry(sl Slip, code *qr.Code, th theme) slipGeometry {
	g := slipGeometry{modSize: qrSize / 29}
	if code != nil {
		g.modSize = qrSize / float64(code.Size)
	}
	g.quiet = quietZone * g.modSize
	g.token, g.tokenW = sl.Token, s.dataWidth(sl.Token, stToken)
	if g.tokenW > maxTokenW {
		g.token = s.cutToFit(sl.Token, maxTokenW, stToken)
		g.tokenW = s.dataWidth(g.token, stToken)
	}
	g.rightW = max(qrSize, g.tokenW)
	g.colW = textW - g.rightW - g.quiet - 2
	g.colTop = textW - (g.rightW+qrSize)/2 - g.quiet - 2
	small := th.st(stSmall)
	g.cx = marginL + g.colW*0.55
	g.nameW = g.cx - (marginL + s.width(labelName, small)) - 3
	g.classW = marginL + g.colW - (g.cx + s.width(labelClass, small))
	return g
}

// slipFields sets the student's name and class in one face and size: the
// largest at which both fit their fields; a field too long even at the
// smallest is cut visibly and reported.
func (s *setter) slipFields(sl Slip, g slipGeometry, th theme) (name, class string, st style, cut []cutField) {
	sizes := []style{th.st(stName), th.st(stName10), th.st(stName8)}
	name, class = sl.StudentName, sl.ClassName
	for _, c := range sizes {
		if s.dataWidth(name, c) <= g.nameW && s.dataWidth(class, c) <= g.classW {
			return name, class, c, nil
		}
	}
	st = sizes[len(sizes)-1]
	name, class = s.cutToFit(name, g.nameW, st), s.cutToFit(class, g.classW, st)
	if name != sl.StudentName {
		cut = append(cut, cutField{"学生姓名", name})
	}
	if class != sl.ClassName {
		cut = append(cut, cutField{"班级", class})
	}
	return name, class, st, cut
}

// slip lays out the receipt slip: its height, a draw func, and the fields
// it cut.
func (s *setter) slip(sl Slip, th theme) (float64, func(y float64), []cutField) {
	code, err := qr.Encode(sl.URL, qr.M)
	if err != nil {
		code = nil // only text longer than a QR code holds; the code to type is printed anyway
	}
	g := s.geometry(sl, code, th)
	// The code keeps its size in large print: it is short, and bigger it
	// would take room from the fields.
	stSmall, stNote := th.st(stSmall), th.st(stNote)
	small, noteLead := styles[stSmall].lead, styles[stNote].lead
	fieldH := 7.0 * styles[stSmall].size / 10
	// Register every string drawn directly with its font's subset.
	for _, t := range []struct {
		t  string
		st style
	}{{cutText, th.st(stCut)}, {scissors, stSmall}, {sl.Title, th.st(stHeading)}, {labelName, stSmall}, {labelClass, stSmall},
		{labelSign, stSmall}, {labelDate, stSmall}, {dateBlank, stSmall}, {g.token, stToken}} {
		s.width(t.t, t.st)
	}
	name, class, fieldSt, cut := s.slipFields(sl, g, th)
	em := styles[stSmall].size * ptToMM
	var text []line
	for _, t := range sl.Text {
		text = append(text, s.lines([]span{{text: t, st: stSmall}}, g.colTop, 0, 2*em, true)...)
	}
	url := []span{{text: labelScan, st: stNote}, {text: " " + sl.CodeURL + " ", st: stNote}, {text: labelOrType + "。", st: stNote, keep: true}}
	urlLines := s.lines(url, g.colW, 0, 0, false)
	note := s.lines([]span{{text: "注：" + sl.SafetyNote, st: stNote}}, textW, 0, 0, true)
	leftH := float64(len(text))*small + 1.5 + 2*fieldH + float64(len(urlLines))*noteLead
	bodyH := max(leftH, qrSize+g.quiet+styles[stToken].lead)
	h := slipCut + slipHead + bodyH + 1.5 + float64(len(note))*noteLead

	return h, func(y0 float64) {
		s.cutLine(y0, th)
		y := y0 + slipCut
		head := th.st(stHeading)
		tw := s.width(sl.Title, head) + 3*float64(len([]rune(sl.Title))-1)
		s.spaced(marginL+(g.colW-tw)/2, y, slipHead, sl.Title, head, 3)
		y += slipHead

		// Left column: statement, name and class, signature and date, where
		// to type the code.
		ly := y
		for _, ln := range text {
			s.drawLine(ln, marginL, ly, small)
			ly += small
		}
		ly += 1.5
		s.field(marginL, ly, fieldH, labelName, name, stSmall, fieldSt)
		s.field(g.cx, ly, fieldH, labelClass, class, stSmall, fieldSt)
		ly += fieldH
		s.text(marginL, ly, fieldH, labelSign, stSmall)
		sx := marginL + s.width(labelSign, stSmall)
		s.fill(sx, ly+fieldH*0.8, g.cx-4-sx, 0.2, 0)
		s.text(g.cx, ly, fieldH, labelDate, stSmall)
		s.text(g.cx+s.width(labelDate, stSmall), ly, fieldH, dateBlank, stSmall)
		ly += fieldH
		for _, ln := range urlLines {
			s.drawLine(ln, marginL, ly, noteLead)
			ly += noteLead
		}

		// Right column: the QR code in its quiet zone, the code to type.
		rx := pageW - marginR - g.rightW
		if code != nil {
			s.drawQR(code, rx+(g.rightW-qrSize)/2, y, qrSize)
		}
		ty := y + qrSize + g.quiet
		s.drawLine(line{units: s.units([]span{{text: g.token, st: stToken, verbatim: true}})}, rx+(g.rightW-g.tokenW)/2, ty, styles[stToken].lead)

		ny := y + bodyH + 1.5
		for _, ln := range note {
			s.drawLine(ln, marginL, ny, noteLead)
			ny += noteLead
		}
	}, cut
}

// dataWidth measures t in st set verbatim, as a field filled from data.
func (s *setter) dataWidth(t string, st style) float64 {
	w := 0.0
	for _, u := range s.units([]span{{text: t, st: st, verbatim: true}}) {
		w += u.w
	}
	return w
}

// field draws a label and the value filled from data after it, the value
// set verbatim (no gaps inside a name or a class).
func (s *setter) field(x, y, h float64, label, value string, labelSt, valueSt style) {
	s.text(x, y, h, label, labelSt)
	s.drawLine(line{units: s.units([]span{{text: value, st: valueSt, verbatim: true}})}, x+s.width(label, labelSt), y, h)
}

// cutLine draws the dashed cut line at the slip's top, with scissors and a
// label on white.
func (s *setter) cutLine(y0 float64, th theme) {
	cy := y0 + slipCut/2
	f := func(v float64) string { return strconv.FormatFloat(v*mmToPt, 'f', 2, 64) }
	s.rawStr("q 0.47 G " + f(0.25) + " w [6.2 4.5] 0 d " + f(8) + " " + f(pageH-cy) + " m " + f(pageW-8) + " " + f(pageH-cy) + " l S Q")
	cutSt := th.st(stCut)
	lw := s.width(cutText, cutSt) + 4
	s.fill((pageW-lw)/2, cy-2.2, lw, 4.4, 1)
	s.fill(12, cy-2.5, 6, 5, 1)
	s.text((pageW-lw)/2+2, cy-2.2, 4.4, cutText, cutSt)
	s.text(12.5, cy-2.5, 5, scissors, th.st(stSmall))
}
