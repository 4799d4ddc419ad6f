package letters

import (
	"fmt"
	"io"
	"strconv"
)

// Lesson sheet geometry (A4 portrait, mm).
const (
	sheetM     = 16.0
	sheetTop   = 14.0
	sheetBot   = 14.0
	sheetTextW = pageW - 2*sheetM
	// SheetMaxPages is the most pages a lesson sheet may take.
	SheetMaxPages = 2
)

func sheetStyle(size float64, font int, c rgb) kitStyle {
	return kitStyle{size: size, lead: 1.55, font: font, color: c}
}

var (
	shTitle = kitStyle{size: 20, lead: 1.3, font: fontDisplay, color: navyC}
	shHead  = kitStyle{size: 12, lead: 1.5, font: fontBody, color: navyC}
	shBody  = sheetStyle(10, fontBody, inkC)
	shRed   = sheetStyle(10, fontBody, redC)
	shGreen = sheetStyle(10, fontBody, greenC)
	shNote  = sheetStyle(8.5, fontBody, greyC)
	shNum   = sheetStyle(10, fontDisplay, navyC)
)

// sheetRow is one slot of the sheet's flow.
type sheetRow struct {
	h    float64
	keep int // rows after this one that must share its page
	draw func(y float64)
}

// sheet lays out a lesson sheet.
type sheet struct {
	d    *kitDoc
	l    *Lesson
	rows []sheetRow
}

// WriteLessonSheet writes the teacher's lesson sheet of a class meeting:
// A4, at most two pages (SheetMaxPages): the aims, the plan with its
// minutes, the three scenarios with what to ask and what to remember, the
// questions to discuss, what every child should do, and the five-question
// quiz with answers and explanations.
func (e *Engine) WriteLessonSheet(w io.Writer, l *Lesson, opt LessonOptions) error {
	s := &sheet{d: newKitDoc(e, pageW, pageH), l: l}
	s.build(opt.printable(e))
	if n := s.paginate(); n > SheetMaxPages {
		return fmt.Errorf("letters: %s 教案排出来有 %d 页，最多 %d 页，请缩短内容", l.AgeGroup, n, SheetMaxPages)
	}
	return s.d.write(w, l.Title+" · 主题班会教案", opt.Date)
}

func (s *sheet) add(h float64, keep int, draw func(y float64)) {
	s.rows = append(s.rows, sheetRow{h, keep, draw})
}

func (s *sheet) gap(h float64) { s.add(h, 0, func(float64) {}) }

// whole keeps rows[from:] on one page: a scenario, a question, a list item.
func (s *sheet) whole(from int) { s.rows[from].keep = max(s.rows[from].keep, len(s.rows)-1-from) }

// para adds wrapped text at x (from the left margin), each line a row.
func (s *sheet) para(t string, st kitStyle, x float64, keep int) {
	b := s.d.block(t, st, sheetTextW-x, 0, true)
	for i, ln := range b.lines {
		k := 0
		if i == 0 {
			k = keep
		}
		s.add(st.lineH(), k, func(y float64) { s.d.queueLine(ln, sheetM+x, y, st) })
	}
}

// labelled adds text after a coloured label (想一想：), wrapped as one
// paragraph. The label is a few characters at the start of a line, so it
// never breaks.
func (s *sheet) labelled(label string, lst kitStyle, t string, x float64) {
	d := s.d
	lab := d.units(label, lst)
	lines := (&setter{e: d.e}).breakLines(append(lab, d.units(t, shBody)...), sheetTextW-x, 0, 0, true)
	for i, ln := range lines {
		s.add(shBody.lineH(), 0, func(y float64) {
			if i > 0 || len(ln.units) <= len(lab) {
				d.queueLine(ln, sheetM+x, y, shBody)
				return
			}
			// The label in its colour, the rest of the line after it.
			head := line{units: ln.units[:len(lab)], tc: ln.tc}
			rest := line{units: ln.units[len(lab):], tc: ln.tc, x: ln.x}
			for _, u := range head.units {
				rest.x += u.w + ln.tc*float64(u.glyph)
			}
			d.queueLine(head, sheetM+x, y, lst)
			d.queueLine(rest, sheetM+x, y, shBody)
		})
	}
}

// heading adds a section heading with a coloured bar, kept with what
// follows.
func (s *sheet) heading(t string) {
	s.gap(2.5)
	h := shHead.lineH()
	s.add(h, 3, func(y float64) {
		s.d.rect(sheetM, y+1.2, 1.6, h-2.4, 0, redC)
		s.d.text(t, shHead, sheetM+4, y)
	})
	s.gap(0.8)
}

// numbered adds a list with numbers in the margin.
func (s *sheet) numbered(items []string) {
	for i, it := range items {
		num := strconv.Itoa(i+1) + "."
		b := s.d.block(it, shBody, sheetTextW-6, 0, true)
		from := len(s.rows)
		for j, ln := range b.lines {
			s.add(shBody.lineH(), 0, func(y float64) {
				if j == 0 {
					s.d.text(num, shNum, sheetM+0.5, y)
				}
				s.d.queueLine(ln, sheetM+6, y, shBody)
			})
		}
		s.whole(from)
	}
}

func (s *sheet) build(opt LessonOptions) {
	l := s.l
	s.header(opt)

	s.heading("课前准备")
	s.numbered(fillAll(l.Prep, opt))
	s.safeguarding()

	s.heading("教学目标")
	s.numbered(l.Aims)
	s.heading("重点与难点")
	s.numbered(l.KeyPoints)

	s.heading(fmt.Sprintf("课堂流程（约%d分钟）", l.Minutes()))
	s.plan(opt)
	s.heading("三个情景（课件中每个情景后一页是“记住”）")
	s.scenarios()

	s.heading("讨论问题")
	s.numbered(l.Discussion)
	s.heading("每个孩子都要做到")
	s.numbered(l.Rules)
	s.heading("课堂小测验（答案与解析）")
	s.quiz()
	s.heading("下课前：发放《致家长的一封信》")
	s.numbered(fillAll(l.TakeHome, opt))
}

// fillAll resolves {回执截止日期} in every text.
func fillAll(ts []string, opt LessonOptions) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = opt.fill(t)
	}
	return out
}

// header adds the title block: theme, age group and length, class and date.
func (s *sheet) header(opt LessonOptions) {
	d, l := s.d, s.l
	s.add(shTitle.lineH(), 2, func(y float64) { d.text(l.Title, shTitle, sheetM, y) })
	meta := fmt.Sprintf("%s · 防范电信网络诈骗主题班会 · 约%d分钟 · 教师用", l.AgeLabel(), l.Minutes())
	s.add(shBody.lineH(), 0, func(y float64) { d.text(meta, shNote, sheetM, y) })
	who, when := opt.who(), opt.when()
	if who == "" {
		who = "班级：＿＿＿＿＿＿＿＿"
	}
	if when == "" {
		when = "日期：＿＿＿＿年＿＿月＿＿日"
	}
	s.add(shBody.lineH()+1.5, 0, func(y float64) {
		d.text(who, shBody, sheetM, y)
		d.text(when, shBody, pageW-sheetM-d.width(when, shBody), y)
		d.rect(sheetM, y+shBody.lineH()+0.6, sheetTextW, 0.5, 0, navyC)
	})
}

// safeguarding adds the fixed note on a pupil who says they were
// scammed, framed, in one piece.
func (s *sheet) safeguarding() {
	d := s.d
	const pad = 2.5
	label := "关爱提示："
	lab := d.units(label, shRed)
	lines := (&setter{e: d.e}).breakLines(append(lab, d.units(SafeguardingNote, shBody)...), sheetTextW-2*pad, 0, 0, true)
	h := float64(len(lines))*shBody.lineH() + 2*pad
	s.gap(2)
	s.add(h, 0, func(y float64) {
		d.rect(sheetM, y, sheetTextW, h, 2, redT)
		for i, ln := range lines {
			ly := y + pad + float64(i)*shBody.lineH()
			if i > 0 {
				d.queueLine(ln, sheetM+pad, ly, shBody)
				continue
			}
			head := line{units: ln.units[:len(lab)], tc: ln.tc}
			rest := line{units: ln.units[len(lab):], tc: ln.tc}
			for _, u := range head.units {
				rest.x += u.w + ln.tc*float64(u.glyph)
			}
			d.queueLine(head, sheetM+pad, ly, shRed)
			d.queueLine(rest, sheetM+pad, ly, shBody)
		}
	})
}

// plan adds the lesson plan, minutes in the margin.
func (s *sheet) plan(opt LessonOptions) {
	d := s.d
	for _, st := range s.l.Plan {
		mins := strconv.Itoa(st.Minutes) + "分钟"
		b := d.block(opt.fill(st.Text), shBody, sheetTextW-16, 0, true)
		for j, ln := range b.lines {
			s.add(shBody.lineH(), 0, func(y float64) {
				if j == 0 {
					d.text(mins, shRed, sheetM, y)
				}
				d.queueLine(ln, sheetM+16, y, shBody)
			})
		}
	}
}

// scenarios adds the three scenarios with what to ask and to remember.
func (s *sheet) scenarios() {
	d := s.d
	for i, sc := range s.l.Scenarios {
		title := "情景" + ordinals[i] + "　" + sc.Title
		src := ""
		if m, ok := d.e.lib.Method(sc.Method); ok {
			src = "（手法库：" + m.Title + "）"
		}
		from := len(s.rows)
		s.add(shBody.lineH(), 0, func(y float64) {
			w := d.text(title, shHead.withSize(10.5), sheetM, y)
			d.text(src, shNote, sheetM+w+2, y+0.4)
		})
		s.para(sc.Story, shBody, 0, 0)
		s.labelled("想一想：", shRed, sc.Ask, 0)
		s.labelled("记住：", shGreen, sc.Remember, 0)
		s.whole(from)
		s.gap(1.2)
	}
}

// quiz adds the five questions with their answers and explanations.
func (s *sheet) quiz() {
	for i, q := range s.l.Quiz {
		from := len(s.rows)
		s.para(fmt.Sprintf("%d. %s", i+1, q.Text), shBody, 0, 0)
		opts := ""
		for k, o := range q.Options {
			if k > 0 {
				opts += "　　"
			}
			opts += optionLetters[k:k+1] + ". " + o
		}
		s.para(opts, shBody, 4, 0)
		s.labelled(fmt.Sprintf("答案：%c　", 'A'+q.Answer), shGreen, q.Explanation, 4)
		s.whole(from)
		s.gap(0.8)
	}
}

// withSize returns st at another type size.
func (st kitStyle) withSize(pt float64) kitStyle { st.size = pt; return st }

// keptUntil is the last row that must share row i's page: the rows it
// keeps with it, and those they keep in turn (a heading keeps a question's
// first line, which keeps the question's next lines).
func keptUntil(rows []sheetRow, i int) int {
	end := min(i+rows[i].keep, len(rows)-1)
	for j := i + 1; j <= end; j++ {
		end = min(max(end, j+rows[j].keep), len(rows)-1)
	}
	return end
}

// paginate places the rows on pages, keeping headings with what follows,
// adds page numbers and returns the number of pages.
func (s *sheet) paginate() int {
	d := s.d
	bottom := pageH - sheetBot
	d.page()
	y := sheetTop
	for i, r := range s.rows {
		need := 0.0
		for _, k := range s.rows[i : keptUntil(s.rows, i)+1] {
			need += k.h
		}
		if y+need > bottom && y > sheetTop {
			d.page()
			y = sheetTop
		}
		r.draw(y)
		y += r.h
	}
	n := len(d.pages)
	for p := range d.pages {
		t := fmt.Sprintf("第%d页 共%d页", p+1, n)
		ln := line{units: d.units(t, shNote)}
		for _, u := range ln.units {
			ln.w += u.w
		}
		d.pages[p] = append(d.pages[p], func() { d.drawLine(ln, pageW-sheetM-ln.w, pageH-sheetBot+3, shNote) })
	}
	return n
}
