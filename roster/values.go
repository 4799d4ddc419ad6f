package roster

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"jiashu/grade"
)

// middleDots are the look-alikes of the middle dot in names such as 阿卜杜拉·买买提.
var middleDots = map[rune]bool{
	'•': true, '・': true, '‧': true, '∙': true, '･': true, '⋅': true, '·': true, '᛫': true, '⸱': true, '\u0387': true,
}

// cleanName trims, removes line breaks and the spaces teachers type to align
// two-character names (张  三), keeps single spaces between Latin words, and
// folds middle-dot variants to U+00B7.
func cleanName(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s))
	var prev rune
	pendingSpace := false
	for _, r := range s {
		switch {
		case r == '\r' || r == '\n' || r == '\t' || r == '\u200b' || r == '\ufeff':
			continue
		case r == ' ' || r == '\u3000' || r == '\u00a0':
			pendingSpace = true
			continue
		case middleDots[r]:
			r = '·'
		}
		if pendingSpace && prev != 0 && isLatin(prev) && isLatin(r) {
			b.WriteByte(' ')
		}
		pendingSpace = false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

func isLatin(r rune) bool { return r < 0x2E80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

// cleanNumber normalises a student number: half-width, no spaces; numbers in
// scientific notation are expanded to their digits.
func cleanNumber(s string) string {
	s = strings.ReplaceAll(grade.Normalize(s), " ", "")
	if isScientific(s) {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 1 && f < 1e21 {
			return strconv.FormatFloat(math.Round(f), 'f', 0, 64)
		}
	}
	return s
}

// isScientific reports whether s looks like 1.23E+17, the way excelize
// formats a number of more than 15 digits.
func isScientific(s string) bool {
	i := strings.IndexAny(s, "Ee")
	if i <= 0 || i+2 > len(s) || (s[i+1] != '+' && s[i+1] != '-') {
		return false
	}
	for _, r := range s[:i] {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	for _, r := range s[i+2:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// cleanGender reads 男/女 and their common spellings.
func cleanGender(s string) (string, bool) {
	switch strings.ToLower(strings.ReplaceAll(grade.Normalize(s), " ", "")) {
	case "":
		return "", true
	case "男", "男生", "男性", "m", "male", "男孩":
		return "男", true
	case "女", "女生", "女性", "f", "female", "女孩":
		return "女", true
	}
	return "", false
}

// excelEpoch is day 0 of Excel's 1900 date system (with its 1900 leap-year bug).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// cleanDate reads a birth date written as yyyy-mm-dd, 2010/1/5, 2010.1.5,
// 2010年1月5日, 20100105 or an Excel serial number (a date typed into a
// cell without a date format). It returns "2010-01-05". A 出生年月 column
// often holds only the month (2016.01, 2016年2月, 2016-03, 201604): that
// reads as the 1st of the month, the only way to keep it in a date.
func cleanDate(s string) (string, bool) {
	s = strings.ReplaceAll(grade.Normalize(s), " ", "")
	if s == "" {
		return "", true
	}
	if y, m, ok := yearMonth(s); ok {
		return fmt.Sprintf("%04d-%02d-01", y, m), true
	}
	// A date cell with a time part: 2010-01-05 00:00:00 or 2010-01-05T00:00:00.
	if i := strings.IndexAny(s, "T"); i > 0 {
		s = s[:i]
	}
	if i := strings.Index(s, "00:00"); i > 0 {
		s = s[:i]
	}
	var y, m, d int
	switch {
	case len(s) == 8 && allDigits(s):
		y, _ = strconv.Atoi(s[:4])
		m, _ = strconv.Atoi(s[4:6])
		d, _ = strconv.Atoi(s[6:])
	case allDigits(strings.TrimSuffix(s, ".0")) || (strings.Contains(s, ".") && !strings.Contains(s[strings.Index(s, ".")+1:], ".") && len(s) <= 9 && !strings.ContainsAny(s, "-/年")):
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 1 || f > 80000 {
			return "", false
		}
		t := excelEpoch.AddDate(0, 0, int(f))
		y, m, d = t.Year(), int(t.Month()), t.Day()
	default:
		s = strings.NewReplacer("年", "-", "月", "-", "日", "", "号", "", "/", "-", ".", "-").Replace(s)
		parts := strings.Split(strings.Trim(s, "-"), "-")
		if len(parts) != 3 {
			return "", false
		}
		var err1, err2, err3 error
		y, err1 = strconv.Atoi(parts[0])
		m, err2 = strconv.Atoi(parts[1])
		d, err3 = strconv.Atoi(parts[2])
		if err1 != nil || err2 != nil || err3 != nil {
			return "", false
		}
		if y < 100 && d > 31 { // m-d-yy is not a thing here, but yy-m-d … d-m-yyyy
			return "", false
		}
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d || y < 1950 || y > 2100 {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), true
}

// yearMonth reads a year and month without a day: 2016.01, 2016.1,
// 2016-01, 2016/1, 2016年1月, 201601.
func yearMonth(s string) (int, int, bool) {
	var ys, ms string
	if len(s) == 6 && allDigits(s) {
		ys, ms = s[:4], s[4:]
	} else {
		s = strings.TrimSuffix(s, "月")
		i := strings.IndexAny(s, ".-/年")
		if i != 4 {
			return 0, 0, false
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		ys, ms = s[:i], s[i+size:]
		if len(ms) == 0 || len(ms) > 2 {
			return 0, 0, false
		}
	}
	if !allDigits(ys) || !allDigits(ms) {
		return 0, 0, false
	}
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	if y < 1950 || y > 2100 || m < 1 || m > 12 {
		return 0, 0, false
	}
	return y, m, true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// summaryPrefixes start the total rows under a table.
var summaryPrefixes = []string{"合计", "总计", "共计", "小计", "总人数", "人数", "统计", "本班共", "全班共", "共有"}

func isSummary(s string) bool {
	s = strings.TrimSpace(s)
	for _, p := range summaryPrefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// notePrefixes start free-text lines under a table (注：…, 说明 …, 填表人 …).
var notePrefixes = []string{"注", "说明", "备注", "填表", "制表", "审核", "示例", "例："}

func isNote(s string) bool {
	s = strings.TrimSpace(s)
	for _, p := range notePrefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
