package letters

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"jiashu/assets"
	"jiashu/grade"
)

// Lesson is the class-meeting kit (主题班会) of one age group, as read from
// lessons/<age group>.txt: what the teacher's lesson sheet and the
// projector slides print. Its format is described in assets/lessons/README.md.
type Lesson struct {
	AgeGroup   string
	Title      string     // 标题, the meeting's theme
	Aims       []string   // 【目标】
	Prep       []string   // 【课前准备】 what to print and project, the letters to hand out, the time
	KeyPoints  []string   // 【重难点】
	Plan       []Step     // 【流程】, about 40 minutes
	Scenarios  []Scenario // 【情景】, exactly three
	Discussion []string   // 【讨论】
	Rules      []string   // 【要做到】 what every child should do
	Quiz       []Question // 【测验】, exactly five
	// TakeHome is 【带回家】: how the meeting ends, handing out the
	// letter to parents and naming the slip's deadline ({回执截止日期},
	// filled from LessonOptions.Deadline).
	TakeHome []string
}

// SafeguardingNote is printed on every lesson sheet. It is fixed in code
// (not in the editable kits) so that no edit can weaken it.
const SafeguardingNote = "如有学生说自己或家里被骗了：课上不追问细节，不让他当众讲述，只告诉他“说出来是对的，老师会帮你”；" +
	"课后单独和他谈，先安慰、不责备，当天告诉家长，需要时陪同家长拨打110报警。"

// KitContacts are what every kit must name, at its age: the slogan, the
// warning SMS, the warning line and the app.
var KitContacts = []string{"三不一多", "12381", "96110", "国家反诈中心"}

// Step is one part of the lesson plan.
type Step struct {
	Minutes int
	Text    string // e.g. "导入：……"
}

// Scenario is a moment a child of the age group recognises, drawn from one
// method of the library.
type Scenario struct {
	Method    string // method ID in the library, marked for the age group
	Pictogram string // a pictogram name (see Pictograms)
	Title     string // 标题
	Story     string // 故事: the moment, told to the child
	Ask       string // 想一想: the question put to the class
	Remember  string // 记住: the answer, on the following slide
	Line      int    // line of the scenario in its file
}

// Minutes is the length of the lesson plan.
func (l *Lesson) Minutes() int {
	n := 0
	for _, s := range l.Plan {
		n += s.Minutes
	}
	return n
}

// AgeLabel is the Chinese name of the lesson's age group (小学低年级 …).
func (l *Lesson) AgeLabel() string { return grade.AgeGroup(l.AgeGroup).Label() }

// LessonProblem is one problem of a lesson file, for the people who write
// and review it: the file, the line (1-based; 0 for the file as a whole)
// and a message in Chinese.
type LessonProblem struct {
	File    string
	Line    int
	Message string
}

func (p LessonProblem) String() string {
	if p.Line == 0 {
		return p.File + "：" + p.Message
	}
	return fmt.Sprintf("%s 第%d行：%s", p.File, p.Line, p.Message)
}

// LessonError lists every problem of one or more lesson files.
type LessonError struct{ Problems []LessonProblem }

func (e *LessonError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "letters: 班会教案有误：" + strings.Join(parts, "；")
}

// Rules of the kit, checked by ParseLesson.
const (
	LessonScenarios  = 3
	LessonQuestions  = 5
	LessonMinMinutes = 35
	LessonMaxMinutes = 45
)

// LessonsDir is the folder of the lesson files inside assets.Lessons.
const LessonsDir = "lessons"

var (
	stepRE  = regexp.MustCompile(`^(\d+)\s*分钟\s*(.+)$`)
	braceRE = regexp.MustCompile(`[{}]`)
	// datedRE finds a figure tied to a year (2023年…), which dates a kit;
	// a law's date of entry into force (2022年12月1日起施行) is kept.
	datedRE = regexp.MustCompile(`\d{4}年`)
	lawRE   = regexp.MustCompile(`\d{4}年\d{1,2}月\d{1,2}日起施行`)
)

// lessonSections are the sections of a lesson file in their usual order.
var lessonSections = []string{"目标", "课前准备", "重难点", "流程", "情景", "讨论", "要做到", "测验", "带回家"}

// ParseLesson reads one lesson file. file names it in problems and must be
// <age group>.txt; methods named by scenarios must be in lib and marked for
// the age group. It returns every problem found, each with its line; the
// lesson is nil when there is any.
func ParseLesson(file, src string, lib *Library) (*Lesson, []LessonProblem) {
	p := &lessonParser{file: file, l: &Lesson{}}
	ag := strings.TrimSuffix(path.Base(file), ".txt")
	if !slices.Contains(AgeGroups(), ag) {
		p.fail(0, "文件名应为年龄段编号加 .txt（%s）", strings.Join(AgeGroups(), ".txt、")+".txt")
	}
	p.l.AgeGroup = ag
	for _, ln := range logicalLines(src) {
		p.line(ln, lib)
	}
	p.finishQuestion()
	p.finishScenario(lib)
	p.checkWhole()
	if len(p.problems) > 0 {
		return nil, p.problems
	}
	return p.l, nil
}

type lessonParser struct {
	file     string
	l        *Lesson
	problems []LessonProblem
	section  string
	seen     map[string]int // section → line first seen
	sc       *Scenario
	scMethod int // line of the scenario's 手法
	q        *Question
	qLine    int
}

func (p *lessonParser) fail(line int, format string, a ...any) {
	p.problems = append(p.problems, LessonProblem{p.file, line, fmt.Sprintf(format, a...)})
}

func (p *lessonParser) line(ln srcLine, lib *Library) {
	if ln.text == "" {
		return
	}
	if braceRE.MatchString(strings.ReplaceAll(ln.text, PhDeadline, "")) {
		p.fail(ln.n, "教案里只能使用占位符%s（回执截止日期），不能用其他占位符或花括号 { }", PhDeadline)
	}
	if datedRE.MatchString(lawRE.ReplaceAllString(ln.text, "")) {
		p.fail(ln.n, "不要写带年份的数字或事件（如“2023年…”），教案会过时；只说“近年来”“据公安机关通报”")
	}
	if m := sectionRE.FindStringSubmatch(ln.text); m != nil {
		p.startSection(ln.n, m[1], lib)
		return
	}
	switch p.section {
	case "":
		p.header(ln)
	case "目标":
		p.item(ln, &p.l.Aims)
	case "课前准备":
		p.item(ln, &p.l.Prep)
	case "重难点":
		p.item(ln, &p.l.KeyPoints)
	case "带回家":
		p.item(ln, &p.l.TakeHome)
	case "讨论":
		p.item(ln, &p.l.Discussion)
	case "要做到":
		p.item(ln, &p.l.Rules)
	case "流程":
		p.step(ln)
	case "情景":
		p.scenarioLine(ln)
	case "测验":
		p.quizLine(ln)
	}
}

func (p *lessonParser) startSection(n int, name string, lib *Library) {
	p.finishQuestion()
	p.finishScenario(lib)
	if !slices.Contains(lessonSections, name) {
		p.fail(n, "未知的段落【%s】（可用：【%s】）", name, strings.Join(lessonSections, "】【"))
		p.section = "?"
		return
	}
	if p.seen == nil {
		p.seen = map[string]int{}
	}
	if first, ok := p.seen[name]; ok && name != "情景" {
		p.fail(n, "【%s】重复出现（第%d行已有）", name, first)
	}
	if _, ok := p.seen[name]; !ok {
		p.seen[name] = n
	}
	p.section = name
	if name == "情景" {
		p.sc = &Scenario{Line: n}
	}
}

func (p *lessonParser) header(ln srcLine) {
	k, v, ok := splitKey(ln.text)
	if !ok {
		p.fail(ln.n, "段落之前只能写“键: 值”，这里是“%s”", ln.text)
		return
	}
	switch k {
	case "年龄段":
		if v != p.l.AgeGroup {
			p.fail(ln.n, "年龄段“%s”与文件名不一致（应为 %s）", v, p.l.AgeGroup)
		}
	case "标题":
		p.l.Title = v
	default:
		p.fail(ln.n, "未知的键“%s”（可用：年龄段、标题）", k)
	}
}

func (p *lessonParser) item(ln srcLine, list *[]string) {
	t, ok := strings.CutPrefix(ln.text, "- ")
	if !ok || strings.TrimSpace(t) == "" {
		p.fail(ln.n, "【%s】里每一条以“- ”开头，这里是“%s”", p.section, ln.text)
		return
	}
	*list = append(*list, strings.TrimSpace(t))
}

func (p *lessonParser) step(ln srcLine) {
	t, ok := strings.CutPrefix(ln.text, "- ")
	m := stepRE.FindStringSubmatch(strings.TrimSpace(t))
	if !ok || m == nil {
		p.fail(ln.n, "【流程】里每一步写成“- 5分钟 导入：……”，这里是“%s”", ln.text)
		return
	}
	mins, err := strconv.Atoi(m[1])
	if err != nil || mins < 1 || mins > 30 {
		p.fail(ln.n, "每一步 1 到 30 分钟，这里是 %s 分钟", m[1])
		return
	}
	p.l.Plan = append(p.l.Plan, Step{Minutes: mins, Text: strings.TrimSpace(m[2])})
}

func (p *lessonParser) scenarioLine(ln srcLine) {
	k, v, ok := splitKey(ln.text)
	if !ok || v == "" {
		p.fail(ln.n, "【情景】里每行写“键: 值”（手法、图标、标题、故事、想一想、记住），这里是“%s”", ln.text)
		return
	}
	fields := map[string]*string{"手法": &p.sc.Method, "图标": &p.sc.Pictogram, "标题": &p.sc.Title,
		"故事": &p.sc.Story, "想一想": &p.sc.Ask, "记住": &p.sc.Remember}
	f, known := fields[k]
	switch {
	case !known:
		p.fail(ln.n, "【情景】里未知的键“%s”（可用：手法、图标、标题、故事、想一想、记住）", k)
	case *f != "":
		p.fail(ln.n, "这个情景已经写过“%s”", k)
	case k == "图标" && !slices.Contains(PictogramNames(), v):
		p.fail(ln.n, "未知的图标“%s”（可用：%s）", v, strings.Join(PictogramNames(), "、"))
	default:
		*f = v
		if k == "手法" {
			p.scMethod = ln.n
		}
	}
}

func (p *lessonParser) finishScenario(lib *Library) {
	sc := p.sc
	if sc == nil {
		return
	}
	p.sc = nil
	for _, f := range []struct{ k, v string }{{"手法", sc.Method}, {"图标", sc.Pictogram}, {"标题", sc.Title},
		{"故事", sc.Story}, {"想一想", sc.Ask}, {"记住", sc.Remember}} {
		if f.v == "" {
			p.fail(sc.Line, "这个情景缺少“%s”", f.k)
		}
	}
	if sc.Method != "" && lib != nil {
		m, ok := lib.Method(sc.Method)
		switch {
		case !ok:
			p.fail(p.scMethod, "手法库里没有编号为“%s”的手法", sc.Method)
		case !slices.Contains(m.AgeGroups, p.l.AgeGroup):
			p.fail(p.scMethod, "手法“%s”（%s）没有标注适用于本年龄段", sc.Method, m.Title)
		}
	}
	p.l.Scenarios = append(p.l.Scenarios, *sc)
}

func (p *lessonParser) quizLine(ln srcLine) {
	if m := optionRE.FindStringSubmatch(ln.text); m != nil && p.q != nil {
		if want := 'A' + rune(len(p.q.Options)); rune(m[1][0]) != want {
			p.fail(ln.n, "选项顺序不对：这里应是 %c", want)
		}
		p.q.Options = append(p.q.Options, m[2])
		return
	}
	k, v, ok := splitKey(ln.text)
	switch {
	case ok && k == "问":
		p.finishQuestion()
		p.q, p.qLine = &Question{Text: v, Answer: -1}, ln.n
	case ok && p.q == nil:
		p.fail(ln.n, "“%s”前面还没有“问:”", k)
	case ok && k == "答案":
		if len(v) == 1 && v[0] >= 'A' && v[0] <= 'F' {
			p.q.Answer = int(v[0] - 'A')
		} else {
			p.fail(ln.n, "答案写一个大写字母（A、B、C……），这里是“%s”", v)
		}
	case ok && k == "解析":
		p.q.Explanation = v
	default:
		p.fail(ln.n, "【测验】里应是“问:”、选项“A. ……”、“答案:”或“解析:”，这里是“%s”", ln.text)
	}
}

func (p *lessonParser) finishQuestion() {
	q := p.q
	if q == nil {
		return
	}
	p.q = nil
	switch {
	case q.Text == "":
		p.fail(p.qLine, "题目是空的")
	case len(q.Options) < 2:
		p.fail(p.qLine, "题目“%s”至少要有 A、B 两个选项", q.Text)
	case q.Answer < 0 || q.Answer >= len(q.Options):
		p.fail(p.qLine, "题目“%s”缺少答案，或答案不是它的选项", q.Text)
	case q.Explanation == "":
		p.fail(p.qLine, "题目“%s”缺少解析", q.Text)
	}
	p.l.Quiz = append(p.l.Quiz, *q)
}

// checkWhole checks what only the whole file can show.
func (p *lessonParser) checkWhole() {
	l := p.l
	if l.Title == "" {
		p.fail(0, "缺少“标题:”")
	}
	for _, s := range lessonSections {
		if _, ok := p.seen[s]; !ok {
			p.fail(0, "缺少【%s】", s)
		}
	}
	if p.seen["情景"] > 0 && len(l.Scenarios) != LessonScenarios {
		p.fail(p.seen["情景"], "应有 %d 个【情景】，现在有 %d 个", LessonScenarios, len(l.Scenarios))
	}
	if p.seen["测验"] > 0 && len(l.Quiz) != LessonQuestions {
		p.fail(p.seen["测验"], "【测验】应有 %d 道题，现在有 %d 道", LessonQuestions, len(l.Quiz))
	}
	if n := l.Minutes(); p.seen["流程"] > 0 && (n < LessonMinMinutes || n > LessonMaxMinutes) {
		p.fail(p.seen["流程"], "【流程】合计 %d 分钟，应在 %d 到 %d 分钟之间（一节课约40分钟）", n, LessonMinMinutes, LessonMaxMinutes)
	}
	if at := p.seen["要做到"]; at > 0 && !slices.ContainsFunc(l.Rules, func(r string) bool { return hasNumber(r, "110") }) {
		p.fail(at, "【要做到】里要有一条写明遇到危险拨打110")
	}
	if !hasNumber(strings.Join(slices.Concat(l.Rules, l.Discussion, l.Aims), "\n"), "96110") {
		p.fail(p.seen["要做到"], "【要做到】里要提到96110反诈预警电话")
	}
	p.checkCoverage()
}

// checkCoverage checks that the kit names the four contacts and ends with
// the letter to parents and its slip's deadline.
func (p *lessonParser) checkCoverage() {
	l := p.l
	all := strings.Join(slices.Concat(l.Aims, l.Prep, l.KeyPoints, l.Discussion, l.Rules, l.TakeHome), "\n")
	for _, sc := range l.Scenarios {
		all += "\n" + sc.Story + sc.Remember
	}
	for _, q := range l.Quiz {
		all += "\n" + q.Text + q.Explanation
	}
	for _, c := range KitContacts {
		if !strings.Contains(all, c) {
			p.fail(p.seen["要做到"], "班会要讲到“%s”（三不一多、12381、96110、国家反诈中心App都要讲到，用适合本年龄段的话）", c)
		}
	}
	if at := p.seen["带回家"]; at > 0 {
		home := strings.Join(l.TakeHome, "\n")
		if !strings.Contains(home, "《致家长的一封信》") || !strings.Contains(home, PhDeadline) {
			p.fail(at, "【带回家】要写明发放《致家长的一封信》，以及回执的截止日期%s", PhDeadline)
		}
	}
}

// hasNumber reports whether s holds the phone number n on its own (110 in
// 96110 does not count as 110).
func hasNumber(s, n string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], n)
		if j < 0 {
			return false
		}
		at := i + j
		before := at == 0 || s[at-1] < '0' || s[at-1] > '9'
		after := at+len(n) == len(s) || s[at+len(n)] < '0' || s[at+len(n)] > '9'
		if before && after {
			return true
		}
		i = at + len(n)
	}
}

// Lessons holds the lesson of every age group.
type Lessons struct{ byAge map[string]*Lesson }

// Lesson returns the lesson of an age group.
func (ls *Lessons) Lesson(ageGroup string) (*Lesson, error) {
	l, ok := ls.byAge[ageGroup]
	if !ok {
		return nil, fmt.Errorf("letters: no class-meeting lesson for age group %q", ageGroup)
	}
	return l, nil
}

// LoadLessons reads <age group>.txt for every age group from fsys, checks
// them against the engine's method library and its fonts (every character
// must be printable), and returns them; every problem of every file is in
// the *LessonError returned.
func (e *Engine) LoadLessons(fsys fs.FS) (*Lessons, error) {
	ls := &Lessons{byAge: map[string]*Lesson{}}
	var problems []LessonProblem
	for _, ag := range AgeGroups() {
		file := ag + ".txt"
		src, err := fs.ReadFile(fsys, file)
		if err != nil {
			problems = append(problems, LessonProblem{File: file, Message: "无法读取：" + err.Error()})
			continue
		}
		l, ps := ParseLesson(file, string(src), e.lib)
		problems = append(problems, ps...)
		problems = append(problems, e.unprintable(file, string(src))...)
		if l != nil {
			ls.byAge[ag] = l
		}
	}
	if len(problems) > 0 {
		return nil, &LessonError{problems}
	}
	return ls, nil
}

// DefaultLessons loads the lessons that ship with the product
// (assets/lessons).
func (e *Engine) DefaultLessons() (*Lessons, error) {
	sub, err := fs.Sub(assets.Lessons, LessonsDir)
	if err != nil {
		return nil, fmt.Errorf("letters: %w", err)
	}
	return e.LoadLessons(sub)
}

// unprintable lists the characters of src that the fonts cannot print, by
// line.
func (e *Engine) unprintable(file, src string) []LessonProblem {
	var ps []LessonProblem
	for i, ln := range strings.Split(src, "\n") {
		if strings.HasPrefix(strings.TrimSpace(ln), "#") {
			continue
		}
		for _, r := range ln {
			if r != '\t' && r != '\r' && !e.Printable(r) {
				ps = append(ps, LessonProblem{file, i + 1, fmt.Sprintf("字体无法打印“%c”（U+%04X）", r, r)})
			}
		}
	}
	return ps
}
