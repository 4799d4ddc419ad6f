// Package passwords says which passwords staff may choose: long enough,
// short enough for bcrypt, not among the ones everybody tries first, and
// not built on the account's username. Messages are in Chinese, for the
// forms; the check needs no database.
package passwords

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of a password.
const (
	// MinLength is the fewest characters (not bytes) accepted.
	MinLength = 8
	// MaxBytes is bcrypt's limit: it refuses longer input (and older
	// versions silently ignored the rest). A Chinese character takes 3.
	MaxBytes = 72
)

// Problem codes, stable for the API.
const (
	CodeShort    = "password_short"
	CodeLong     = "password_too_long"
	CodeCommon   = "password_common"
	CodeUsername = "password_contains_username"
)

// Problem is a refused password: a stable code and the message to show.
type Problem struct {
	Code    string
	Message string
}

func (p *Problem) Error() string { return "passwords: " + p.Code + ": " + p.Message }

// Rule is the rule as the forms state it.
var Rule = fmt.Sprintf("密码至少 %d 个字符，最多 %d 个字节（约 %d 个英文字母或数字，或 %d 个汉字）；不能用 123456、5201314、qwerty、woaini 这类常见密码，也不能包含用户名。",
	MinLength, MaxBytes, MaxBytes, MaxBytes/3)

// Check returns nil when pw may be the password of the account username,
// and a *Problem saying why not otherwise.
func Check(pw, username string) error {
	switch n := utf8.RuneCountInString(pw); {
	case n < MinLength:
		return &Problem{CodeShort, fmt.Sprintf("密码太短：至少 %d 个字符，现在只有 %d 个。", MinLength, n)}
	case len(pw) > MaxBytes:
		return &Problem{CodeLong, fmt.Sprintf("密码太长：最多 %d 个字节（约 %d 个英文字母或数字，或 %d 个汉字），现在是 %d 个字节。请缩短一些。",
			MaxBytes, MaxBytes, MaxBytes/3, len(pw))}
	}
	lower := strings.ToLower(pw)
	if u := strings.ToLower(strings.TrimSpace(username)); len(u) >= 2 && strings.Contains(lower, u) {
		return &Problem{CodeUsername, "密码不能包含用户名，别人很容易猜到。请换一个。"}
	}
	if isCommon(lower) {
		return &Problem{CodeCommon, "这个密码太常见（如 123456、5201314、qwerty、woaini 及其变形），很容易被猜中。请换一个，比如几个不相干的词加数字。"}
	}
	return nil
}

//go:embed common.txt
var commonText string

// common is the embedded list as a set.
var common = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonText, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// isCommon says whether the lower-cased password is on the list, is one
// with a year or digits and symbols added at the end (woaini1314!,
// qwerty2024), is digits starting with a listed run (5201314520), is a
// single character repeated, or is a date (19900101).
func isCommon(pw string) bool {
	if common[pw] {
		return true
	}
	if base := strings.TrimRightFunc(pw, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) }); len(base) >= 3 && base != pw && common[base] {
		return true
	}
	if strings.Count(pw, pw[:1]) == len(pw) {
		return true
	}
	if allDigits(pw) {
		for n := 6; n < len(pw); n++ {
			if common[pw[:n]] { // 5201314520, 12345678900
				return true
			}
		}
	}
	return isDate(pw)
}

// isDate says whether pw is a birthday-like YYYYMMDD between 1900 and 2099.
func isDate(pw string) bool {
	if len(pw) != 8 || !allDigits(pw) {
		return false
	}
	y, m, d := pw[:4], pw[4:6], pw[6:]
	return (y[:2] == "19" || y[:2] == "20") && m >= "01" && m <= "12" && d >= "01" && d <= "31"
}

func allDigits(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}
