package letters

import (
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

// Compose resolves the template for one student.
func (t *Template) Compose(l Letter) Document {
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
	pairs := make([]string, 0, 2*len(vals))
	for k, v := range vals {
		pairs = append(pairs, k, v)
	}
	rep := strings.NewReplacer(pairs...)
	// A signature line naming something we do not know is left out rather
	// than printed half empty.
	incomplete := func(s string) bool {
		for k, v := range vals {
			if strings.TrimSpace(v) == "" && strings.Contains(s, k) {
				return true
			}
		}
		return false
	}

	// "A || B": the first alternative whose placeholders all have values.
	r := replacer(func(s string) string {
		alts := strings.Split(s, "||")
		for i, a := range alts {
			if i == len(alts)-1 || !incomplete(a) {
				return rep.Replace(strings.TrimSpace(a))
			}
		}
		return ""
	})

	d := Document{AgeGroup: t.AgeGroup, Title: r.Replace(t.Title)}
	d.Blocks = make([]Block, 0, len(t.Body)+len(t.Signature)+2)
	d.Blocks = append(d.Blocks, Block{Kind: KindSalutation, Text: r.Replace(t.Salutation)})
	for _, b := range t.Body {
		if b.Method != nil {
			m := *b.Method
			m.Title, m.How, m.Guard, m.Case, m.Brief = r.Replace(m.Title), r.Replace(m.How), r.Replace(m.Guard), r.Replace(m.Case), r.Replace(m.Brief)
			m.AgeGroups = append([]string(nil), m.AgeGroups...)
			d.Blocks = append(d.Blocks, Block{Kind: b.Kind, Method: &m})
			continue
		}
		nb := Block{Kind: b.Kind, Text: r.Replace(b.Text)}
		if nb.Text == "" && b.Text != "" && len(b.Items) == 0 {
			continue // "A ||" whose A lacks a value: the line is left out
		}
		for _, it := range b.Items {
			if v := r.Replace(it); v != "" || it == "" {
				nb.Items = append(nb.Items, v)
			}
		}
		d.Blocks = append(d.Blocks, nb)
	}
	for _, s := range t.Signature {
		if !incomplete(s) {
			d.Blocks = append(d.Blocks, Block{Kind: KindSignature, Text: r.Replace(s)})
		}
	}
	d.Blocks = append(d.Blocks, Block{Kind: KindDate, Text: r.Replace(t.Date)})
	d.Slip = Slip{Title: r.Replace(t.SlipTitle), StudentName: l.StudentName, ClassName: l.ClassName,
		Token: l.Token, URL: l.URL, CodeURL: CodeURL(l.URL), SafetyNote: SafetyNote}
	for _, s := range t.SlipText {
		d.Slip.Text = append(d.Slip.Text, r.Replace(s))
	}
	for _, q := range t.Quiz {
		q.Text, q.Explanation = r.Replace(q.Text), r.Replace(q.Explanation)
		q.Options = append([]string(nil), q.Options...)
		d.Quiz = append(d.Quiz, q)
	}
	return d
}

// replacer resolves the placeholders of one text.
type replacer func(string) string

// Replace returns s with its placeholders resolved.
func (r replacer) Replace(s string) string { return r(s) }

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
