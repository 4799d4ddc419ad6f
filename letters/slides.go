package letters

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// LessonOptions personalise a lesson sheet or slides: the cover and the
// sheet's header name the class or school and the meeting's date. Every
// field is optional.
type LessonOptions struct {
	School string    // e.g. 重庆市渝北区实验小学
	Class  string    // e.g. 三年级2班
	Date   time.Time // the day of the class meeting; zero leaves it out
	// Deadline is the day the letters' slips are due back (the campaign's
	// {回执截止日期}); zero says 班主任规定的日期 instead.
	Deadline time.Time
}

// fill resolves the one placeholder a kit may use, {回执截止日期}.
func (o LessonOptions) fill(s string) string {
	d := "班主任规定的日期"
	if !o.Deadline.IsZero() {
		d = marked(DateFormat(o.Deadline))
	}
	return strings.ReplaceAll(s, PhDeadline, d)
}

// printable returns the options with characters the fonts cannot print
// replaced by ＿ (for the teacher to write in), as in a letter.
func (o LessonOptions) printable(e *Engine) LessonOptions {
	ignore := func(string, []string) {}
	o.School = e.clean("学校", o.School, ignore)
	o.Class = e.clean("班级", o.Class, ignore)
	return o
}

// who is the "school class" line, or "": the names set as given.
func (o LessonOptions) who() string {
	var parts []string
	for _, f := range []string{o.School, o.Class} {
		if f = strings.TrimSpace(f); f != "" {
			parts = append(parts, marked(f))
		}
	}
	return strings.Join(parts, " ")
}

// marked wraps a value filled from data in the data marks (set verbatim).
func marked(v string) string { return string(dataOpen) + v + string(dataClose) }

// when is the date in Chinese, or "".
func (o LessonOptions) when() string {
	if o.Date.IsZero() {
		return ""
	}
	return marked(DateFormat(o.Date))
}

// Slide geometry: 16:9 at the size of a widescreen presentation
// (13.333 × 7.5 in), so 28 pt looks as it does in a presentation program.
const (
	slideW     = 338.667
	slideH     = 190.5
	slideM     = 18.0 // side margin
	slideBandH = 30.0 // heading band
	slideTextW = slideW - 2*slideM
	// SlideMinPt is the smallest type size on a slide, readable from the
	// back of a classroom.
	SlideMinPt = 28.0
)

// Slide colours: dark on white or white on dark, all well above WCAG AA
// contrast.
var (
	inkC   = rgb{25, 25, 25}
	navyC  = rgb{16, 50, 92}
	redC   = rgb{168, 28, 28}
	greenC = rgb{18, 105, 55}
	whiteC = rgb{255, 255, 255}
	tintC  = rgb{232, 239, 247}
	greenT = rgb{226, 243, 232}
	redT   = rgb{250, 233, 233}
	greyC  = rgb{70, 70, 70}
)

func slideStyle(size float64, font int, c rgb) kitStyle {
	return kitStyle{size: size, lead: 1.4, font: font, color: c}
}

var (
	slHead  = slideStyle(40, fontBody, whiteC)
	slCover = slideStyle(60, fontDisplay, navyC)
	slSub   = slideStyle(34, fontBody, inkC)
	slMeta  = slideStyle(SlideMinPt, fontBody, greyC)
)

// slideSizes are the body sizes tried, largest first, until the text fits.
var slideSizes = []float64{44, 40, 36, 34, 32, 30, SlideMinPt}

// slides lays out a lesson's slides.
type slides struct {
	d *kitDoc
	l *Lesson
}

// WriteSlides writes the lesson's projector slides: a 16:9 PDF, one idea
// per slide, text at least 28 pt (SlideMinPt), the scenarios and quiz
// questions each followed by a slide with the answer, a pictogram per
// scenario. It fails, naming the slide, if a text is too long to fit at
// 28 pt.
func (e *Engine) WriteSlides(w io.Writer, l *Lesson, opt LessonOptions) error {
	s := &slides{d: newKitDoc(e, slideW, slideH), l: l}
	if err := s.build(opt.printable(e)); err != nil {
		return err
	}
	return s.d.write(w, l.Title+" · 主题班会课件", opt.Date)
}

var ordinals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

func (s *slides) build(opt LessonOptions) error {
	s.cover(opt)
	s.agenda()
	for i, sc := range s.l.Scenarios {
		if err := s.scenario(i, sc); err != nil {
			return err
		}
	}
	if err := s.list("一起讨论", s.l.Discussion, navyC); err != nil {
		return err
	}
	if err := s.list("每个人都要做到", s.l.Rules, redC); err != nil {
		return err
	}
	for i, q := range s.l.Quiz {
		if err := s.question(i, q); err != nil {
			return err
		}
	}
	return s.closing(opt)
}

// band starts a slide with a coloured heading band.
func (s *slides) band(title string, c rgb) {
	d := s.d
	d.page()
	d.rect(0, 0, slideW, slideBandH, 0, c)
	st := slHead
	for st.size > SlideMinPt && d.width(title, st) > slideTextW {
		st.size -= 2
	}
	d.text(title, st, slideM, (slideBandH-st.lineH())/2)
}

// fit wraps t at the largest size that fits w × h, or reports it too long.
func (s *slides) fit(what, t string, font int, c rgb, w, h float64) (textBlock, error) {
	for _, size := range slideSizes {
		b := s.d.block(t, slideStyle(size, font, c), w, 0, false)
		if b.height() <= h {
			return b, nil
		}
	}
	return textBlock{}, fmt.Errorf("letters: %s 课件：%s太长，%g磅字放不下，请缩短：%s", s.l.AgeGroup, what, SlideMinPt, t)
}

func (s *slides) cover(opt LessonOptions) {
	d := s.d
	d.page()
	d.rect(0, 0, slideW, 14, 0, navyC)
	d.rect(0, slideH-14, slideW, 14, 0, navyC)
	d.circle(66, 95, 42, tintC)
	d.icon("盾牌", 38, 67, 56, navyC, tintC)
	x := 124.0
	w := slideW - x - slideM
	title := d.phraseBlock(s.l.Title, slCover, w)
	for st := slCover; title.height() > 75 && st.size > 40; {
		st.size -= 4
		title = d.phraseBlock(s.l.Title, st, w)
	}
	sub := s.l.AgeLabel() + " · 防范电信网络诈骗主题班会"
	subSt := slSub
	for subSt.size > SlideMinPt && d.width(sub, subSt) > w {
		subSt.size -= 2
	}
	subB := d.block(sub, subSt, w, 0, false)
	var metaB textBlock
	for _, m := range []string{opt.who(), opt.when()} {
		if m != "" {
			b := d.block(m, slMeta, w, 0, false)
			metaB.st = b.st
			metaB.lines = append(metaB.lines, b.lines...)
		}
	}
	total := title.height() + 6 + subB.height() + 8 + metaB.height()
	y := (slideH - total) / 2
	d.drawBlock(title, x, y, w, false)
	y += title.height() + 3
	d.rect(x, y, 60, 1.6, 0, redC)
	y += 3
	d.drawBlock(subB, x, y, w, false)
	y += subB.height() + 8
	d.drawBlock(metaB, x, y, w, false)
}

// agenda lists the three scenarios with their pictograms.
func (s *slides) agenda() {
	d := s.d
	s.band("今天的三个故事", navyC)
	n := len(s.l.Scenarios)
	rowH := (slideH - slideBandH - 20) / float64(n)
	st := slideStyle(36, fontBody, inkC)
	for i, sc := range s.l.Scenarios {
		y := slideBandH + 10 + float64(i)*rowH
		icon := min(rowH-6, 34.0)
		d.circle(slideM+8+icon/2, y+rowH/2, icon/2+3, tintC)
		d.icon(sc.Pictogram, slideM+8, y+(rowH-icon)/2, icon, navyC, tintC)
		t := "情景" + ordinals[i] + "　" + sc.Title
		tx := slideM + 8 + icon + 16
		for st.size > SlideMinPt && d.width(t, st) > slideW-slideM-tx {
			st.size -= 2
		}
		d.text(t, st, tx, y+(rowH-st.lineH())/2)
	}
}

// scenario adds the scenario's slide and the slide with what to remember.
func (s *slides) scenario(i int, sc Scenario) error {
	d := s.d
	name := "情景" + ordinals[i]
	s.band(name+"　"+sc.Title, navyC)
	iconBox := 88.0
	d.circle(slideM+iconBox/2, slideBandH+12+iconBox/2, iconBox/2, tintC)
	d.icon(sc.Pictogram, slideM+14, slideBandH+26, iconBox-28, navyC, tintC)
	x := slideM + iconBox + 14
	w := slideW - slideM - x
	askH := 40.0
	story, err := s.fit(name+"的故事", sc.Story, fontBody, inkC, w, slideH-slideBandH-askH-24)
	if err != nil {
		return err
	}
	d.drawBlock(story, x, slideBandH+10, w, false)
	ask, err := s.fit(name+"的“想一想”", "想一想："+sc.Ask, fontBody, redC, slideTextW-16, askH-6)
	if err != nil {
		return err
	}
	ay := slideH - askH - 8
	d.rect(slideM, ay, slideTextW, askH, 4, redT)
	d.drawBlock(ask, slideM+8, ay+(askH-ask.height())/2, slideTextW-16, false)

	s.band(name+"　记住", greenC)
	cy := slideBandH + (slideH-slideBandH)/2
	d.circle(slideM+iconBox/2, cy, iconBox/2, greenT)
	d.icon(sc.Pictogram, slideM+14, cy-iconBox/2+14, iconBox-28, greenC, greenT)
	x = slideM + iconBox + 14
	w = slideW - slideM - x
	rem, err := s.fit(name+"的“记住”", sc.Remember, fontBody, greenC, w, slideH-slideBandH-24)
	if err != nil {
		return err
	}
	d.drawBlock(rem, x, slideBandH+(slideH-slideBandH-rem.height())/2, w, false)
	return nil
}

// list adds numbered items under a heading: on one slide at the largest
// size down to listMinPt that fits, else spread evenly over as few slides
// as hold them at such a size (3 + 2 items, not 4 + 1).
func (s *slides) list(title string, items []string, c rgb) error {
	d := s.d
	top, bottom := slideBandH+10, slideH-10
	numW := 20.0
	w := slideTextW - numW
	const gap = 5.0
	for n := 1; n <= len(items); n++ {
		per := (len(items) + n - 1) / n
		for _, size := range slideSizes {
			if size < listMinPt {
				break
			}
			blocks := make([]textBlock, len(items))
			fits := true
			for g := 0; g < len(items) && fits; g += per {
				h := 0.0
				for i := g; i < min(g+per, len(items)); i++ {
					blocks[i] = d.block(items[i], slideStyle(size, fontBody, inkC), w, 0, false)
					h += blocks[i].height() + gap
				}
				fits = h-gap <= bottom-top
			}
			if !fits {
				continue
			}
			y := top
			for i, b := range blocks {
				if i%per == 0 {
					s.band(title, c)
					y = top
				}
				st := slideStyle(min(size, 30), fontDisplay, whiteC)
				r := b.st.lineH() * 0.42
				d.circle(slideM+r, y+b.st.lineH()/2, r, c)
				num := fmt.Sprint(i + 1)
				d.text(num, st, slideM+r-d.width(num, st)/2, y+(b.st.lineH()-st.lineH())/2)
				d.drawBlock(b, slideM+numW, y, w, false)
				y += b.height() + gap
			}
			return nil
		}
	}
	return fmt.Errorf("letters: %s 课件：“%s”有一条太长，%g磅字一页放不下，请缩短", s.l.AgeGroup, title, listMinPt)
}

// listMinPt is the smallest size of a list slide: a longer list is split
// over several slides rather than set smaller.
const listMinPt = 32.0

var optionLetters = "ABCDEF"

// question adds a quiz question's slide and its answer's slide.
func (s *slides) question(i int, q Question) error {
	d := s.d
	head := fmt.Sprintf("小测验　第%d题（共%d题）", i+1, len(s.l.Quiz))
	s.band(head, navyC)
	what := fmt.Sprintf("第%d题", i+1)
	optH := 20.0
	qB, err := s.fit(what+"的题目", q.Text, fontBody, inkC, slideTextW, slideH-slideBandH-16-float64(len(q.Options))*(optH+4))
	if err != nil {
		return err
	}
	y := slideBandH + 8
	d.drawBlock(qB, slideM, y, slideTextW, false)
	y += qB.height() + 6
	opt := slideStyle(32, fontBody, inkC)
	for k, o := range q.Options {
		t := optionLetters[k:k+1] + ". " + o
		st := opt
		for st.size > SlideMinPt && d.width(t, st) > slideTextW-12 {
			st.size -= 2
		}
		if d.width(t, st) > slideTextW-12 {
			return fmt.Errorf("letters: %s 课件：%s选项%c太长，%g磅字放不下，请缩短：%s", s.l.AgeGroup, what, 'A'+k, SlideMinPt, o)
		}
		d.rect(slideM, y, slideTextW, optH, 3, tintC)
		d.text(t, st, slideM+6, y+(optH-st.lineH())/2)
		y += optH + 4
	}

	s.band(fmt.Sprintf("第%d题　答案：%c", i+1, 'A'+q.Answer), greenC)
	y = slideBandH + 10
	ans := optionLetters[q.Answer:q.Answer+1] + ". " + q.Options[q.Answer]
	st := slideStyle(36, fontBody, greenC)
	for st.size > SlideMinPt && d.width(ans, st) > slideTextW-40 {
		st.size -= 2
	}
	boxH := 30.0
	d.rect(slideM, y, slideTextW, boxH, 4, greenT)
	ty := y + boxH/2
	d.add(func() { drawTick(d, slideM+8, ty, 8) })
	d.text(ans, st, slideM+32, y+(boxH-st.lineH())/2)
	y += boxH + 10
	ex, err := s.fit(what+"的解析", q.Explanation, fontBody, inkC, slideTextW, slideH-y-10)
	if err != nil {
		return err
	}
	d.drawBlock(ex, slideM, y, slideTextW, false)
	return nil
}

// drawTick draws a check mark of half-height r centred at x+r, y.
func drawTick(d *kitDoc, x, y, r float64) {
	d.pdf.SetDrawColor(greenC[0], greenC[1], greenC[2])
	d.pdf.SetLineWidth(r * 0.35)
	d.pdf.SetLineCapStyle("round")
	d.pdf.SetLineJoinStyle("round")
	d.pdf.Line(x, y, x+r*0.7, y+r*0.7)
	d.pdf.Line(x+r*0.7, y+r*0.7, x+r*2, y-r*0.8)
}

// sloganLines are 三不一多 in its official wording.
var sloganLines = []string{"未知链接不点击", "陌生来电不轻信", "个人信息不透露", "转账汇款多核实"}

// contacts are the numbers and the app every kit ends with.
var contacts = []struct{ big, label string }{
	{"110", "遇到危险，打110报警"},
	{"96110", "反诈预警电话，来电一定要接"},
	{"12381", "反诈预警短信，不带链接"},
	{"国家反诈中心App", "在手机自带的应用商店下载"},
}

// closing is how every kit ends: 三不一多, the four contacts, and the
// letter to take home with its slip's deadline.
func (s *slides) closing(opt LessonOptions) error {
	s.slogan()
	s.contacts()
	home := make([]string, len(s.l.TakeHome))
	for i, t := range s.l.TakeHome {
		home[i] = opt.fill(t)
	}
	return s.list("把《致家长的一封信》带回家", home, greenC)
}

// slogan draws 三不一多, a line to a tile, two by two.
func (s *slides) slogan() {
	d := s.d
	s.band("记住“三不一多”", navyC)
	for k, t := range sloganLines {
		x, y, colW, rowH := tile(k)
		d.rect(x+3, y+3, colW-6, rowH-6, 4, tintC)
		st := slideStyle(54, fontBody, navyC)
		d.text(t, st, x+(colW-d.width(t, st))/2, y+(rowH-st.lineH())/2)
	}
}

// tile is the box of the k-th of four tiles, two by two.
func tile(k int) (x, y, w, h float64) {
	w, h = slideTextW/2, (slideH-slideBandH-12)/2
	return slideM + float64(k%2)*w, slideBandH + 6 + float64(k/2)*h, w, h
}

// contacts draws the four contacts, two by two.
func (s *slides) contacts() {
	d := s.d
	s.band("这几个号码要记住", redC)
	for k, c := range contacts {
		x, y, colW, rowH := tile(k)
		d.rect(x+3, y+3, colW-6, rowH-6, 4, redT)
		big := slideStyle(64, fontDisplay, redC)
		for big.size > 36 && d.width(c.big, big) > colW-16 {
			big.size -= 4
		}
		d.text(c.big, big, x+(colW-d.width(c.big, big))/2, y+8)
		lab := slideStyle(30, fontBody, inkC)
		d.text(c.label, lab, x+(colW-d.width(c.label, lab))/2, y+rowH-8-lab.lineH())
	}
}

// phraseBlock wraps a title between its phrases (after ，、 and spaces)
// where they fit, so that no word is cut (不借账/号); a phrase longer than
// the line falls back to ordinary line breaking.
func (d *kitDoc) phraseBlock(t string, st kitStyle, w float64) textBlock {
	var parts []string
	start := 0
	for i, r := range t {
		if r == '，' || r == '、' || r == ' ' {
			parts = append(parts, t[start:i+len(string(r))])
			start = i + len(string(r))
		}
	}
	parts = append(parts, t[start:])
	var texts []string
	cur := ""
	for _, p := range parts {
		if d.width(p, st) > w {
			return d.block(t, st, w, 0, false)
		}
		if cur != "" && d.width(cur+p, st) > w {
			texts = append(texts, cur)
			cur = ""
		}
		cur += p
	}
	texts = append(texts, cur)
	b := textBlock{st: st}
	for _, tx := range texts {
		b.lines = append(b.lines, d.wrap(strings.TrimSpace(tx), st, w, 0, false)...)
	}
	return b
}
