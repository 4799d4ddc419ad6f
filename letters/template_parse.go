package letters

import (
	"slices"
	"strings"
)

// Sections of a template file, in their order.
const (
	secHeader = ""
	secBody   = "正文"
	secLarge  = "大字版"
	secSlip   = "回执"
	secQuiz   = "问答"
)

var templateSections = []string{secBody, secLarge, secSlip, secQuiz}

// templateParser reads one template file, a section at a time.
type templateParser struct {
	file    string
	t       *Template
	lib     *Library
	fail    failFunc
	nErr    int
	section string
	para    []string // lines of the paragraph being read
	q       *Question
	qLine   int
}

func parseTemplate(file, ageGroup, src string, lib *Library, fail failFunc) *Template {
	p := &templateParser{file: file, t: &Template{AgeGroup: ageGroup}, lib: lib}
	p.fail = func(file string, line int, format string, a ...any) { p.nErr++; fail(file, line, format, a...) }
	for _, l := range logicalLines(src) {
		if m := sectionRE.FindStringSubmatch(l.text); m != nil {
			p.startSection(l.n, m[1])
			continue
		}
		if l.text != "" {
			checkPlaceholders(file, l.n, l.text, p.fail)
		}
		switch p.section {
		case secHeader:
			p.header(l)
		case secBody:
			p.bodyLine(l, &p.t.Body)
		case secLarge:
			p.largeLine(l)
		case secSlip:
			p.slipLine(l)
		case secQuiz:
			p.quizLine(l)
		}
	}
	p.endSection()
	p.checkWhole()
	if p.nErr > 0 {
		return nil
	}
	return p.t
}

func (p *templateParser) startSection(n int, name string) {
	p.endSection()
	p.section = name
	switch {
	case !slices.Contains(templateSections, name):
		p.fail(p.file, n, "unknown section 【%s】 (known: 【正文】 【大字版】 【回执】 【问答】)", name)
	case name == secLarge && p.t.Large != nil:
		p.fail(p.file, n, "【大字版】 twice")
	case name == secLarge:
		p.t.Large = &LargeText{}
	}
}

// endSection finishes what the section left open: a paragraph, a question.
func (p *templateParser) endSection() {
	switch p.section {
	case secBody:
		p.flush(&p.t.Body)
	case secLarge:
		p.flush(&p.t.Large.Body)
	case secQuiz:
		p.finishQuestion()
	}
}

func (p *templateParser) header(l srcLine) {
	if l.text == "" {
		return
	}
	k, v, ok := splitKey(l.text)
	if !ok {
		p.fail(p.file, l.n, "expected 键: 值 before 【正文】, got %q", l.text)
		return
	}
	t := p.t
	switch k {
	case "年龄段":
		if v != t.AgeGroup {
			p.fail(p.file, l.n, "年龄段 %q does not match the file name (%s)", v, t.AgeGroup)
		}
	case "标题":
		t.Title = v
	case "称呼":
		t.Salutation = v
	case "落款":
		t.Signature = append(t.Signature, v)
	case "日期":
		t.Date = v
	default:
		p.fail(p.file, l.n, "unknown key %q (known: 年龄段 标题 称呼 落款 日期)", k)
	}
}

// flush ends the paragraph being read.
func (p *templateParser) flush(body *[]Block) {
	if len(p.para) > 0 {
		*body = append(*body, Block{Kind: KindParagraph, Text: strings.Join(p.para, "")})
		p.para = nil
	}
}

// largeLine reads 【大字版】: an optional 称呼: first, then body lines.
func (p *templateParser) largeLine(l srcLine) {
	lt := p.t.Large
	if k, v, ok := splitKey(l.text); ok && k == "称呼" && len(lt.Body) == 0 && len(p.para) == 0 {
		lt.Salutation = v
		return
	}
	p.bodyLine(l, &lt.Body)
}

// bodyLine reads a line of 【正文】 or 【大字版】 into body.
func (p *templateParser) bodyLine(l srcLine, body *[]Block) {
	switch {
	case l.text == "":
		p.flush(body)
	case strings.HasPrefix(l.text, "## "):
		p.flush(body)
		*body = append(*body, Block{Kind: KindHeading, Text: strings.TrimSpace(l.text[3:])})
	case strings.HasPrefix(l.text, "- "):
		p.flush(body)
		*body = append(*body, Block{Kind: KindItem, Text: strings.TrimSpace(l.text[2:])})
	case l.text == "|" || strings.HasPrefix(l.text, "| "):
		p.flush(body)
		v := strings.TrimSpace(strings.TrimPrefix(l.text, "|"))
		if n := len(*body); n > 0 && (*body)[n-1].Kind == KindBox {
			(*body)[n-1].Items = append((*body)[n-1].Items, v)
		} else {
			*body = append(*body, Block{Kind: KindBox, Text: v})
		}
	case strings.HasPrefix(l.text, "* ") || strings.HasPrefix(l.text, "~ "):
		p.flush(body)
		if b, ok := p.methodRef(l); ok {
			*body = append(*body, b)
		}
	default:
		p.para = append(p.para, l.text)
	}
}

// methodRef reads "* id", "* id +案例" or "~ id".
func (p *templateParser) methodRef(l srcLine) (Block, bool) {
	f := strings.Fields(l.text[2:])
	if len(f) == 0 {
		p.fail(p.file, l.n, "method id missing after %q", l.text[:1])
		return Block{}, false
	}
	id, ag := f[0], p.t.AgeGroup
	withCase := len(f) > 1 && f[1] == "+案例"
	m, ok := p.lib.Method(id)
	switch {
	case !ok:
		p.fail(p.file, l.n, "unknown method id %q (see %s)", id, MethodsFile)
	case !slices.Contains(m.AgeGroups, ag):
		p.fail(p.file, l.n, "method %q is not marked for age group %s in %s", id, ag, MethodsFile)
	}
	if !withCase {
		m.Case = ""
	} else if m.Case == "" {
		p.fail(p.file, l.n, "method %q has no 案例 to print", id)
	}
	kind := KindMethod
	if l.text[0] == '~' {
		kind = KindBrief
		if ok && m.Brief == "" {
			p.fail(p.file, l.n, "method %q has no 提醒 for \"~ %s\" (or use \"* %s\")", id, id, id)
		}
	}
	return Block{Kind: kind, Method: &m}, true
}

func (p *templateParser) slipLine(l srcLine) {
	if l.text == "" {
		return
	}
	k, v, ok := splitKey(l.text)
	switch {
	case ok && k == "标题":
		p.t.SlipTitle = v
	case ok && k == "正文":
		p.t.SlipText = append(p.t.SlipText, v)
	default:
		p.fail(p.file, l.n, "expected 标题: or 正文: in 【回执】, got %q", l.text)
	}
}

func (p *templateParser) quizLine(l srcLine) {
	if l.text == "" {
		return
	}
	q := p.q
	if m := optionRE.FindStringSubmatch(l.text); m != nil && q != nil {
		if int(m[1][0]-'A') != len(q.Options) {
			p.fail(p.file, l.n, "option %s out of order", m[1])
		}
		q.Options = append(q.Options, m[2])
		return
	}
	k, v, ok := splitKey(l.text)
	switch {
	case ok && k == "问":
		p.finishQuestion()
		p.q, p.qLine = &Question{Text: v, Answer: -1}, l.n
	case ok && q == nil:
		p.fail(p.file, l.n, "%s: before the first 问:", k)
	case ok && k == "答案":
		if len(v) == 1 && v[0] >= 'A' && v[0] <= 'F' {
			q.Answer = int(v[0] - 'A')
		}
	case ok && k == "解析":
		q.Explanation = v
	default:
		p.fail(p.file, l.n, "expected 问: A. … 答案: 解析: in 【问答】, got %q", l.text)
	}
}

func (p *templateParser) finishQuestion() {
	q := p.q
	if q == nil {
		return
	}
	switch {
	case q.Text == "":
		p.fail(p.file, p.qLine, "question without 问")
	case len(q.Options) < 2:
		p.fail(p.file, p.qLine, "question %q: needs at least two options A. B.", q.Text)
	case q.Answer < 0 || q.Answer >= len(q.Options):
		p.fail(p.file, p.qLine, "question %q: 答案 missing or not one of its options", q.Text)
	case q.Explanation == "":
		p.fail(p.file, p.qLine, "question %q: missing 解析", q.Text)
	}
	p.t.Quiz = append(p.t.Quiz, *q)
	p.q = nil
}

// checkWhole checks what only the whole file shows.
func (p *templateParser) checkWhole() {
	t := p.t
	for _, f := range []struct{ name, v string }{{"标题", t.Title}, {"称呼", t.Salutation}, {"日期", t.Date}, {"回执 标题", t.SlipTitle}} {
		if f.v == "" {
			p.fail(p.file, 1, "missing %s", f.name)
		}
	}
	if len(t.Signature) == 0 {
		p.fail(p.file, 1, "missing 落款")
	}
	if !slices.ContainsFunc(t.Body, func(b Block) bool { return b.Kind == KindMethod }) {
		p.fail(p.file, 1, "【正文】 references no method (* 编号)")
	}
	if lt := t.Large; lt != nil {
		if lt.Salutation == "" {
			lt.Salutation = t.Salutation
		}
		if len(lt.Body) == 0 {
			p.fail(p.file, 1, "【大字版】 is empty")
		}
	}
	if len(t.Quiz) != 3 {
		p.fail(p.file, 1, "【问答】 has %d questions, want 3", len(t.Quiz))
	}
}
