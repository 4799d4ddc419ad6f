package roster

import (
	"fmt"
	"strings"
	"unicode"
)

// Names go onto letters, slips and pages. A name that is markup
// (<b>赵</b>六, pasted from a web page), or that hides control characters
// or the characters that reverse the direction of text (which make 赵六
// print as 六赵, or hide part of a name), is imported — it may be all the
// school has — but reported, with what to do, so that the teacher fixes
// it before letters are printed.

// checkName warns about a name the letter would print wrongly: markup,
// hidden characters, or characters the fonts lack.
func (s *sheetReader) checkName(row int, col, text string, warn func(col, value, code, msg string)) {
	if text == "" {
		return
	}
	shown := visible(text)
	switch r, kind := hiddenRune(text); {
	case looksLikeMarkup(text):
		warn(col, shown, "name_markup", fmt.Sprintf("%s“%s”列“%s”像是网页代码（带 <…> 标记），信上会把这些符号原样印出：请改成只有姓名的文字；这一行照常导入。", s.where(row), col, shown))
	case kind == hiddenControl:
		warn(col, shown, "name_control_char", fmt.Sprintf("%s“%s”列“%s”中有看不见的控制字符（%U，显示为“�”），信上可能印成乱码：请删掉这个格子的内容，重新输入姓名；这一行照常导入。", s.where(row), col, shown, r))
	case kind == hiddenBidi:
		warn(col, shown, "name_bidi_char", fmt.Sprintf("%s“%s”列“%s”中有改变文字方向的隐藏字符（%U，显示为“�”），信上的字序可能颠倒：请删掉这个格子的内容，重新输入姓名；这一行照常导入。", s.where(row), col, shown, r))
	default:
		s.checkPrintable(row, col, text, warn)
	}
}

// The kinds of hidden characters.
const (
	hiddenNone = iota
	hiddenControl
	hiddenBidi
)

// hiddenRune finds the first control or direction character of s.
func hiddenRune(s string) (rune, int) {
	for _, r := range s {
		switch {
		case isBidiControl(r):
			return r, hiddenBidi
		case unicode.IsControl(r):
			return r, hiddenControl
		}
	}
	return 0, hiddenNone
}

// isBidiControl reports the characters that change the direction of
// text: the embeddings, overrides and isolates, and the marks.
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}

// visible shows s with its hidden characters as U+FFFD, so that a message
// quoting it shows where they are and cannot itself be reordered.
func visible(s string) string {
	return strings.Map(func(r rune) rune {
		if isBidiControl(r) || unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// looksLikeMarkup reports text holding an HTML or XML tag (<b>, </td>,
// <br/>) or a character entity (&lt; &#36213;).
func looksLikeMarkup(s string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0 && i+1 < len(s); {
		rest := s[i+1:]
		c := rest[0]
		if c == '/' && len(rest) > 1 {
			c = rest[1]
		}
		if ((c|0x20) >= 'a' && (c|0x20) <= 'z') && strings.IndexByte(rest, '>') > 0 {
			return true
		}
		j := strings.IndexByte(rest, '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	for i := strings.IndexByte(s, '&'); i >= 0; {
		rest := s[i+1:]
		end := strings.IndexByte(rest, ';')
		if end > 0 && end <= 8 && isEntityName(rest[:end]) {
			return true
		}
		j := strings.IndexByte(rest, '&')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// isEntityName reports lt, amp, #36213 or #x8d75.
func isEntityName(s string) bool {
	if s[0] == '#' {
		s = strings.TrimPrefix(s[1:], "x")
		return s != "" && strings.Trim(s, "0123456789abcdefABCDEF") == ""
	}
	return strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == ""
}
