package sms

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Template is a text as the provider approved it, with its variables bound
// to the app's fields.
type Template struct {
	Rules Rules
	// Code is the provider's template code or ID ("SMS_123456789",
	// "1110"); "" for the JSON gateway.
	Code string
	// Sign is the approved signature without its brackets ("城东实验学校").
	Sign string
	// Text is the approved text, variables and all.
	Text string
	// Vars are the variables in order of first appearance.
	Vars  []Var
	parts []part
}

// Var is one variable of a template.
type Var struct {
	Name  string // "school" for ${school}, "1" for {1}
	Field string // the app's field it carries (FieldSchool …)
	// Prefix is the fixed URL just before a link variable of a LinkTail
	// provider ("https://jiashu.example.cn/a/"); the variable holds the
	// rest of the link.
	Prefix string
}

// Link says whether the variable carries the letter's link.
func (v Var) Link() bool { return v.Field == FieldLink }

type part struct {
	lit string
	v   int // index into Vars, -1 for a literal
}

// TemplateError is a template the provider would refuse, or a binding
// that does not fit it. Message is Chinese, for the settings page.
type TemplateError struct{ Message string }

func (e *TemplateError) Error() string { return "sms: template: " + e.Message }

func terr(format string, a ...any) error { return &TemplateError{fmt.Sprintf(format, a...)} }

var (
	namedVar    = regexp.MustCompile(`\$\{([A-Za-z0-9_]+)\}`)
	numberedVar = regexp.MustCompile(`\{([0-9]+)\}`)
	trailingURL = regexp.MustCompile(`https?://[A-Za-z0-9.:-]+(/[A-Za-z0-9._~/?=&%#-]*)?$`)
)

// ParseTemplate reads an approved template text under the provider's
// rules. bind maps variables to fields ("1" → "school"); a ${name}
// variable whose name is a field needs none.
func ParseTemplate(r Rules, code, sign, text string, bind map[string]string) (*Template, error) {
	t := &Template{Rules: r, Code: strings.TrimSpace(code), Sign: strings.TrimSpace(sign), Text: text}
	if err := t.checkText(); err != nil {
		return nil, err
	}
	if err := t.split(); err != nil {
		return nil, err
	}
	if err := t.bind(bind); err != nil {
		return nil, err
	}
	return t, t.checkLinks()
}

func (t *Template) checkText() error {
	switch {
	case strings.TrimSpace(t.Text) == "":
		return terr("模板内容为空")
	case Length(t.Text) > MaxLength:
		return terr("模板内容超过 %d 字", MaxLength)
	case hasBrackets(t.Text):
		return terr("模板内容不能含【】（平台用它标出签名）")
	case t.Rules.Signed && t.Sign == "":
		return terr("缺少短信签名")
	case hasBrackets(t.Sign):
		return terr("签名不要带【】，只填名称，如 城东实验学校")
	case t.Rules.Provider != "http" && t.Code == "":
		return terr("缺少模板编号（模板 CODE 或模板 ID）")
	}
	return nil
}

// split cuts the text into literals and variables.
func (t *Template) split() error {
	re := namedVar
	if t.Rules.Syntax == Numbered {
		re = numberedVar
	}
	index := map[string]int{}
	last, literal := 0, false
	prevVar := false
	for _, m := range re.FindAllStringSubmatchIndex(t.Text, -1) {
		if m[0] > last {
			t.parts = append(t.parts, part{lit: t.Text[last:m[0]], v: -1})
			literal = literal || strings.TrimFunc(t.Text[last:m[0]], unicode.IsSpace) != ""
			prevVar = false
		}
		if prevVar && t.Rules.NoAdjacent {
			return terr("两个变量不能相邻（%s），变量之间要有文字", t.Text[m[0]:m[1]])
		}
		name := t.Text[m[2]:m[3]]
		i, ok := index[name]
		if !ok {
			i = len(t.Vars)
			index[name] = i
			t.Vars = append(t.Vars, Var{Name: name})
		}
		t.parts = append(t.parts, part{v: i})
		last, prevVar = m[1], true
	}
	if last < len(t.Text) {
		t.parts = append(t.parts, part{lit: t.Text[last:], v: -1})
		literal = literal || strings.TrimFunc(t.Text[last:], unicode.IsSpace) != ""
	}
	if !literal {
		return terr("模板不能全是变量")
	}
	if t.Rules.Syntax == Named && strings.Contains(namedVar.ReplaceAllString(t.Text, ""), "${") {
		return terr("变量写法不对：变量写成 ${名称}，名称只用字母、数字和下划线")
	}
	if t.Rules.Syntax == Numbered {
		for i := range t.Vars {
			if _, ok := index[strconv.Itoa(i+1)]; !ok {
				return terr("变量要从 {1} 开始连续编号，缺少 {%d}", i+1)
			}
		}
	}
	return nil
}

// bind gives every variable its field.
func (t *Template) bind(bind map[string]string) error {
	for name := range bind {
		if !slices.ContainsFunc(t.Vars, func(v Var) bool { return v.Name == name }) {
			return terr("模板中没有变量 %s", t.varLabel(name))
		}
	}
	for i := range t.Vars {
		v := &t.Vars[i]
		v.Field = bind[v.Name]
		if v.Field == "" && t.Rules.Syntax == Named {
			v.Field = v.Name
		}
		if _, ok := FieldLabels[v.Field]; !ok {
			return terr("变量 %s 不对应任何内容：请指定它填什么（%s）", t.varLabel(v.Name), fieldList())
		}
	}
	return nil
}

// checkLinks applies the provider's link rule to the template.
func (t *Template) checkLinks() error {
	for i, p := range t.parts {
		if p.v < 0 {
			continue
		}
		v := &t.Vars[p.v]
		prefix := ""
		if i > 0 && t.parts[i-1].v < 0 {
			prefix = trailingURL.FindString(t.parts[i-1].lit)
		}
		switch t.Rules.Link {
		case LinkNone:
			if v.Link() {
				return terr("%s不允许在变量中传链接：请把网址写进模板（如 https://你的域名/a），用确认码变量（code）", providerLabel(t.Rules.Provider))
			}
			if prefix != "" {
				return terr("%s不允许网址中含变量（%s%s）：网址要整段固定写在模板里", providerLabel(t.Rules.Provider), prefix, t.varLabel(v.Name))
			}
		case LinkTail:
			if v.Link() && prefix == "" {
				return terr("链接变量 %s 前要有模板中固定的网址（如 https://你的域名/a/%s）", t.varLabel(v.Name), t.varLabel(v.Name))
			}
			if prefix != "" && !v.Link() {
				return terr("网址后的变量 %s 只能是家书链接（link）", t.varLabel(v.Name))
			}
			if v.Link() {
				if v.Prefix != "" && v.Prefix != prefix {
					return terr("链接变量 %s 前的网址前后不一致", t.varLabel(v.Name))
				}
				v.Prefix = prefix
			}
		}
	}
	return nil
}

func (t *Template) varLabel(name string) string {
	if t.Rules.Syntax == Numbered {
		return "{" + name + "}"
	}
	return "${" + name + "}"
}

func fieldList() string {
	var s []string
	for _, f := range []string{FieldSchool, FieldTeacher, FieldStudent, FieldClass, FieldCode, FieldLink, FieldTitle} {
		s = append(s, f+" "+FieldLabels[f])
	}
	return strings.Join(s, "，")
}

func providerLabel(p string) string {
	switch p {
	case "aliyun":
		return "阿里云短信"
	case "tencent":
		return "腾讯云短信"
	}
	return "短信网关"
}
