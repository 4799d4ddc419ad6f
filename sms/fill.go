package sms

import (
	"fmt"
	"strings"
)

// Problem is a value that does not fit a template variable, or a filled
// text the provider would refuse. Message is Chinese, for the teacher.
type Problem struct {
	Var     string // the variable as written (${student}, {2}); "" for the whole text
	Field   string
	Code    string // missing, too_long, has_link, brackets, symbols, link_mismatch, text_too_long
	Message string
}

func (p Problem) Error() string { return "sms: " + p.Code + ": " + p.Message }

// Fill makes the text one family receives: every variable from fields,
// checked against the provider's rules, and the 【signature】 in front.
// A text with problems is not to be sent.
func (t *Template) Fill(key, phone string, fields map[string]string) (Text, []Problem) {
	txt := Text{Key: key, Phone: phone, Params: make(map[string]string, len(t.Vars))}
	var probs []Problem
	for _, v := range t.Vars {
		val, p := t.value(v, strings.TrimSpace(fields[v.Field]))
		if p != nil {
			probs = append(probs, *p)
			continue
		}
		txt.Params[v.Name] = val
	}
	var b strings.Builder
	if t.Rules.Signed || t.Sign != "" {
		b.WriteString("【" + t.Sign + "】")
	}
	for _, p := range t.parts {
		if p.v < 0 {
			b.WriteString(p.lit)
		} else {
			b.WriteString(txt.Params[t.Vars[p.v].Name])
		}
	}
	txt.Body = b.String()
	if n := Length(txt.Body); n > MaxLength {
		probs = append(probs, Problem{Code: "text_too_long", Message: fmt.Sprintf("短信共 %d 字，超过平台上限 %d 字", n, MaxLength)})
	}
	return txt, probs
}

// value is what variable v receives for the field's value.
func (t *Template) value(v Var, val string) (string, *Problem) {
	label := t.varLabel(v.Name)
	what := FieldLabels[v.Field]
	bad := func(code, format string, a ...any) (string, *Problem) {
		return "", &Problem{Var: label, Field: v.Field, Code: code,
			Message: fmt.Sprintf("变量 %s（%s）", label, what) + fmt.Sprintf(format, a...)}
	}
	if val == "" {
		return bad("missing", "为空")
	}
	if v.Link() {
		switch t.Rules.Link {
		case LinkTail:
			tail, ok := strings.CutPrefix(val, v.Prefix)
			if !ok || tail == "" || !tailChars.MatchString(tail) {
				return bad("link_mismatch", "：链接 %s 与模板中固定的网址 %s 不一致（检查 --base-url）", val, v.Prefix)
			}
			val = tail
		case LinkWhole:
			if !strings.HasPrefix(val, "http://") && !strings.HasPrefix(val, "https://") {
				return bad("link_mismatch", "不是网址")
			}
			return val, nil
		}
	}
	if t.Rules.Strict {
		switch {
		case hasBrackets(val):
			return bad("brackets", "含【】，平台会误认作签名")
		case hasSymbol(val):
			return bad("symbols", "含平台不接受的符号（如 ★ ※ ¥）")
		case !v.Link() && urlish.MatchString(val):
			return bad("has_link", "含网址，平台只允许网址出现在链接变量或模板固定文字中")
		}
	}
	if n := Length(val); t.Rules.MaxVar > 0 && n > t.Rules.MaxVar {
		return bad("too_long", "有 %d 字，%s每个变量最多 %d 字", n, providerLabel(t.Rules.Provider), t.Rules.MaxVar)
	}
	return val, nil
}
