package letters

import "strings"

// row is one vertical slot of a letter's flow.
type row struct {
	id       int32 // names what it draws in this PDF (cachedRows); 0: drawn anew for each letter
	h        float64
	glue     bool // no page break after it: it and the next share a page
	gap      bool // blank space only: left out at the top of a page
	personal bool // prints the student's name: never in a shared segment
	block    int  // the Document block it belongs to; -1 for the title
	draw     func(y float64)
}

// rowBuilder lays a composed document out as rows. Every block is kept
// whole on a page (a method, 万一上当, the 请记住 box, a paragraph: no word is
// split across pages); a heading stays with the block after it.
type rowBuilder struct {
	s        *setter
	th       theme
	rows     []row
	block    int
	personal bool
	sc, em   float64
	lastRow  int     // row of the last line of the latest paragraph
	lastEnd  float64 // and that line's right end
}

func (b *rowBuilder) add(h float64, draw func(y float64)) {
	b.rows = append(b.rows, row{h: h, personal: b.personal, block: b.block, draw: draw})
}

// gap adds blank space (scaled with the edition).
func (b *rowBuilder) gap(h float64) {
	b.rows = append(b.rows, row{h: h * b.sc, gap: true, block: b.block, draw: func(float64) {}})
}

// glueFrom keeps rows[from:] on one page; withNext keeps them with the
// row after them too, else a page may break after their last line.
func (b *rowBuilder) glueFrom(from int, withNext bool) {
	end := len(b.rows) // rows[from:end] are glued to their next
	if !withNext {
		end--
		for end >= from && b.rows[end].gap {
			end--
		}
	}
	for i := from; i < end; i++ {
		b.rows[i].glue = true
	}
}

// para adds the lines of spans, then a gap.
func (b *rowBuilder) para(spans []span, indent, hang, after float64) {
	s := b.s
	lead := styles[spans[len(spans)-1].st].lead
	for _, ln := range s.lines(spans, textW, indent, hang, true) {
		b.add(lead, func(y float64) { s.drawLine(ln, marginL, y, lead) })
		b.lastRow, b.lastEnd = len(b.rows)-1, ln.x+ln.w
	}
	b.gap(after)
}

// item adds a list item: a bullet, then the text hanging.
func (b *rowBuilder) item(spans []span, after float64) {
	s, th := b.s, b.th
	lead := styles[th.st(stBody)].lead
	for j, ln := range s.lines(spans, textW, 1.3*b.em, 1.3*b.em, true) {
		b.add(lead, func(y float64) {
			if j == 0 {
				s.text(marginL+0.35*b.em, y, lead, markItem, th.st(stBody))
			}
			s.drawLine(ln, marginL, y, lead)
		})
	}
	b.gap(after)
}

// title adds the title, letter-spaced and centred, over a rule.
func (b *rowBuilder) title(title string) {
	s := b.s
	stT := b.th.st(stTitle)
	lead := styles[stT].lead
	tw := s.width(title, stT) + titleSpacing*float64(len([]rune(title))-1)
	b.add(lead, func(y float64) {
		s.spaced(marginL+(textW-tw)/2, y, lead, title, stT, titleSpacing)
		s.fill(marginL, y+lead+0.8*b.sc, textW, 0.6, 0)
		s.fill(marginL, y+lead+1.8*b.sc, textW, 0.2, 0)
	})
	b.gap(3)
}

// heading adds a section heading over a rule.
func (b *rowBuilder) heading(t string) {
	s := b.s
	b.gap(0.8)
	st := b.th.st(stHeading)
	lead := styles[st].lead
	lines := s.lines([]span{{text: t, st: st}}, textW, 0, 0, false)
	for j, ln := range lines {
		last := j == len(lines)-1
		b.add(lead, func(y float64) {
			s.drawLine(ln, marginL, y, lead)
			if last {
				s.fill(marginL, y+lead-0.2, textW, 0.35, 0)
			}
		})
	}
	b.gap(0.9)
}

// method adds a fraud method: its title, how it works, how to guard.
func (b *rowBuilder) method(m *Method) {
	th := b.th
	b.para([]span{{text: markMethod + " ", st: th.st(stAccent), keep: true}, {text: m.Title + "　", st: th.st(stMethod)},
		{text: labelHow, st: th.st(stBold), keep: true}, {text: m.How, st: th.st(stBody)}}, 0, 1.3*b.em, 0.1)
	guard := []span{{text: labelGuard, st: th.st(stBold), keep: true}, {text: m.Guard, st: th.st(stBody)}}
	if m.Case != "" {
		guard = append(guard, span{text: "案例：", st: th.st(stBold), keep: true}, span{text: m.Case, st: th.st(stBody)})
	}
	b.para(guard, 1.3*b.em, 1.3*b.em, 0.9)
}

// signature adds a right-aligned signature or date line, sharing the
// closing paragraph's last line when both fit: the letter keeps a line for
// the slip. Set in the body font: the display font's glyphs are large (~4
// KB a letter for these two lines). k, when not nil, names the block in
// this PDF: its line is laid out once (its id then names it).
func (b *rowBuilder) signature(t string, afterParagraph, afterSignature bool, k *blockKey) {
	s := b.s
	var sg *sigRow
	if k != nil {
		sg = s.sigs[*k]
	}
	if sg == nil {
		st := b.th.st(stSign)
		lead := styles[st].lead
		w := s.width(t, st)
		sg = &sigRow{w: w, lead: lead, draw: func(y float64) { s.text(pageW-marginR-w, y, lead, t, st) }}
		if k != nil {
			sg.id = s.newID()
			s.sigs[*k] = sg
		}
	}
	if afterParagraph && b.lastRow == len(b.rows)-2 && b.lastEnd+sg.w+3*b.em <= textW {
		r := &b.rows[b.lastRow]
		prev, draw := r.draw, sg.draw
		r.draw = func(y float64) { prev(y); draw(y) }
		r.id = s.mergedID(r.id, sg.id)
		return
	}
	if !afterSignature {
		b.gap(1.5)
	}
	b.add(sg.lead, sg.draw)
	b.rows[len(b.rows)-1].id = sg.id
}

// sigRow is a signature or date line laid out: its width, line height,
// drawing and id (0 when not cached).
type sigRow struct {
	w, lead float64
	draw    func(y float64)
	id      int32
}

// mergedID is the id of a row that draws what rows a and b draw: one id
// per pair in a PDF, 0 when either is drawn anew for each letter.
func (s *setter) mergedID(a, b int32) int32 {
	if a == 0 || b == 0 {
		return 0
	}
	k := [2]int32{a, b}
	id, ok := s.merged[k]
	if !ok {
		id = s.newID()
		s.merged[k] = id
	}
	return id
}

// letterRows lays a composed document out as rows (everything but the
// slip). cd, when not nil, is the composition d was made from: its blocks
// that do not print the name are laid out once per PDF (cachedRows).
func (s *setter) letterRows(d Document, th theme, cd *composed) []row {
	b := &rowBuilder{s: s, th: th, sc: 1, em: styles[th.st(stBody)].size * ptToMM, lastRow: -1, block: -1}
	if th {
		b.sc = largeScale
	}
	b.rows = make([]row, 0, 4*len(d.Blocks))
	// Rows printing the student's name are personal; the rest can be
	// shared between the letters of a PDF.
	name := d.Slip.StudentName
	mentions := func(t string) bool { return name != "" && strings.Contains(t, name) }
	s.width(markItem, th.st(stBody)) // drawn directly: register with the subset

	if cd != nil && !cd.title {
		b.cachedRows(blockKey{cd.id, -1, th}, func() { b.title(d.Title) })
	} else {
		b.personal = cd != nil || mentions(d.Title)
		b.title(d.Title)
	}
	b.glueFrom(0, true)
	for i, bl := range d.Blocks {
		b.block = i
		var k *blockKey
		if cd != nil {
			b.personal = cd.personal[i]
			if !b.personal {
				k = &blockKey{cd.id, i, th}
			}
		} else if m := bl.Method; m != nil {
			b.personal = mentions(m.Title + m.How + m.Guard + m.Case + m.Brief)
		} else {
			b.personal = mentions(bl.Text + strings.Join(bl.Items, ""))
		}
		from := len(b.rows)
		prev := Kind("")
		if i > 0 {
			prev = d.Blocks[i-1].Kind
		}
		switch {
		case bl.Kind == KindSignature || bl.Kind == KindDate:
			b.signature(bl.Text, prev == KindParagraph, prev == KindSignature, k)
		case k != nil:
			b.cachedRows(*k, func() { b.blockRows(bl, prev) })
		default:
			b.blockRows(bl, prev)
		}
		// Each block whole on a page; a heading and the salutation with
		// what follows them, the signature lines with one another.
		b.glueFrom(from, bl.Kind == KindHeading || bl.Kind == KindSalutation || bl.Kind == KindSignature)
		if bl.Kind == KindSignature || bl.Kind == KindDate {
			if from > 0 && from == len(b.rows) { // shared the closing line's row
				continue
			}
			b.glueBack(from)
		}
	}
	return b.rows
}

// glueBack keeps the row before from (the closing paragraph's last line)
// with the signature starting at from.
func (b *rowBuilder) glueBack(from int) {
	for i := from - 1; i >= 0; i-- {
		b.rows[i].glue = true
		if !b.rows[i].gap {
			return
		}
	}
}

// blockRows adds the rows of one block.
func (b *rowBuilder) blockRows(bl Block, prev Kind) {
	th := b.th
	switch bl.Kind {
	case KindSalutation:
		b.para([]span{{text: bl.Text, st: th.st(stLetter)}}, 0, 0, 0.8)
	case KindParagraph:
		// "万一上当：…" is a section in one paragraph: a run-in heading,
		// no indent.
		if sp := leadIn(bl.Text, th.st(stBody), th.st(stMethod)); len(sp) == 2 && len([]rune(unmark(sp[0].text))) <= 7 {
			b.gap(0.6)
			b.para(sp, 0, 0, 1)
			return
		}
		b.para([]span{{text: bl.Text, st: th.st(stBody)}}, 2*b.em, 0, 1)
	case KindHeading:
		b.heading(bl.Text)
	case KindItem:
		b.item(leadIn(bl.Text, th.st(stBody), th.st(stBold)), 0.4)
	case KindBrief:
		m := bl.Method
		b.item([]span{{text: m.Title + "：", st: th.st(stBold)}, {text: m.Brief, st: th.st(stBody)}}, 0.4)
	case KindMethod:
		b.method(bl.Method)
	case KindBox:
		h, draw := b.s.box(bl, th)
		b.gap(1)
		b.add(h, draw)
		b.gap(2)
	case KindSignature, KindDate:
		b.signature(bl.Text, prev == KindParagraph, prev == KindSignature, nil)
	}
}

// leadIn splits "留证据：…" into a bold lead-in and the rest; text without
// a colon near its start is all body.
func leadIn(t string, body, bold style) []span {
	if i := strings.Index(t, "："); i > 0 && len([]rune(unmark(t[:i]))) <= 14 {
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
