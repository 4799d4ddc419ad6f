package store

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"jiashu/problem"
)

// Text from forms, rosters and the API reaches the database here. Control
// characters are invisible on a page and in a letter, a NUL byte is refused
// by PostgreSQL's text type (an internal error) and cut short by C code
// reading SQLite's: so the store refuses them on both databases with a typed
// error, and CheckText is the same test for the app to run on every text
// field before it gets this far.

// ErrControlCharacter: a text held a control character or invalid UTF-8.
var ErrControlCharacter = errors.New("store: control character in text")

// TextError is a refused text field with the Chinese message to show.
type TextError struct {
	Field    string // the field's name, as the caller gave it
	Position int    // 1-based character position of the first bad character
	Rune     rune   // the character (utf8.RuneError for invalid UTF-8)
	Message  string
}

func (e *TextError) Error() string {
	return fmt.Sprintf("store: %s: character %d (%U): %s", e.Field, e.Position, e.Rune, e.Message)
}

// Unwrap makes errors.Is(err, ErrControlCharacter) true, and the error a
// failure people can act on (problem.Invalid, reason "control_character").
func (e *TextError) Unwrap() []error {
	return []error{ErrControlCharacter, &problem.Error{Code: problem.Invalid, Reason: "control_character", Message: e.Message}}
}

// CheckText refuses a value holding NUL or another control character (C0,
// DEL, C1), a bidirectional embedding, override or isolate, or invalid
// UTF-8. A multi-line field (a letter template, a note) may hold tabs and
// line breaks; a single-line one may not.
func CheckText(field, value string, multiline bool) error {
	pos := 0
	for i, r := range value {
		pos++
		var msg string
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(value[i:], "\uFFFD"):
			msg = "第 %d 个字符不是有效的文字编码，请重新输入（不要从别的软件粘贴）。"
		case isControl(r) && !(multiline && (r == '\t' || r == '\n' || r == '\r')):
			msg = "第 %d 个字符是看不见的控制字符，请删掉后再提交（从别处复制粘贴时常会带进这种字符）。"
		case isBidiControl(r):
			msg = "第 %d 个字符是看不见的文字方向控制符，会把前后文字的显示顺序颠倒，请删掉后再提交。"
		default:
			continue
		}
		return &TextError{Field: field, Position: pos, Rune: r, Message: fmt.Sprintf(msg, pos)}
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r >= 0x7f && r <= 0x9f }

// isBidiControl: the embeddings, overrides and isolates of Unicode's
// bidirectional algorithm (U+202A–U+202E, U+2066–U+2069). Invisible, they
// reorder the text around them: a name, a phone or a sum on a page, a
// letter or a spreadsheet would read other than it is.
func isBidiControl(r rune) bool { return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 }

// checkTexts runs CheckText over single-line fields given as name, value
// pairs, returning the first refusal.
func checkTexts(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := CheckText(pairs[i], pairs[i+1], false); err != nil {
			return err
		}
	}
	return nil
}

// cleanLogText makes a text safe to store where refusing it would lose a
// record (the audit log, a gateway's error): control characters other than
// tab and line breaks become U+FFFD, and so do bidirectional controls and
// invalid UTF-8.
func cleanLogText(s string) string {
	if CheckText("", s, true) == nil {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) && r != '\t' && r != '\n' && r != '\r' || isBidiControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
