package roster

import (
	"strings"
	"unicode"
)

// A phone cell that says the guardian has no phone — in the ways teachers
// write that (无, 没有, 暂无, 不详, --, 无手机, 老人无手机 …) — is "no phone":
// the family gets the paper letter and the roster says so as a warning. It
// is never an invalid number, which would drop the student.

// noPhoneWords are cell texts (after noPhoneKey) that mean "no phone".
var noPhoneWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`无 没有 没 暂无 不详 未知 不知道 不清楚 空 缺 无号码 无号 无电话 没电话 没有电话 无手机 没手机
		没有手机 无手机号 无手机号码 没有手机号 暂无手机 暂无号码 暂无电话 家长无手机 老人无手机 无联系方式 没有联系方式 未提供 未填 不提供
		无人 停机 空号 na n/a none nil null`) {
		noPhoneWords[noPhoneKey(w)] = true
	}
}

// noPhoneKey lower-cases s and drops spaces, brackets and punctuation, so
// that （无）, 无。 and "N/A" read alike.
func noPhoneKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsSpace(r) || unicode.IsPunct(r) && r != '/' || strings.ContainsRune("（）()【】[]", r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isNoPhone says whether a phone cell (already normalised) says there is
// no phone: a word of noPhoneWords, or nothing but dashes, slashes, dots
// and zeros (--, ——, /, 0, 000).
func isNoPhone(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	if strings.Trim(s, "-—–_－/／.。·0 ") == "" {
		return true
	}
	return noPhoneWords[noPhoneKey(s)]
}
