// Package grade understands the ways Chinese schools write grades and
// classes (三年级, 初一, 高二, （3）班 …) and maps grades to the age groups
// the letters are written for.
package grade

import (
	"strconv"
	"strings"
	"unicode"
)

// chineseDigits maps the numerals used in grade and class names to values.
var chineseDigits = map[rune]int{
	'〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5,
	'六': 6, '七': 7, '八': 8, '九': 9, '十': 10,
}

// Normalize folds full-width ASCII (digits, letters, brackets, colon, space)
// to half-width and trims spaces, so that "（２）班" and "(2)班" compare equal.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '！' && r <= '～':
			r -= 0xFEE0
		case r == '\u3000':
			r = ' '
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// parseNumber reads a small number written in Arabic digits or Chinese
// numerals up to 99 (十二, 二十, 二十一). It returns false for anything else.
func parseNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n, n >= 0
	}
	rs := []rune(s)
	if len(rs) > 3 {
		return 0, false
	}
	vals := make([]int, len(rs))
	for i, r := range rs {
		v, ok := chineseDigits[r]
		if !ok {
			return 0, false
		}
		vals[i] = v
	}
	switch len(vals) {
	case 1:
		return vals[0], true
	case 2:
		if vals[0] == 10 && vals[1] < 10 { // 十二
			return 10 + vals[1], true
		}
		if vals[0] < 10 && vals[0] > 0 && vals[1] == 10 { // 二十
			return vals[0] * 10, true
		}
	case 3:
		if vals[0] > 0 && vals[0] < 10 && vals[1] == 10 && vals[2] < 10 { // 二十一
			return vals[0]*10 + vals[2], true
		}
	}
	return 0, false
}

// stagePrefixes are the school stages that restart grade counting.
var stagePrefixes = []struct {
	prefix string
	offset int
}{
	{"小学", 0}, {"初中", 6}, {"初", 6}, {"高中", 9}, {"高", 9},
}

// Parse reads a grade: 一年级, 1年级, 三年级, 初一, 初中二年级, 七年级, 高一,
// 高三, 1, 一, full-width digits too. It returns 1–12.
func Parse(s string) (int, bool) {
	s = strings.ReplaceAll(Normalize(s), " ", "")
	s = strings.TrimSuffix(s, "级")
	s = strings.TrimSuffix(s, "年")
	offset := 0
	for _, p := range stagePrefixes {
		if rest, ok := strings.CutPrefix(s, p.prefix); ok && rest != "" {
			offset, s = p.offset, rest
			break
		}
	}
	n, ok := parseNumber(s)
	if !ok || n < 1 {
		return 0, false
	}
	if offset > 0 && n > 3 {
		// 初中七年级 or 高中10年级: the number already counts from grade 1.
		if n > offset && n <= offset+3 {
			return n, true
		}
		return 0, false
	}
	n += offset
	if n > 12 {
		return 0, false
	}
	return n, true
}

// ParseClassNumber reads a class number: 2班, (2)班, （2）班, 2, ２, 二班.
func ParseClassNumber(s string) (int, bool) {
	s = strings.ReplaceAll(Normalize(s), " ", "")
	s = strings.TrimSuffix(s, "班")
	s = strings.TrimPrefix(s, "(")
	s = strings.TrimSuffix(s, ")")
	s = strings.TrimPrefix(s, "第")
	n, ok := parseNumber(s)
	if !ok || n < 1 || n > 99 {
		return 0, false
	}
	return n, true
}

// ParseClassName reads a full class name: 三年级2班, 四年级（3）班, 初一(2)班,
// 高二3班, "班级：四年级（3）班", "五年级（3）班 学生家长联系表", 三（2） without
// 班, and the short forms 7-2, 3.2 and 302 (grade then two-digit class). It
// finds the first grade+class pair in the text. A number is never split in
// two: "2024级3班" names an entry year, not a grade, and is not a class.
func ParseClassName(s string) (grade, class int, ok bool) {
	s = Normalize(s)
	if g, c, ok := parseShortForm(s); ok {
		return g, c, true
	}
	compact := strings.ReplaceAll(s, " ", "")
	if g, c, ok := parseWithBan([]rune(compact)); ok {
		return g, c, true
	}
	// 三（2）, 3(2): the class in brackets right after the grade, 班 left out.
	if strings.HasSuffix(compact, ")") {
		return parseWithBan([]rune(compact + "班"))
	}
	return 0, 0, false
}

// parseWithBan finds "<grade><class>班" in rs.
func parseWithBan(rs []rune) (grade, class int, ok bool) {
	// Look for "...班" and split it into a grade part and a class part.
	for i, r := range rs {
		if r != '班' {
			continue
		}
		// The class part: digits/numerals/brackets right before 班. Try the
		// longest run first, so that 三年级12班 is class 12, then shorter
		// ones, so that 初一2班 leaves 一 to the grade.
		start := i
		for start > 0 && isClassRune(rs[start-1]) {
			start--
		}
		for j := start; j < i; j++ {
			if j > 0 && isASCIIDigit(rs[j-1]) && isASCIIDigit(rs[j]) {
				continue // "2025)班" is not class 25 of grade 2
			}
			c, okc := ParseClassNumber(string(rs[j:i]))
			if !okc {
				continue
			}
			// The grade part: the longest suffix of rs[:j] that parses as a
			// grade, never the tail of a longer number (2024级).
			head := rs[:j]
			for k := 0; k < len(head); k++ {
				if k > 0 && isASCIIDigit(head[k-1]) && isASCIIDigit(head[k]) {
					continue
				}
				if g, okg := Parse(string(head[k:])); okg {
					return g, c, true
				}
			}
		}
	}
	return 0, 0, false
}

// isClassRune reports whether r may be part of a class number before 班.
func isClassRune(r rune) bool {
	if unicode.IsDigit(r) || r == '(' || r == ')' {
		return true
	}
	_, ok := chineseDigits[r]
	return ok
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

// parseShortForm reads "7-2", "7.2", "7_2", "7/2", and three or four digits
// written as grade then a two-digit class: 302, 0302, 1203.
func parseShortForm(s string) (int, int, bool) {
	if n := len(s); (n == 3 || n == 4) && strings.IndexFunc(s, func(r rune) bool { return !isASCIIDigit(r) }) < 0 {
		g, _ := strconv.Atoi(s[:n-2])
		c, _ := strconv.Atoi(s[n-2:])
		if g >= 1 && g <= 12 && c >= 1 && c <= 99 {
			return g, c, true
		}
		return 0, 0, false
	}
	for _, sep := range []string{"-", ".", "_", "/"} {
		a, b, found := strings.Cut(s, sep)
		if !found {
			continue
		}
		g, err1 := strconv.Atoi(a)
		c, err2 := strconv.Atoi(b)
		if err1 == nil && err2 == nil && g >= 1 && g <= 12 && c >= 1 && c <= 99 {
			return g, c, true
		}
	}
	return 0, 0, false
}

var numerals = []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// Name is the display name of a grade: 一年级 … 六年级, 七年级 … 九年级,
// 高一 … 高三. It returns "" outside 1–12.
func Name(g int) string {
	switch {
	case g >= 1 && g <= 9:
		return numerals[g] + "年级"
	case g >= 10 && g <= 12:
		return "高" + numerals[g-9]
	}
	return ""
}

// ClassName is the display name of a class, e.g. ClassName(3, 2) = "三年级2班".
func ClassName(g, c int) string {
	return Name(g) + strconv.Itoa(c) + "班"
}
