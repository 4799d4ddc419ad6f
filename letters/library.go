package letters

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"jiashu/grade"
)

// Age-group IDs: the template files are named after them. They are
// package grade's age groups (grade maps grades to them), as strings.
const (
	PrimaryLower = string(grade.PrimaryLower) // 小学低年级, grades 1–3
	PrimaryUpper = string(grade.PrimaryUpper) // 小学高年级, grades 4–6
	Junior       = string(grade.Junior)       // 初中, grades 7–9
	Senior       = string(grade.Senior)       // 高中, grades 10–12
)

// AgeGroups returns the age-group IDs in school order.
func AgeGroups() []string {
	var ids []string
	for _, ag := range grade.AgeGroups() {
		ids = append(ids, string(ag))
	}
	return ids
}

// Placeholders a template or method text may use, resolved per letter.
const (
	PhStudent  = "{学生姓名}"
	PhClass    = "{班级}"
	PhSchool   = "{学校}"
	PhTeacher  = "{班主任}"
	PhDate     = "{日期}"
	PhDeadline = "{回执截止日期}"
	// PhSchoolPhone is the school's phone for checking fee notices. A text
	// may offer a fallback for letters that lack it: "A || B" prints B
	// when a placeholder of A has no value.
	PhSchoolPhone = "{学校电话}"
	// PhMeetingDate is the day the class held its anti-fraud class meeting
	// (主题班会), e.g. 11月20日; empty when none is recorded, so a line
	// using it is written "A ||" to be left out then.
	PhMeetingDate = "{班会日期}"
	// School details the school administrator keeps (issue 9): the real
	// fee rule, the partner police station and its phone.
	PhFeeRule       = "{收费说明}"
	PhPoliceStation = "{派出所}"
	PhPolicePhone   = "{派出所电话}"
)

var knownPlaceholders = []string{PhStudent, PhClass, PhSchool, PhTeacher, PhDate, PhDeadline, PhSchoolPhone,
	PhMeetingDate, PhFeeRule, PhPoliceStation, PhPolicePhone}

// Placeholders returns every placeholder a text may use.
func Placeholders() []string { return slices.Clone(knownPlaceholders) }

// SchoolDetailPlaceholders are the placeholders a school fills in itself.
func SchoolDetailPlaceholders() []string {
	return []string{PhSchoolPhone, PhFeeRule, PhPoliceStation, PhPolicePhone}
}

// Method is one item of the fraud-method library: how a scam works (手法)
// and how to guard against it (防范); Case is optional and secondary.
type Method struct {
	ID        string
	Title     string   // 名称
	AgeGroups []string // 年龄段
	How       string   // 手法
	Guard     string   // 防范
	Case      string   // 案例 (optional)
	Brief     string   // 提醒: a one-sentence version (optional; needed for "~ id")
}

// Question is one multiple-choice quiz question of a template.
type Question struct {
	Text        string
	Options     []string // in order: A, B, C …
	Answer      int      // index into Options
	Explanation string
}

// Template is the default letter of one age group, as read from
// templates/<age group>.txt. Texts still contain placeholders; Compose
// resolves them for one student.
type Template struct {
	AgeGroup   string
	Title      string
	Salutation string
	Signature  []string // right-aligned lines above the date
	Date       string
	Body       []Block // kinds heading, paragraph, item, method and brief (Method filled), box (Items filled)
	SlipTitle  string
	SlipText   []string
	Quiz       []Question
	// Large is the large-print letter's own text (【大字版】), written to
	// the grandparent who reads it; nil when the template has none, and the
	// large print then enlarges the ordinary text.
	Large *LargeText
}

// LargeText is a template's large-print text: its salutation and body. Its
// title, signature, date, slip and quiz are the template's.
type LargeText struct {
	Salutation string
	Body       []Block
}

// Library is the validated set of templates and fraud methods.
type Library struct {
	Methods   []Method // file order
	templates map[string]*Template
}

// Template returns the template of an age group.
func (l *Library) Template(ageGroup string) (*Template, error) {
	t, ok := l.templates[ageGroup]
	if !ok {
		return nil, fmt.Errorf("letters: no template for age group %q", ageGroup)
	}
	return t, nil
}

// Method returns a library method by ID.
func (l *Library) Method(id string) (Method, bool) {
	i := slices.IndexFunc(l.Methods, func(m Method) bool { return m.ID == id })
	if i < 0 {
		return Method{}, false
	}
	return l.Methods[i], true
}

// Files inside the fs.FS given to LoadLibrary.
const (
	MethodsFile  = "methods.txt"
	TemplatesDir = "templates"
)

// LoadLibrary reads and validates methods.txt and templates/<age group>.txt
// from fsys (assets.Letters under "letters"). Every problem is reported,
// each naming its file and line; a library with any problem is rejected.
func LoadLibrary(fsys fs.FS) (*Library, error) {
	var errs []error
	fail := func(file string, line int, format string, a ...any) {
		errs = append(errs, fmt.Errorf("letters: %s:%d: %s", file, line, fmt.Sprintf(format, a...)))
	}
	lib := &Library{templates: map[string]*Template{}}
	src, err := fs.ReadFile(fsys, MethodsFile)
	if err != nil {
		return nil, fmt.Errorf("letters: %w", err)
	}
	lib.Methods = parseMethods(MethodsFile, string(src), fail)

	for _, ag := range AgeGroups() {
		file := path.Join(TemplatesDir, ag+".txt")
		src, err := fs.ReadFile(fsys, file)
		if err != nil {
			errs = append(errs, fmt.Errorf("letters: template for %s: %w", ag, err))
			continue
		}
		if t := parseTemplate(file, ag, string(src), lib, fail); t != nil {
			lib.templates[ag] = t
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return lib, nil
}

type failFunc func(file string, line int, format string, a ...any)

var (
	placeholderRE = regexp.MustCompile(`\{[^{}]*\}`)
	methodIDRE    = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	sectionRE     = regexp.MustCompile(`^【([^】]+)】$`)
	optionRE      = regexp.MustCompile(`^([A-F])[.．、]\s*(.+)$`)
)

func checkPlaceholders(file string, line int, s string, fail failFunc) {
	for _, p := range placeholderRE.FindAllString(s, -1) {
		if !slices.Contains(knownPlaceholders, p) {
			fail(file, line, "unknown placeholder %s (known: %s)", p, strings.Join(knownPlaceholders, " "))
		}
	}
	if strings.Count(s, "{") != strings.Count(s, "}") {
		fail(file, line, "unbalanced { } in %q", s)
	}
}

// srcLine is one logical line: continuation lines (starting with white
// space) are joined onto the previous key line.
type srcLine struct {
	n    int
	text string
}

// logicalLines drops comments, keeps blank lines (they separate
// paragraphs) and joins continuation lines.
func logicalLines(src string) []srcLine {
	var out []srcLine
	for i, raw := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		n := i + 1
		trimmed := strings.TrimSpace(raw)
		if strings.HasPrefix(trimmed, "#") && !strings.HasPrefix(trimmed, "##") {
			continue // a comment; "## " is a heading
		}
		if trimmed != "" && raw != trimmed && strings.TrimLeft(raw, " \t\u3000") != raw && len(out) > 0 && out[len(out)-1].text != "" {
			out[len(out)-1].text += trimmed
			continue
		}
		out = append(out, srcLine{n, trimmed})
	}
	return out
}

// splitKey splits "键: 值" (ASCII or full-width colon).
func splitKey(s string) (key, val string, ok bool) {
	i := strings.IndexAny(s, ":：")
	if i <= 0 || i > 18 {
		return "", "", false
	}
	sep := ":"
	if strings.HasPrefix(s[i:], "：") {
		sep = "："
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(sep):]), true
}

func parseMethods(file, src string, fail failFunc) []Method {
	var ms []Method
	var cur *Method
	var curLine int
	finish := func() {
		if cur == nil {
			return
		}
		for _, f := range []struct{ name, v string }{{"名称", cur.Title}, {"手法", cur.How}, {"防范", cur.Guard}} {
			if f.v == "" {
				fail(file, curLine, "method %s: missing %s", cur.ID, f.name)
			}
		}
		if len(cur.AgeGroups) == 0 {
			fail(file, curLine, "method %s: missing 年龄段", cur.ID)
		}
		ms = append(ms, *cur)
	}
	for _, l := range logicalLines(src) {
		if l.text == "" {
			continue
		}
		if m := sectionRE.FindStringSubmatch(l.text); m != nil {
			finish()
			id := m[1]
			if !methodIDRE.MatchString(id) {
				fail(file, l.n, "method id %q: use lower-case letters, digits and hyphens", id)
			}
			if slices.ContainsFunc(ms, func(x Method) bool { return x.ID == id }) {
				fail(file, l.n, "duplicate method id %q", id)
			}
			cur, curLine = &Method{ID: id}, l.n
			continue
		}
		if cur == nil {
			fail(file, l.n, "text before the first 【编号】 line: %q", l.text)
			continue
		}
		k, v, ok := splitKey(l.text)
		if !ok {
			fail(file, l.n, "expected 键: 值, got %q", l.text)
			continue
		}
		checkPlaceholders(file, l.n, v, fail)
		switch k {
		case "名称":
			cur.Title = v
		case "手法":
			cur.How = v
		case "防范":
			cur.Guard = v
		case "案例":
			cur.Case = v
		case "提醒":
			cur.Brief = v
		case "年龄段":
			for _, ag := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' }) {
				if !slices.Contains(AgeGroups(), ag) {
					fail(file, l.n, "unknown age group %q (known: %s)", ag, strings.Join(AgeGroups(), ", "))
					continue
				}
				cur.AgeGroups = append(cur.AgeGroups, ag)
			}
		default:
			fail(file, l.n, "unknown key %q (known: 名称 年龄段 手法 防范 案例 提醒)", k)
		}
	}
	finish()
	return ms
}
