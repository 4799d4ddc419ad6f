package letters

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/jung-kurt/gofpdf"
)

// kitDoc lays out and draws one class-meeting PDF (lesson sheet or slides)
// of any page size and type sizes, with the letters' fonts and their CJK
// line breaking (typeset.go). Like a letter, it works in two passes: layout
// measures every string (recording the characters each font's subset needs)
// and queues drawing operations per page; then the subset fonts are built,
// the pages drawn and the PDF packed with them (pdfpack.go).
type kitDoc struct {
	e     *Engine
	w, h  float64 // page size, mm
	used  [2]map[rune]struct{}
	subs  [2]subset
	pdf   *gofpdf.Fpdf
	pages [][]func()
	miss  int // characters drawn that their subset lacks (a bug)
}

// kitStyle is a type size, colour and preferred font.
type kitStyle struct {
	size  float64 // pt
	lead  float64 // line height, as a multiple of the size
	font  int     // fontDisplay or fontBody
	color rgb
}

// em is the style's type size in mm.
func (st kitStyle) em() float64 { return st.size * ptToMM }

// lineH is the style's line height in mm.
func (st kitStyle) lineH() float64 { return st.size * st.lead * ptToMM }

func newKitDoc(e *Engine, w, h float64) *kitDoc {
	d := &kitDoc{e: e, w: w, h: h}
	for i := range d.used {
		d.used[i] = map[rune]struct{}{}
	}
	return d
}

// page starts a new page; operations added go to it.
func (d *kitDoc) page() { d.pages = append(d.pages, nil) }

// add queues a drawing operation on the current page.
func (d *kitDoc) add(op func()) {
	d.pages[len(d.pages)-1] = append(d.pages[len(d.pages)-1], op)
}

// fontOf is the font a character is drawn in: the style's where it has the
// character, else the other one (the body font has no Latin letters or
// digits).
func (d *kitDoc) fontOf(r rune, pref int) int {
	if !d.e.fonts[pref].has(r) && d.e.fonts[1-pref].has(r) {
		return 1 - pref
	}
	return pref
}

// measure returns the width of t in st drawn as one run of font fi, and
// records its characters.
func (d *kitDoc) runWidth(t string, st kitStyle, fi int) float64 {
	f := d.e.fonts[fi]
	w := 0
	for _, r := range t {
		d.used[fi][r] = struct{}{}
		if g, ok := f.cmap[r]; ok {
			w += f.advance(g)
		} else {
			w += 1000
		}
	}
	return float64(w) * st.em() / 1000
}

// width measures t in st (character by character in the font that has it).
func (d *kitDoc) width(t string, st kitStyle) float64 {
	w := 0.0
	for _, u := range d.units(t, st) {
		w += u.w
	}
	return w
}

// units cuts t into the line breaker's unbreakable units (one CJK character,
// a Latin word or number, a space), each measured in the font that draws it.
func (d *kitDoc) units(t string, st kitStyle) []unit {
	var out []unit
	rs := []rune(t)
	verb := false
	for i := 0; i < len(rs); {
		if rs[i] == dataOpen || rs[i] == dataClose { // a field from data: set verbatim
			verb = rs[i] == dataOpen
			i++
			continue
		}
		j := i + 1
		if isWordRune(rs[i]) {
			for j < len(rs) && isWordRune(rs[j]) {
				j++
			}
		} else if rs[i] == '…' || rs[i] == '—' {
			for j < len(rs) && rs[j] == rs[i] {
				j++
			}
		}
		fi := d.fontOf(rs[i], st.font)
		for _, r := range rs[i:j] {
			if !d.e.fonts[fi].has(r) {
				fi = d.fontOf(r, st.font)
			}
		}
		s := string(rs[i:j])
		out = append(out, unit{text: s, w: d.runWidth(s, st, fi), glyph: j - i, font: fi, space: rs[i] == ' ', verbatim: verb})
		i = j
	}
	// The letters' spacing: full-width quotes, gaps around Latin words,
	// adjacent marks compressed, short quoted words kept whole.
	pad(out, func(*unit) float64 { return st.em() })
	glueQuotes(out)
	return out
}

// wrap breaks t into lines of width w (the first indented by indent) with
// the letters' rules: no line starts with 。，、 etc. or ends with （《 etc.
// Lines are justified when justify is set (the last one never is).
func (d *kitDoc) wrap(t string, st kitStyle, w, indent float64, justify bool) []line {
	us := d.units(t, st)
	// A word longer than the line is cut here, so the line breaker never
	// has to (its splitUnit measures with the letters' own styles).
	for i := 0; i < len(us); i++ {
		if us[i].w > w-indent && us[i].glyph > 1 {
			rs := []rune(us[i].text)
			k := len(rs) / 2
			a, b := string(rs[:k]), string(rs[k:])
			parts := []unit{
				{text: a, w: d.runWidth(a, st, us[i].font), glyph: k, font: us[i].font},
				{text: b, w: d.runWidth(b, st, us[i].font), glyph: len(rs) - k, font: us[i].font},
			}
			us = append(us[:i], append(parts, us[i+1:]...)...)
			i--
		}
	}
	return (&setter{e: d.e}).breakLines(us, w, indent, 0, justify)
}

// textBlock is wrapped text ready to draw.
type textBlock struct {
	lines []line
	st    kitStyle
}

func (b textBlock) height() float64 { return float64(len(b.lines)) * b.st.lineH() }

// block wraps t for width w.
func (d *kitDoc) block(t string, st kitStyle, w, indent float64, justify bool) textBlock {
	return textBlock{d.wrap(t, st, w, indent, justify), st}
}

// drawBlock queues b at x, y (top); align 0 left, 1 centre.
func (d *kitDoc) drawBlock(b textBlock, x, y, w float64, centre bool) {
	for i, ln := range b.lines {
		ln := ln
		lx := x
		if centre {
			lx = x + (w-ln.w)/2 - ln.x
		}
		d.queueLine(ln, lx, y+float64(i)*b.st.lineH(), b.st)
	}
}

// text queues one line of t at x, y (top of a line of st) without wrapping;
// it returns the width.
func (d *kitDoc) text(t string, st kitStyle, x, y float64) float64 {
	us := d.units(t, st)
	ln := line{units: us}
	for _, u := range us {
		ln.w += u.w
	}
	d.queueLine(ln, x, y, st)
	return ln.w
}

// queueLine queues a laid-out line at x, y (top of a line of st).
func (d *kitDoc) queueLine(ln line, x, y float64, st kitStyle) {
	d.add(func() { d.drawLine(ln, x, y, st) })
}

// drawLine writes a laid-out line: one text object, a TJ per unit (its
// pads as offsets), extra spacing ln.tc after every glyph (justification).
func (d *kitDoc) drawLine(ln line, x, y float64, st kitStyle) {
	if len(ln.units) == 0 {
		return
	}
	base := y + (st.lineH()-st.em())/2 + 0.86*st.em()
	b := make([]byte, 0, 256)
	b = append(b, "q BT "...)
	for _, v := range st.color {
		b = strconv.AppendFloat(b, float64(v)/255, 'f', 3, 64)
		b = append(b, ' ')
	}
	b = append(b, "rg "...)
	b = strconv.AppendFloat(b, ln.tc*mmToPt, 'f', 3, 64)
	b = append(b, " Tc "...)
	b = strconv.AppendFloat(b, (x+ln.x)*mmToPt, 'f', 2, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, (d.h-base)*mmToPt, 'f', 2, 64)
	b = append(b, " Td"...)
	cur := -1
	for _, u := range ln.units {
		if u.font != cur {
			b = append(b, ' ')
			b = append(b, fontRes[u.font]...)
			b = append(b, ' ')
			b = strconv.AppendFloat(b, st.size, 'f', -1, 64)
			b = append(b, " Tf"...)
			cur = u.font
		}
		b = append(b, " ["...)
		if u.padL != 0 {
			b = strconv.AppendFloat(b, -u.padL/st.em()*1000, 'f', 1, 64)
		}
		b = append(b, '<')
		for _, r := range u.text {
			g, ok := d.subs[u.font].gid[r]
			if !ok {
				d.miss++
			}
			b = append(b, fmt.Sprintf("%04X", g)...)
		}
		b = append(b, '>')
		if u.padR != 0 {
			b = strconv.AppendFloat(b, -u.padR/st.em()*1000, 'f', 1, 64)
		}
		b = append(b, "] TJ"...)
	}
	b = append(b, " ET Q"...)
	d.pdf.RawWriteStr(string(b))
}

// Shapes, in mm from the page's top left.

func (d *kitDoc) rect(x, y, w, h, r float64, c rgb) {
	d.add(func() {
		d.pdf.SetFillColor(c[0], c[1], c[2])
		if r > 0 {
			d.pdf.RoundedRect(x, y, w, h, r, "1234", "F")
		} else {
			d.pdf.Rect(x, y, w, h, "F")
		}
	})
}

func (d *kitDoc) circle(x, y, r float64, c rgb) {
	d.add(func() {
		d.pdf.SetFillColor(c[0], c[1], c[2])
		d.pdf.Circle(x, y, r, "F")
	})
}

// icon queues pictogram name in the square x, y, size.
func (d *kitDoc) icon(name string, x, y, size float64, fg, bg rgb) {
	draw, ok := pictograms[name]
	if !ok {
		return
	}
	d.add(func() { draw(pen{d.pdf, x, y, size}, fg, bg) })
}

// write builds the fonts, draws the pages and writes the PDF.
func (d *kitDoc) write(w io.Writer, title string, created time.Time) error {
	for fi := range d.used {
		list := make([]rune, 0, len(d.used[fi]))
		for r := range d.used[fi] {
			if d.e.fonts[fi].has(r) {
				list = append(list, r)
			}
		}
		d.subs[fi] = d.e.fonts[fi].subset(list)
	}
	orient := "P"
	if d.w > d.h {
		orient = "L"
	}
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: orient, UnitStr: "mm", Size: gofpdf.SizeType{Wd: min(d.w, d.h), Ht: max(d.w, d.h)}})
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCompression(false)
	pdf.SetCatalogSort(true)
	if created.IsZero() {
		created = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetTitle(title, true)
	pdf.SetCreator("反诈家书", true)
	d.pdf = pdf
	for _, ops := range d.pages {
		pdf.AddPage()
		for _, op := range ops {
			op()
		}
	}
	if d.miss > 0 {
		return fmt.Errorf("letters: internal error: %d characters drawn without being laid out", d.miss)
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("letters: write PDF: %w", err)
	}
	var raw bytes.Buffer
	if err := pdf.Output(&raw); err != nil {
		return fmt.Errorf("letters: write PDF: %w", err)
	}
	_, err := d.e.z.packPDF(w, raw.Bytes(), onceLevel, func(first, _ int) (string, string, []pdfObj) {
		var fonts string
		var objs []pdfObj
		for fi := range d.subs {
			if len(d.subs[fi].runes) == 0 {
				continue
			}
			num := first + len(objs)
			fonts += fontRes[fi] + " " + strconv.Itoa(num) + " 0 R "
			objs = append(objs, fontObjects(d.subs[fi], num)...)
		}
		return fonts, "", objs
	})
	if err != nil {
		return fmt.Errorf("letters: write PDF: %w", err)
	}
	return nil
}
