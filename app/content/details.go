package content

import (
	"fmt"
	"regexp"
	"strings"

	"jiashu/letters"
	"jiashu/problem"
	"jiashu/store"
)

var (
	mobileRE   = regexp.MustCompile(`^1[3-9]\d{9}$`)
	landlineRE = regexp.MustCompile(`^(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?$`)
	serviceRE  = regexp.MustCompile(`^[48]00-?\d{3}-?\d{4}$`)
)

// ValidPhone says whether s is a mobile, a landline (with or without area
// code and extension) or a 400/800 number.
func ValidPhone(s string) bool {
	return mobileRE.MatchString(s) || landlineRE.MatchString(s) || serviceRE.MatchString(s)
}

// CheckDetails trims a school's details and checks them; a problem is in
// Chinese and names the field.
func CheckDetails(d store.SchoolDetails) (store.SchoolDetails, error) {
	d.Phone, d.FeeRule = normPhone(d.Phone), strings.TrimSpace(d.FeeRule)
	d.PoliceStation, d.PolicePhone = strings.TrimSpace(d.PoliceStation), normPhone(d.PolicePhone)
	switch {
	case d.Phone != "" && !ValidPhone(d.Phone):
		return d, Problem{Message: "学校电话“" + d.Phone + "”不是有效的电话号码（如 023-12345678 或 13800138000）。"}
	case d.PolicePhone != "" && !ValidPhone(d.PolicePhone):
		return d, Problem{Message: "派出所电话“" + d.PolicePhone + "”不是有效的电话号码（如 023-12345678）。"}
	case len([]rune(d.FeeRule)) > 60:
		return d, Problem{Message: "收费说明请写在60字以内（现在有" + fmt.Sprint(len([]rune(d.FeeRule))) + "字）。"}
	case len([]rune(d.PoliceStation)) > 30:
		return d, Problem{Message: "派出所名称请写在30字以内。"}
	case strings.ContainsAny(d.FeeRule+d.PoliceStation, "{}"):
		return d, Problem{Message: "学校信息中不能有 { } 符号。"}
	case formulaLike(d.FeeRule):
		return d, Problem{Message: "收费说明不能以 = + - @ 开头：导出到电子表格时会被当作公式执行。请改写开头。"}
	case formulaLike(d.PoliceStation):
		return d, Problem{Message: "派出所名称不能以 = + - @ 开头：导出到电子表格时会被当作公式执行。请改写开头。"}
	}
	return d, nil
}

// formulaLike says whether a spreadsheet would run s as a formula (=, +,
// - or @ first, as in =HYPERLINK(…)): school details are printed on every
// letter and go into exports, and a text is never meant to start so.
func formulaLike(s string) bool {
	return s != "" && strings.ContainsRune("=+-@", rune(s[0]))
}

// normPhone removes spaces and turns full-width digits and dashes into ASCII.
func normPhone(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '－' || r == '—' || r == '–':
			return '-'
		case r == ' ' || r == '\u3000':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// Fill copies a school's details into a letter.
func Fill(l *letters.Letter, d store.SchoolDetails) {
	l.SchoolPhone, l.FeeRule, l.PoliceStation, l.PolicePhone = d.Phone, d.FeeRule, d.PoliceStation, d.PolicePhone
}

// MissingDetailsProblem refuses a school's letters whose templates need
// details the school has not filled in (missing: their placeholders, e.g.
// {派出所}); nothing is printed.
func MissingDetailsProblem(school string, missing []string) *problem.Error {
	return &problem.Error{Code: problem.Conflict, Reason: "school_details_missing",
		Message: fmt.Sprintf("%s的家书要用到学校信息%s，但学校还没有填写：请学校管理员先在“学校信息”页填写，再生成家书。",
			school, strings.Join(missing, "、"))}
}

// MissingDetails lists the details t needs that d lacks.
func MissingDetails(t *letters.Template, d store.SchoolDetails) []string {
	have := detailValues(d)
	var out []string
	for _, p := range t.Needs(letters.SchoolDetailPlaceholders()) {
		if strings.TrimSpace(have[p]) == "" {
			out = append(out, p)
		}
	}
	return out
}
