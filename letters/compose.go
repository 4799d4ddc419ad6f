package letters

import (
	"regexp"
	"strings"
	"time"
)

// Letter is the input for one student's letter. Strings are plain text (no
// markup); the PDF and HTML renderers escape or draw them as they are.
type Letter struct {
	AgeGroup    string // PrimaryLower, PrimaryUpper, Junior or Senior
	StudentName string
	ClassName   string // as printed, e.g. "三年级2班"
	SchoolName  string
	HeadTeacher string // may be empty: signature lines naming it are dropped
	Token       string // already grouped for typing, e.g. "7KQ2-XP9M-4TRW"
	URL         string // acknowledgement URL, encoded in the QR code
	Date        time.Time
	Deadline    time.Time // receipt deadline; zero means Date + 7 days
	Ref         string    // caller's reference (e.g. student number), echoed in Attention
	SchoolPhone string    // for checking fee notices; may be empty ({学校电话} falls back)
	// MeetingDate is the day (in China) the class held its class meeting;
	// zero when none is recorded: {班会日期} is then empty and a line
	// written "A ||" with it is left out.
	MeetingDate time.Time
	// The school's fee rule, partner police station and its phone ({收费说明},
	// {派出所}, {派出所电话}); may be empty.
	FeeRule, PoliceStation, PolicePhone string
	// LargePrint sets this letter in the large-print edition (body ≥ 14 pt,
	// for grandparents); Options.LargePrint sets it for every letter.
	LargePrint bool
	// Opening is the campaign's opening line (寒假将至，…): printed first,
	// after the salutation, in every letter and on the parents' page. It
	// is reviewed content and may use the placeholders.
	Opening string
	// Web composes the letter for a screen (the parents' page): a write-in
	// blank of the paper letter (＿＿＿（请记下）) is never shown; the text
	// offers its next alternative or says WebBlank instead.
	Web bool
	// Template, when set, is the template this letter is printed from (the
	// campaign's approved content version, checked with CheckLibrary);
	// nil means the engine's library's template of AgeGroup.
	Template *Template
}

// Kind says what a Block is.
type Kind string

// Block kinds, in the order they usually appear.
const (
	KindSalutation Kind = "salutation" // 尊敬的…家长：
	KindHeading    Kind = "heading"    // a section heading
	KindParagraph  Kind = "paragraph"  // body text, first line indented
	KindItem       Kind = "item"       // one point of a list
	KindMethod     Kind = "method"     // a fraud method: Method.Title, How, Guard (Case optional)
	KindBrief      Kind = "brief"      // a fraud method in one sentence: Method.Title, Brief
	KindBox        Kind = "box"        // a boxed strip: Text is its title, Items its lines (请记住)
	KindSignature  Kind = "signature"  // right-aligned sender line
	KindDate       Kind = "date"       // right-aligned date
)

// Block is one element of a composed letter. Text is set for every kind
// except KindMethod and KindBrief, which have Method instead; KindBox has
// Items too.
type Block struct {
	Kind   Kind
	Text   string
	Method *Method
	Items  []string
}

// Slip is the tear-off receipt slip (回执) of a letter.
type Slip struct {
	Title       string
	Text        []string // statement lines from the template
	StudentName string
	ClassName   string
	Token       string
	URL         string
	CodeURL     string // where to type the code: URL without the token, e.g. https://…/a
	SafetyNote  string // always SafetyNote
}

// SafetyNote is printed on every slip beside the code. It is fixed in code
// (not in the editable templates) so that no edit can weaken it.
const SafetyNote = "此码仅用于确认您已收到本信，绝不会要求您付款，也不会索要银行卡号、身份证号或验证码。"

// Document is one student's letter with every placeholder resolved: the
// single model both the PDF and the parents' HTML page render. It is plain
// data: html/template can range over Blocks and switch on Kind.
type Document struct {
	AgeGroup string
	Title    string
	Blocks   []Block
	Slip     Slip
	Quiz     []Question
}

// DateFormat formats dates in letters: 2026年9月1日.
func DateFormat(t time.Time) string { return t.Format("2006年1月2日") }

// MonthDay formats a day without its year, as a letter mentions a recent
// day (11月20日); the zero time gives "".
func MonthDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("1月2日")
}

// Compose resolves the template for one student: the model the parents'
// page renders (with Letter.Web set) and the PDF draws. A letter in large
// print (Letter.LargePrint) carries the template's large-print text, when
// it has one; Letter.Opening comes first after the salutation.
func (t *Template) Compose(l Letter) Document { return t.compose(l, false) }

// compose is Compose; with mark, every value filled from data is wrapped
// in dataOpen … dataClose, so the PDF sets it exactly as given.
func (t *Template) compose(l Letter, mark bool) Document {
	f := newFiller(l, mark)
	salutation, body := t.Salutation, t.Body
	if l.LargePrint && t.Large != nil {
		salutation, body = t.Large.Salutation, t.Large.Body
	}
	d := Document{AgeGroup: t.AgeGroup, Title: f.fill(t.Title)}
	d.Blocks = make([]Block, 0, len(body)+len(t.Signature)+3)
	d.Blocks = append(d.Blocks, Block{Kind: KindSalutation, Text: f.fill(salutation)})
	if o := strings.TrimSpace(l.Opening); o != "" {
		d.Blocks = append(d.Blocks, Block{Kind: KindParagraph, Text: f.fill(o)})
	}
	for _, b := range body {
		if nb, ok := f.block(b); ok {
			d.Blocks = append(d.Blocks, nb)
		}
	}
	for _, s := range t.Signature {
		// A signature line naming something we do not know is left out
		// rather than printed half empty.
		if !f.incomplete(s) {
			d.Blocks = append(d.Blocks, Block{Kind: KindSignature, Text: f.fill(s)})
		}
	}
	d.Blocks = append(d.Blocks, Block{Kind: KindDate, Text: f.fill(t.Date)})
	d.Slip = Slip{Title: f.fill(t.SlipTitle), StudentName: l.StudentName, ClassName: l.ClassName,
		Token: l.Token, URL: l.URL, CodeURL: CodeURL(l.URL), SafetyNote: SafetyNote}
	for _, s := range t.SlipText {
		d.Slip.Text = append(d.Slip.Text, f.fill(s))
	}
	for _, q := range t.Quiz {
		q.Text, q.Explanation = f.fill(q.Text), f.fill(q.Explanation)
		q.Options = append([]string(nil), q.Options...)
		d.Quiz = append(d.Quiz, q)
	}
	return d
}

// block resolves one body block; false when it is a line "A ||" whose A
// lacks a value, which is left out.
func (f *filler) block(b Block) (Block, bool) {
	if b.Method != nil {
		m := *b.Method
		m.Title, m.How, m.Guard, m.Case, m.Brief = f.fill(m.Title), f.fill(m.How), f.fill(m.Guard), f.fill(m.Case), f.fill(m.Brief)
		m.AgeGroups = append([]string(nil), m.AgeGroups...)
		return Block{Kind: b.Kind, Method: &m}, true
	}
	nb := Block{Kind: b.Kind, Text: f.fill(b.Text)}
	if nb.Text == "" && b.Text != "" && len(b.Items) == 0 {
		return nb, false
	}
	for _, it := range b.Items {
		if v := f.fill(it); v != "" || it == "" {
			nb.Items = append(nb.Items, v)
		}
	}
	return nb, true
}

// WebBlank stands, on a screen, for a write-in blank of the paper letter
// (学校电话：＿＿＿＿（请记下）): a parent cannot write on a web page.
const WebBlank = "请向班主任询问"

// writeIn is a write-in blank of a paper letter: a run of ＿, and the
// note after it that asks to write it down.
var writeIn = regexp.MustCompile(`＿+(（请记下）|\(请记下\))?`)

// filler resolves the placeholders of a letter's texts.
type filler struct {
	vals map[string]string // placeholder → value as given (unmarked)
	rep  *strings.Replacer // placeholder → value as printed (marked)
	web  bool
}

func newFiller(l Letter, mark bool) *filler {
	deadline := l.Deadline
	if deadline.IsZero() {
		deadline = l.Date.AddDate(0, 0, 7)
	}
	vals := map[string]string{
		PhStudent: l.StudentName, PhClass: l.ClassName, PhSchool: l.SchoolName,
		PhTeacher: l.HeadTeacher, PhDate: DateFormat(l.Date), PhDeadline: DateFormat(deadline),
		PhSchoolPhone: l.SchoolPhone, PhMeetingDate: MonthDay(l.MeetingDate),
		PhFeeRule: l.FeeRule, PhPoliceStation: l.PoliceStation, PhPolicePhone: l.PolicePhone,
	}
	if l.Date.IsZero() {
		vals[PhDate], vals[PhDeadline] = "", DateFormat(l.Deadline)
		if l.Deadline.IsZero() {
			vals[PhDeadline] = ""
		}
	}
	pairs := make([]string, 0, 2*len(vals))
	for k, v := range vals {
		if mark && v != "" {
			v = string(dataOpen) + v + string(dataClose)
		}
		pairs = append(pairs, k, v)
	}
	return &filler{vals: vals, rep: strings.NewReplacer(pairs...), web: l.Web}
}

// incomplete reports whether s names a placeholder without a value.
func (f *filler) incomplete(s string) bool {
	for k, v := range f.vals {
		if strings.TrimSpace(v) == "" && strings.Contains(s, k) {
			return true
		}
	}
	return false
}

// choose picks the alternative of "A || B" to print: the first whose
// placeholders all have values, else the last. On a screen, an
// alternative with a write-in blank is passed over for a later one, and
// a blank left is said in words (WebBlank).
func (f *filler) choose(s string) string {
	alts := strings.Split(s, "||")
	for i, a := range alts {
		last := i == len(alts)-1
		if f.web && !last && strings.Contains(a, "＿") {
			continue
		}
		if last || !f.incomplete(a) {
			a = strings.TrimSpace(a)
			if f.web {
				a = writeIn.ReplaceAllString(a, WebBlank)
			}
			return a
		}
	}
	return ""
}

// fill resolves s: the chosen alternative with its placeholders replaced.
func (f *filler) fill(s string) string { return f.rep.Replace(f.choose(s)) }

// CodeURL is the page where a parent types the code: the acknowledgement
// URL without its token (https://host/a/TOKEN → https://host/a).
func CodeURL(url string) string {
	if i := strings.LastIndex(url, "/a/"); i >= 0 {
		return url[:i+2]
	}
	if i := strings.LastIndexByte(url, '/'); i > len("https://") {
		return url[:i]
	}
	return url
}
