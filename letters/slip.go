package letters

import (
	"strconv"
	"strings"
)

// Slip geometry, mm.
const (
	qrSize    = 24.0
	slipCut   = 6.0 // cut line area above the slip
	slipHead  = 6.5
	quietZone = 4 // modules of white around the QR code, as the standard asks
	maxTokenW = 44.0
	// tokenColW is the width of the right column when the QR code is
	// narrower: a typical code to type (7KQ2-XP9M-4TRW is 38.1 mm). A
	// wider code, centred, reaches at most (maxTokenW-tokenColW)/2 = 3 mm
	// into the 5 mm between the columns.
	tokenColW = 38.0
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

// slipGeometry is where the slip's columns and fields lie. It is the
// same for every letter of an edition whose QR codes have the same size
// (the same base URL): the right column does not follow each code's width
// (tokenColW), so that the slip's fixed texts are laid out and drawn once
// per PDF (slipStatic) and only the name, the class, the QR code and the
// code are drawn per letter.
type slipGeometry struct {
	colTop         float64 // left column beside the QR code (the statement lines)
	colW, rightW   float64 // left column beside the code to type; right column
	cx             float64 // x of the class field
	nameW, classW  float64 // room for the name and the class
	quiet, modSize float64
}

// geometry lays the slip's columns out: the right column holds the QR
// code, centred, and the code to type under it; the left column takes the
// rest (beside the QR code, where only the statement lines are, all but
// the QR code's width and its quiet zone).
func (s *setter) geometry(th theme, qrModules int) slipGeometry {
	g := slipGeometry{modSize: qrSize / float64(qrModules)}
	g.quiet = quietZone * g.modSize
	g.rightW = max(qrSize, tokenColW)
	g.colW = textW - g.rightW - g.quiet - 2
	g.colTop = textW - (g.rightW+qrSize)/2 - g.quiet - 2
	small := th.st(stSmall)
	g.cx = marginL + g.colW*0.55
	g.nameW = g.cx - (marginL + s.width(labelName, small)) - 3
	g.classW = marginL + g.colW - (g.cx + s.width(labelClass, small))
	return g
}

// slipToken is the code as the slip prints it, and its width.
func (s *setter) slipToken(token string) (string, float64) {
	w := s.dataWidth(token, stToken)
	if w > maxTokenW {
		token = s.cutToFit(token, maxTokenW, stToken)
		w = s.dataWidth(token, stToken)
	}
	return token, w
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

// slipKey identifies a slip's fixed part: its texts, the edition and
// the QR code's size in modules (its quiet zone is 4 modules wide).
type slipKey struct {
	th                     theme
	qrModules              int
	title, text, url, note string
}

// slipStatic is the part of a slip that every letter of a PDF shares with
// the others of its edition: the cut line, title, statement, labels,
// where to type the code and the note. It is one shared row (id) drawn at
// the slip's top y0.
type slipStatic struct {
	id     int32
	h      float64
	g      slipGeometry
	fieldY float64 // the name and class fields' top, below y0
	fieldH float64
	draw   func(y0 float64)
}

// staticSlip returns the fixed part of sl's slip, laying it out on first
// use in this PDF.
func (s *setter) staticSlip(sl Slip, th theme, qrModules int) *slipStatic {
	k := slipKey{th: th, qrModules: qrModules, title: sl.Title, text: strings.Join(sl.Text, "\n"), url: sl.CodeURL, note: sl.SafetyNote}
	if ss, ok := s.slips[k]; ok {
		return ss
	}
	g := s.geometry(th, qrModules)
	stSmall, stNote := th.st(stSmall), th.st(stNote)
	small, noteLead := styles[stSmall].lead, styles[stNote].lead
	fieldH := 7.0 * styles[stSmall].size / 10
	// Register every string drawn directly with its font's subset.
	for _, t := range []struct {
		t  string
		st style
	}{{cutText, th.st(stCut)}, {scissors, stSmall}, {sl.Title, th.st(stHeading)}, {labelName, stSmall}, {labelClass, stSmall},
		{labelSign, stSmall}, {labelDate, stSmall}, {dateBlank, stSmall}} {
		s.width(t.t, t.st)
	}
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
	ss := &slipStatic{id: s.newID(), g: g, fieldH: fieldH,
		h:      slipCut + slipHead + bodyH + 1.5 + float64(len(note))*noteLead,
		fieldY: slipCut + slipHead + float64(len(text))*small + 1.5}
	ss.draw = func(y0 float64) {
		s.cutLine(y0, th)
		y := y0 + slipCut
		head := th.st(stHeading)
		tw := s.width(sl.Title, head) + 3*float64(len([]rune(sl.Title))-1)
		s.spaced(marginL+(g.colW-tw)/2, y, slipHead, sl.Title, head, 3)
		y += slipHead
		// Left column: statement, the labels of name and class, signature
		// and date, where to type the code.
		ly := y
		for _, ln := range text {
			s.drawLine(ln, marginL, ly, small)
			ly += small
		}
		ly += 1.5
		s.text(marginL, ly, fieldH, labelName, stSmall)
		s.text(g.cx, ly, fieldH, labelClass, stSmall)
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
		ny := y + bodyH + 1.5
		for _, ln := range note {
			s.drawLine(ln, marginL, ny, noteLead)
			ny += noteLead
		}
	}
	s.slips[k] = ss
	return ss
}

// slip lays out the receipt slip: its fixed part, a draw func of the
// letter's own part (name, class, QR code, code to type), and the fields
// it cut.
func (s *setter) slip(sl Slip, th theme) (*slipStatic, func(y float64), []cutField) {
	code, err := s.e.qr.encode(sl.URL)
	modules := 29
	if err != nil {
		code = nil // only text longer than a QR code holds; the code to type is printed anyway
	} else {
		modules = code.Size
	}
	ss := s.staticSlip(sl, th, modules)
	g := ss.g
	// The code keeps its size in large print: it is short, and bigger it
	// would take room from the fields.
	token, tokenW := s.slipToken(sl.Token)
	name, class, fieldSt, cut := s.slipFields(sl, g, th)
	stSmall := th.st(stSmall)
	nameUnits := s.units([]span{{text: name, st: fieldSt, verbatim: true}})
	classUnits := s.units([]span{{text: class, st: fieldSt, verbatim: true}})
	tokenUnits := s.units([]span{{text: token, st: stToken, verbatim: true}})
	nameX, classX := marginL+s.width(labelName, stSmall), g.cx+s.width(labelClass, stSmall)
	return ss, func(y0 float64) {
		y := y0 + slipCut + slipHead
		fy := y0 + ss.fieldY
		s.drawLine(line{units: nameUnits}, nameX, fy, ss.fieldH)
		s.drawLine(line{units: classUnits}, classX, fy, ss.fieldH)
		// Right column: the QR code in its quiet zone, the code to type.
		rx := pageW - marginR - g.rightW
		if code != nil {
			s.drawQR(code, rx+(g.rightW-qrSize)/2, y, qrSize)
		}
		s.drawLine(line{units: tokenUnits}, rx+(g.rightW-tokenW)/2, y+qrSize+g.quiet, styles[stToken].lead)
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
