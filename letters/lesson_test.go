package letters

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"jiashu/assets"
)

func TestDefaultLessonsAreCompleteForEveryAgeGroup(t *testing.T) {
	t.Parallel()
	ls := defaultLessons(t)
	lib := testEngine(t).Library()
	for _, ag := range AgeGroups() {
		l, err := ls.Lesson(ag)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Scenarios) != 3 || len(l.Quiz) != 5 {
			t.Errorf("%s: %d scenarios, %d questions", ag, len(l.Scenarios), len(l.Quiz))
		}
		if m := l.Minutes(); m < 38 || m > 42 {
			t.Errorf("%s: the plan takes %d minutes, want about 40", ag, m)
		}
		for _, sc := range l.Scenarios {
			m, ok := lib.Method(sc.Method)
			if !ok || !slices.Contains(m.AgeGroups, ag) {
				t.Errorf("%s: scenario %q uses method %q not marked for the age group", ag, sc.Title, sc.Method)
			}
		}
		rules := strings.Join(l.Rules, "")
		wants := []string{"保密", "告诉", "110", "96110", "12381", "三不一多", "国家反诈中心"}
		if ag != Senior { // seventeen-year-olds are spoken to as the adults they nearly are
			wants = append(wants, "大人会找大人")
		}
		for _, want := range wants {
			if !strings.Contains(rules, want) {
				t.Errorf("%s: what every child should do lacks %q", ag, want)
			}
		}
	}
	senior, _ := ls.Lesson(Senior)
	all := strings.Join(senior.Aims, "") + senior.Scenarios[1].Remember
	// The law (art. 31) speaks of 信用记录, not the central bank's 征信.
	for _, want := range []string{"《中华人民共和国反电信网络诈骗法》", "帮信罪", "信用记录"} {
		if !strings.Contains(all, want) {
			t.Errorf("senior lesson does not explain the law: lacks %q", want)
		}
	}
}

// lessonSource is the shipped primary-lower lesson, a valid file to break.
func lessonSource(t *testing.T) string {
	t.Helper()
	b, err := assets.Lessons.ReadFile("lessons/primary-lower.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// lineOf returns the 1-based line holding s.
func lineOf(t *testing.T, src, s string) int {
	t.Helper()
	for i, l := range strings.Split(src, "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("%q not in the lesson", s)
	return 0
}

func TestParseLessonNamesTheLineOfEveryProblem(t *testing.T) {
	t.Parallel()
	src := lessonSource(t)
	lib := testEngine(t).Library()
	cases := []struct {
		name, old, new string
		at             string // text of the line the problem names ("" = as old)
		want           string
	}{
		{"unknown header key", "标题: 不上当", "题目: 不上当", "", "未知的键“题目”"},
		{"age group differs from the file", "年龄段: primary-lower", "年龄段: senior", "", "与文件名不一致"},
		{"unknown section", "【讨论】", "【讨论题】", "", "未知的段落【讨论题】"},
		{"method not in the library", "手法: watch-sim", "手法: watch-swap", "", "没有编号为“watch-swap”"},
		{"method of another age group", "手法: watch-sim", "手法: card-renting", "", "没有标注适用于本年龄段"},
		{"unknown pictogram", "图标: 手表", "图标: 火箭", "", "未知的图标“火箭”"},
		{"scenario key twice", "想一想: 你会把手表借给他吗？", "想一想: 你会把手表借给他吗？\n想一想: 再想想？", "想一想: 再想想？", "已经写过“想一想”"},
		{"step without minutes", "- 6分钟 讨论", "- 讨论", "", "【流程】里每一步"},
		{"plan too long", "- 15分钟 情景", "- 30分钟 情景", "【流程】", "合计 55 分钟"},
		{"option out of order", "B. 不扫，告诉爸爸妈妈", "C. 不扫，告诉爸爸妈妈", "", "选项顺序不对"},
		{"answer not a letter", "答案: C\n解析: 大人需要帮忙", "答案: 丙\n解析: 大人需要帮忙", "答案: 丙", "答案写一个大写字母"},
		{"question without explanation", "解析: 96110是民警打来的防骗提醒电话，要请爸爸妈妈接听。", "", "问: 家里的电话响了", "缺少解析"},
		{"rules without 110", "- 遇到危险打110。家里接到96110的电话", "- 家里接到96110的电话", "【要做到】", "拨打110"},
		{"placeholder", "标题: 借手表的叔叔", "标题: 借手表的{班主任}", "", "只能使用占位符{回执截止日期}"},
		{"a dated figure", "- 5分钟 导入：", "- 5分钟 导入：2023年骗子最多。", "", "带年份"},
		{"take-home without the letter's deadline", "请他们读一读，在回执上签字，{回执截止日期}前交给老师。", "请他们读一读，在回执上签字。", "【带回家】", "截止日期"},
		{"a kit that never names 12381", "- 手机收到12381的短信，是防骗提醒，请爸爸妈妈看一看；请爸爸妈妈装上国家反诈中心App。", "", "【要做到】", "12381"},
		{"list item without dash", "- 网上的“好朋友”", "网上的“好朋友”", "", "每一条以“- ”开头"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(src, c.old) {
				t.Fatalf("%q not in the lesson", c.old)
			}
			bad := strings.Replace(src, c.old, c.new, 1)
			at := c.at
			if at == "" {
				at = c.new
				if at == "" {
					at = c.old
				}
			}
			line := lineOf(t, bad, strings.SplitN(at, "\n", 2)[0])
			l, problems := ParseLesson("primary-lower.txt", bad, lib)
			if l != nil {
				t.Fatal("a lesson with a problem was accepted")
			}
			for _, p := range problems {
				if p.Line == line && strings.Contains(p.Message, c.want) {
					return
				}
			}
			t.Errorf("want a problem at line %d containing %q, got %v", line, c.want, problems)
		})
	}
}

func TestParseLessonCountsScenariosAndQuestions(t *testing.T) {
	t.Parallel()
	src := lessonSource(t)
	lib := testEngine(t).Library()
	// Drop the last scenario and the last question.
	i := strings.LastIndex(src, "【情景】")
	j := strings.Index(src, "【讨论】")
	k := strings.LastIndex(src, "问: ")
	bad := src[:i] + src[j:k]
	_, problems := ParseLesson("primary-lower.txt", bad, lib)
	var msgs []string
	for _, p := range problems {
		msgs = append(msgs, p.String())
	}
	got := strings.Join(msgs, "\n")
	for _, want := range []string{"应有 3 个【情景】，现在有 2 个", "应有 5 道题，现在有 4 道"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
}

func TestLoadLessonsRejectsTheSetAndListsEveryFile(t *testing.T) {
	t.Parallel()
	e := testEngine(t)
	src := lessonSource(t)
	fsys := fstest.MapFS{}
	for name, text := range map[string]string{
		"primary-lower.txt": strings.Replace(src, "图标: 手表", "图标: 火箭", 1),
		"primary-upper.txt": strings.Replace(strings.Replace(src, "primary-lower", "primary-upper", 1), "watch-sim", "fan-fundraising", 1),
		"junior.txt":        strings.Replace(src, "primary-lower", "junior", 1),
	} {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	_, err := e.LoadLessons(fsys)
	var le *LessonError
	if !errors.As(err, &le) {
		t.Fatalf("want a *LessonError, got %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"primary-lower.txt 第", "未知的图标“火箭”", "senior.txt：无法读取", "junior.txt 第"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q: %s", want, msg)
		}
	}
	if strings.Contains(msg, "primary-upper.txt") {
		t.Errorf("a valid file was reported: %s", msg)
	}
}
