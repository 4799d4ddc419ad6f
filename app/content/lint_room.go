package content

import (
	"fmt"
	"strings"

	"jiashu/letters"
)

// lintRooms says of every letter without room to spare how many lines it
// is over, or has left, and which methods take most (letters.Room); a
// template without a large-print text is flagged for the reviewer.
func lintRooms(eng *letters.Engine) Problems {
	var out Problems
	rooms, err := eng.Rooms("")
	if err != nil {
		return Problems{{Severity: SeverityError, Message: "无法排版：" + err.Error()}}
	}
	for _, r := range rooms {
		if !r.OK() {
			out = append(out, LintProblem{File: TemplatePath(r.AgeGroup), Severity: SeverityError, Message: r.Message()})
		}
	}
	for _, ag := range letters.AgeGroups() {
		if t, err := eng.Library().Template(ag); err == nil && t.Large == nil {
			out = append(out, LintProblem{File: TemplatePath(ag), Severity: SeverityWarning,
				Message: "没有【大字版】：祖辈家长收到的是普通版的文字放大印出。"})
		}
	}
	return out
}

// lintAlerts reads every method as the families of any class would get it
// as a new-scam alert (its name, 手法 and 防范, each filled like a letter's
// text): a placeholder some class or school has no value for, with no
// "||" fallback, would make publishing the alert refuse, so the reviewer
// is warned.
func lintAlerts(files Files, lib *letters.Library) Problems {
	var out Problems
	bare := letters.RoomLetters(letters.PrimaryLower)[1]
	bare.HeadTeacher = ""
	for _, m := range lib.Methods {
		var missing []string
		for _, text := range AlertTexts(m.Title, AlertBodyOf(m)) {
			err := letters.CheckText(text)
			if err == nil {
				_, err = letters.FillText(text, bare)
			}
			if fe, ok := err.(*letters.FillError); ok {
				missing = append(missing, fe.Missing...)
				missing = append(missing, fe.Unknown...)
			}
		}
		if len(missing) > 0 {
			out = append(out, LintProblem{File: MethodsPath, Line: methodLine(files[MethodsPath], m.ID), Severity: SeverityWarning,
				Message: fmt.Sprintf("手法“%s”作为新骗局提醒发给家长时，%s在有的班级或学校没有值（没有班主任、没填学校信息）：发布这条提醒会被拒绝。请用“||”给出备选文字。",
					m.Title, strings.Join(missing, "、"))})
		}
	}
	return out
}

// AlertBodyOf is the text of an alert made from method m: its 手法 and its
// 防范, one paragraph each.
func AlertBodyOf(m letters.Method) string {
	return strings.TrimSpace(m.How) + "\n" + strings.TrimSpace(m.Guard)
}

// AlertTexts are the texts of an alert filled one by one: its title and
// each paragraph of its body ("A || B" is a choice within one paragraph).
func AlertTexts(title, body string) []string {
	out := []string{title}
	for _, p := range strings.Split(body, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// methodLine is the line of methods.txt where method id starts (0 when
// not found).
func methodLine(src, id string) int {
	for i, ln := range strings.Split(src, "\n") {
		if strings.TrimSpace(ln) == "【"+id+"】" {
			return i + 1
		}
	}
	return 0
}
