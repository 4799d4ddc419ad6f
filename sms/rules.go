package sms

import (
	"fmt"
	"regexp"
	"strings"
)

// Syntax is how a provider writes a template's variables.
type Syntax int

const (
	// Named: ${school} (Aliyun; also the JSON gateway's own texts).
	Named Syntax = iota + 1
	// Numbered: {1}{2}, from 1 without gaps (Tencent).
	Numbered
)

// LinkRule says what a variable carrying the letter's link may hold.
type LinkRule int

const (
	// LinkNone: no variable may carry a link; a link must be fixed text
	// of the template (Tencent: "变量不允许透传链接", "不允许设置变量链接").
	LinkNone LinkRule = iota + 1
	// LinkTail: the link variable holds only what follows a URL written
	// fixed in the template just before it (Aliyun's 链接参数 variables).
	LinkTail
	// LinkWhole: the link variable holds the whole URL (the JSON gateway,
	// whose texts are the app's own).
	LinkWhole
)

// Rules are a provider's documented rules for templates and variables.
type Rules struct {
	Provider string
	Syntax   Syntax
	Link     LinkRule
	// MaxVar is the most characters one variable may hold; 0 for no limit.
	MaxVar int
	// NoAdjacent: two variables may not touch ({1}{2}); Tencent refuses
	// such templates.
	NoAdjacent bool
	// Strict: the values face the provider's review rules: no links
	// outside the link variable, no 【】, no symbols such as ★※.
	Strict bool
	// Signed: the provider puts 【signature】 before every text.
	Signed bool
}

// The providers' rules.
//
// Aliyun (通知短信模板规范): variables ${name}; an "其他" variable holds at
// most 35 characters (isv.PARAM_LENGTH_LIMIT past that); no URL in a
// variable (isv.PARAM_NOT_SUPPORT_URL) except a 链接参数 variable after a
// fixed domain; 【】 nowhere in the content.
//
// Tencent (正文模板审核标准): variables {1}{2} numbered from 1; no two
// variables side by side; no link in a variable nor a variable in a link;
// no 【】, ¥, ★ or composed symbols; a personally verified account's
// variables hold at most 12 characters (an organisation's limit is shown on
// the console's template page, 12 is safe for both).
var (
	AliyunRules  = Rules{Provider: "aliyun", Syntax: Named, Link: LinkTail, MaxVar: 35, Strict: true, Signed: true}
	TencentRules = Rules{Provider: "tencent", Syntax: Numbered, Link: LinkNone, MaxVar: 12, NoAdjacent: true, Strict: true, Signed: true}
	GatewayRules = Rules{Provider: "http", Syntax: Named, Link: LinkWhole}
)

// RulesFor is the rules of the provider named as in the settings.
func RulesFor(provider string) (Rules, error) {
	switch provider {
	case "aliyun":
		return AliyunRules, nil
	case "tencent":
		return TencentRules, nil
	case "http":
		return GatewayRules, nil
	}
	return Rules{}, fmt.Errorf("sms: unknown provider %q (aliyun, tencent or http)", provider)
}

// Fields are what the app puts into a template's variables, per family.
// A template variable is bound to one of them (by its name for ${name}
// variables that use these names, or explicitly: 1=school).
const (
	FieldSchool  = "school"  // 学校名称
	FieldTeacher = "teacher" // 班主任（王老师）
	FieldStudent = "student" // 学生姓名，已遮挡（王*明）
	FieldClass   = "class"   // 班级
	FieldCode    = "code"    // 家书确认码
	FieldLink    = "link"    // 家书链接（完整网址）
	FieldTitle   = "title"   // 新骗局预警标题
)

// FieldLabels name the fields in Chinese, for the settings page.
var FieldLabels = map[string]string{
	FieldSchool: "学校名称", FieldTeacher: "班主任", FieldStudent: "学生姓名（已遮挡）", FieldClass: "班级",
	FieldCode: "家书确认码", FieldLink: "家书链接", FieldTitle: "预警标题",
}

var (
	urlish  = regexp.MustCompile(`(?i)(https?://|www\.|[a-z0-9-]+\.(com|cn|net|org|edu|gov|top|xyz|info|io|me|cc|vip|site|link|ly|co)\b)`)
	symbols = "★☆※→←↑↓☞✓✔√■□●○◆◇♥♡¥￥"
	// tailChars are what a link's tail may hold.
	tailChars = regexp.MustCompile(`^[A-Za-z0-9._~/?=&%#-]+$`)
)

// hasSymbol says whether s holds a symbol the providers refuse.
func hasSymbol(s string) bool { return strings.ContainsAny(s, symbols) }

// hasBrackets says whether s holds the signature's brackets.
func hasBrackets(s string) bool { return strings.ContainsAny(s, "【】") }
