package content

import (
	"strings"
	"testing"

	"jiashu/letters"
	"jiashu/store"
)

func TestLintCatchesEachRule(t *testing.T) {
	t.Parallel()
	v1, err := store.EmbeddedContent()
	if err != nil {
		t.Fatal(err)
	}
	base, err := letters.NewDefaultEngine()
	if err != nil {
		t.Fatal(err)
	}
	if ps := Lint(v1, base); len(ps) != 0 {
		t.Fatalf("the embedded content has findings: %+v", ps)
	}
	junior := TemplatePath(letters.Junior)
	edit := func(path, old, new string) func(Files) {
		return func(f Files) {
			if !strings.Contains(f[path], old) {
				t.Fatalf("%s lacks %q", path, old)
			}
			f[path] = strings.Replace(f[path], old, new, 1)
		}
	}
	lineOf := func(path, s string) int {
		for i, ln := range strings.Split(v1[path], "\n") {
			if strings.Contains(ln, s) {
				return i + 1
			}
		}
		return 0
	}
	long := strings.Repeat("请您和孩子一起认真阅读这封信，记住每一种骗局的样子。", 40)
	for _, c := range []struct {
		name     string
		edit     func(Files)
		file     string
		line     int
		severity string
		says     string
	}{
		{"an unknown placeholder, with its line", edit(junior, "尊敬的{学生姓名}同学家长", "尊敬的{学生名}同学家长"),
			junior, lineOf(junior, "称呼:"), SeverityError, "{学生名}"},
		{"a method missing from the library", edit(junior, "* fake-teacher", "* fake-teacher-2"),
			junior, lineOf(junior, "* fake-teacher"), SeverityError, "fake-teacher-2"},
		{"a method not marked for the letter's age group", edit(junior, "* fake-teacher", "* watch-sim"),
			junior, lineOf(junior, "* fake-teacher"), SeverityError, "not marked for age group junior"},
		{"96110 missing", func(f Files) { f[junior] = strings.ReplaceAll(f[junior], "96110", "九六一一零") },
			junior, 0, SeverityError, "96110"},
		{"12381 missing", func(f Files) { f[junior] = strings.ReplaceAll(f[junior], "12381", "一二三八一") },
			junior, 0, SeverityError, "12381"},
		{"the app missing", func(f Files) { f[junior] = strings.ReplaceAll(f[junior], "国家反诈中心", "反诈") },
			junior, 0, SeverityError, "国家反诈中心App"},
		{"三不一多 not in its exact wording", edit(junior, "陌生来电不轻信", "陌生电话不轻信"),
			junior, 0, SeverityError, "三不一多"},
		{"a letter that no longer fits its page", edit(junior, "【回执】", long+"\n\n【回执】"),
			junior, 0, SeverityError, "超出一页A4纸约"},
		{"a letter left with less than three spare lines says which methods take most", edit(junior, "【回执】", "请您和孩子一起认真阅读这封信，记住每一种骗局的样子。\n\n【回执】"),
			junior, 0, SeverityError, "只剩约"},
		{"a letter short of room names its longest method", edit(junior, "【回执】", long+"\n\n【回执】"),
			junior, 0, SeverityError, "占地最多的手法：出租出借银行卡"},
		{"an unofficial phone number is flagged, not refused", edit(junior, "解析: ", "解析: 有事请拨打13800138000。"),
			junior, lineOf(junior, "解析: "), SeverityWarning, "13800138000"},
		{"a web address is flagged, not refused", edit(junior, "解析: ", "解析: 详见www.example.com。"),
			junior, lineOf(junior, "解析: "), SeverityWarning, "www.example.com"},
		{"an opening line that pushes a letter past its page", func(f Files) {
			edit(junior, "【回执】", strings.Repeat("请您和孩子一起认真阅读这封信，记住每一种骗局的样子。", 3)+"\n\n【回执】")(f)
			edit(OpeningsPath, "寒假：寒假将至，", "寒假：寒假将至，"+strings.Repeat("请您务必读完。", 6))(f)
		},
			OpeningsPath, lineOf(OpeningsPath, "寒假："), SeverityError, "超出一页"},
		{"an opening line with a placeholder some class has no value for", edit(OpeningsPath, "寒假：寒假将至，", "寒假：{班主任}提醒您，寒假将至，"),
			OpeningsPath, lineOf(OpeningsPath, "寒假："), SeverityError, "{班主任}"},
		{"an opening line with an unknown placeholder", edit(OpeningsPath, "寒假：寒假将至，", "寒假：{季节}将至，"),
			OpeningsPath, lineOf(OpeningsPath, "寒假："), SeverityError, "{季节}"},
		{"two openings of one name", edit(OpeningsPath, "暑假：", "寒假："),
			OpeningsPath, lineOf(OpeningsPath, "暑假："), SeverityError, "已有名为“寒假”"},
		{"a method whose alert some class cannot fill is flagged for the reviewer", edit(MethodsPath, "核实。 || 学校不在群里扫码收费，收费通知先打电话或当面向班主任核实。", "核实。"),
			MethodsPath, lineOf(MethodsPath, "【fake-teacher】"), SeverityWarning, "{班主任}"},
		{"a lesson kit naming an unknown method", func(f Files) {
			p := LessonPath(letters.Junior)
			f[p] = strings.Replace(f[p], "手法: ", "手法: no-such-method-", 1)
		}, LessonPath(letters.Junior), -1, SeverityError, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := Files(v1).Clone()
			c.edit(f)
			ps := Lint(f, base)
			found := false
			for _, p := range ps {
				if p.File == c.file && (c.line < 0 || p.Line == c.line) && p.Severity == c.severity && strings.Contains(p.Message, c.says) {
					found = true
				}
			}
			if !found {
				t.Errorf("no %s at %s:%d saying %q; findings: %+v", c.severity, c.file, c.line, c.says, ps)
			}
			if c.severity == SeverityWarning && ps.Blocking() {
				t.Errorf("a warning blocks: %+v", ps)
			}
		})
	}
}
