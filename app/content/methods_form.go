package content

import (
	"regexp"
	"strings"
)

// MethodForm is one method as the editor's form shows it.
type MethodForm struct {
	ID, Title, How, Guard, Case, Source, Brief string
	AgeGroups                                  []string
}

var sourceRE = regexp.MustCompile(`（来源：([^）]*)）$`)

// MethodForms reads the methods of methods.txt leniently, in file order.
func MethodForms(src string) []MethodForm {
	ids, by := methodsOf(src)
	out := make([]MethodForm, 0, len(ids))
	for _, id := range ids {
		m := by[id]
		f := MethodForm{ID: id, Title: m["名称"], How: m["手法"], Guard: m["防范"], Case: m["案例"], Brief: m["提醒"]}
		if s := sourceRE.FindStringSubmatch(f.Case); s != nil {
			f.Source, f.Case = s[1], strings.TrimSuffix(f.Case, s[0])
		}
		f.AgeGroups = append(f.AgeGroups, strings.FieldsFunc(m["年龄段"], func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' })...)
		out = append(out, f)
	}
	return out
}

// text is the method's block in the methods.txt format.
func (f MethodForm) text() string {
	oneLine := func(s string) string { return strings.Join(strings.Fields(s), "") }
	var b strings.Builder
	b.WriteString("【" + f.ID + "】\n")
	b.WriteString("名称: " + strings.TrimSpace(f.Title) + "\n")
	b.WriteString("年龄段: " + strings.Join(f.AgeGroups, ", ") + "\n")
	b.WriteString("手法: " + oneLine(f.How) + "\n")
	b.WriteString("防范: " + oneLine(f.Guard) + "\n")
	if c := oneLine(f.Case); c != "" {
		if s := strings.TrimSpace(f.Source); s != "" {
			c += "（来源：" + s + "）"
		}
		b.WriteString("案例: " + c + "\n")
	}
	if br := oneLine(f.Brief); br != "" {
		b.WriteString("提醒: " + br + "\n")
	}
	return b.String()
}

// SetMethod returns methods.txt with f's block replaced (or appended when
// its id is new); the rest of the file, comments included, is kept.
func SetMethod(src string, f MethodForm) string {
	lines := strings.Split(src, "\n")
	start, end := -1, len(lines)
	for i, ln := range lines {
		t := strings.TrimSpace(ln)
		if t == "【"+f.ID+"】" {
			start = i
			continue
		}
		if start >= 0 && i > start && strings.HasPrefix(t, "【") {
			end = i
			break
		}
	}
	block := strings.Split(strings.TrimRight(f.text(), "\n"), "\n")
	if start < 0 {
		return strings.TrimRight(src, "\n") + "\n\n" + strings.Join(block, "\n") + "\n"
	}
	for end > start+1 && strings.TrimSpace(lines[end-1]) == "" {
		end--
	}
	out := append(append(append([]string{}, lines[:start]...), block...), lines[end:]...)
	return strings.Join(out, "\n")
}
