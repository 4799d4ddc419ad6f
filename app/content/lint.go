package content

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"jiashu/letters"
)

// Severity of a lint problem: an error blocks submitting and approving; a
// warning is flagged for the reviewer and refuses nothing.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// LintProblem is one finding of Lint, with the file and line it is on
// (line 0: the file as a whole).
type LintProblem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// Problems are every finding of a version's files, by file and line.
type Problems []LintProblem

// Blocking says whether any finding is an error.
func (l Problems) Blocking() bool {
	for _, p := range l {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}

// RequiredFacts are what every letter must carry (issue 9): the numbers, the
// app and 三不一多 in its exact wording.
var RequiredFacts = []struct{ Text, Name string }{
	{"110", "报警电话110"},
	{"96110", "反诈预警专线96110"},
	{"12381", "预警短信12381"},
	{"国家反诈中心", "国家反诈中心App"},
	{"未知链接不点击、陌生来电不轻信、个人信息不透露、转账汇款多核实", "“三不一多”的原文（未知链接不点击、陌生来电不轻信、个人信息不透露、转账汇款多核实）"},
}

// officialNumbers are the numbers a letter may print besides the school's own.
var officialNumbers = map[string]bool{"110": true, "96110": true, "12381": true, "12321": true, "12377": true, "120": true, "119": true}

var (
	libraryErrRE = regexp.MustCompile(`^letters: ([^:]+):(\d+): (.*)$`)
	urlRE        = regexp.MustCompile(`(?i)(https?://|www\.)[A-Za-z0-9./?=&_%#:-]+|[A-Za-z0-9-]+\.(cn|com|net|org)\b`)
	numberRE     = regexp.MustCompile(`\d[\d-]{3,}\d`)
)

// Lint checks a version's files: the format (unknown placeholders, methods
// missing or not marked for the letter's age group, every problem the
// parser knows), the facts every letter must carry, whether each letter
// with its slip still fits one A4 page, and numbers or addresses other than
// the official ones (warnings), the room each letter keeps on its page
// (letters.Engine.Rooms), the campaigns' opening lines (openings.txt) and
// the methods as families would read them as new-scam alerts. base prints
// the sample letters.
func Lint(files Files, base *letters.Engine) Problems {
	var out Problems
	add := func(file string, line int, sev, msg string) {
		out = append(out, LintProblem{File: file, Line: line, Severity: sev, Message: msg})
	}
	if err := files.Check(); err != nil {
		add("", 0, SeverityError, err.Error())
		return out
	}
	lib, err := files.Library()
	if err != nil {
		for _, e := range flatten(err) {
			if m := libraryErrRE.FindStringSubmatch(e); m != nil {
				n, _ := strconv.Atoi(m[2])
				add(m[1], n, SeverityError, m[3])
			} else {
				add("", 0, SeverityError, strings.TrimPrefix(strings.TrimPrefix(e, "content: "), "letters: "))
			}
		}
	}
	for _, ag := range letters.AgeGroups() {
		p := TemplatePath(ag)
		src := uncommented(files[p])
		for _, f := range RequiredFacts {
			if !strings.Contains(src, f.Text) {
				add(p, 0, SeverityError, "信中缺少"+f.Name)
			}
		}
	}
	for _, p := range sortedPaths(files) {
		for i, ln := range strings.Split(files[p], "\n") {
			if strings.HasPrefix(strings.TrimSpace(ln), "#") {
				continue
			}
			for _, u := range urlRE.FindAllString(ln, -1) {
				add(p, i+1, SeverityWarning, "网址“"+u+"”：请审核员确认来源可靠（信中一般不印网址）")
			}
			for _, n := range numberRE.FindAllString(ln, -1) {
				if !officialNumbers[n] && !isDate(ln, n) {
					add(p, i+1, SeverityWarning, "号码“"+n+"”不是官方号码（110、96110、12381）也不是学校电话占位符：请审核员核实")
				}
			}
		}
	}
	if lib != nil {
		eng, err := base.WithLibrary(lib)
		if err != nil {
			add("", 0, SeverityError, "字体无法打印："+strings.TrimPrefix(err.Error(), "letters: the font cannot print: "))
		} else {
			out = append(out, lintRooms(eng)...)
			out = append(out, lintOpenings(files, eng)...)
			out = append(out, lintAlerts(files, lib)...)
			out = append(out, lintLessons(files, lib)...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}

// lintLessons checks the version's lesson kits against its library.
func lintLessons(files Files, lib *letters.Library) Problems {
	var out Problems
	for _, ag := range letters.AgeGroups() {
		p := LessonPath(ag)
		src, ok := files[p]
		if !ok {
			continue
		}
		_, ps := letters.ParseLesson(p, src, lib)
		for _, pr := range ps {
			out = append(out, LintProblem{File: p, Line: pr.Line, Severity: SeverityError, Message: pr.Message})
		}
	}
	return out
}

// SampleLetter is the letter the preview and the page check print: a
// student with a common name of a class of the age group.
func SampleLetter(ageGroup string) letters.Letter {
	classes := map[string]string{letters.PrimaryLower: "三年级2班", letters.PrimaryUpper: "五年级3班", letters.Junior: "初二1班", letters.Senior: "高一4班"}
	return letters.Letter{AgeGroup: ageGroup, StudentName: "王小明", ClassName: classes[ageGroup], SchoolName: "阳光实验小学",
		HeadTeacher: "李老师", SchoolPhone: "023-12345678", Token: "7KQ2-XP9M-4TRW", URL: "https://jiashu.example.cn/a/7KQ2XP9M4TRW",
		Date: time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)}
}

// SamplePages is how many pages the sample letter of an age group takes.
func SamplePages(eng *letters.Engine, ageGroup string) (int, error) {
	st, err := eng.WriteLetters(io.Discard, []letters.Letter{SampleLetter(ageGroup)}, letters.Options{})
	return st.Pages, err
}

// SamplePDF is the sample letter of an age group as a PDF.
func SamplePDF(eng *letters.Engine, l letters.Letter) ([]byte, int, error) {
	var buf bytes.Buffer
	st, err := eng.WriteLetters(&buf, []letters.Letter{l}, letters.Options{})
	return buf.Bytes(), st.Pages, err
}

// flatten splits a joined error into its lines.
func flatten(err error) []string {
	var out []string
	var j interface{ Unwrap() []error }
	if errors.As(err, &j) {
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	for _, ln := range strings.Split(err.Error(), "\n") {
		if ln = strings.TrimSpace(ln); ln != "" {
			out = append(out, strings.TrimPrefix(ln, "content: "))
		}
	}
	return out
}

// uncommented is src without its comment lines.
func uncommented(src string) string {
	var b strings.Builder
	for _, ln := range strings.Split(src, "\n") {
		if t := strings.TrimSpace(ln); strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "##") {
			continue
		}
		b.WriteString(ln)
		b.WriteByte('\n')
	}
	return b.String()
}

// isDate says whether the digits n in ln are a year or a date (2022年, 2022-12-01).
func isDate(ln, n string) bool {
	i := strings.Index(ln, n)
	rest := ln[i+len(n):]
	return strings.HasPrefix(rest, "年") || regexp.MustCompile(`^\d{4}-\d{1,2}(-\d{1,2})?$`).MatchString(n)
}

func sortedPaths(f Files) []string {
	ps := make([]string, 0, len(f))
	for p := range f {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}
