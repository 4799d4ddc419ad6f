package letters

import (
	"slices"
	"strings"
)

// FillError is a text FillText or CheckText refuses: placeholders it does
// not know, placeholders without a value for this family (and no "||"
// fallback), or a brace that opens no placeholder.
type FillError struct {
	Unknown []string // e.g. {学生名}
	Missing []string // e.g. {班主任} when the class has none
	Braces  bool
}

// Error says what is wrong in Chinese, for the person who wrote the text.
func (e *FillError) Error() string {
	var parts []string
	if len(e.Unknown) > 0 {
		parts = append(parts, "不认识的占位符"+strings.Join(e.Unknown, "、")+"（可用："+strings.Join(knownPlaceholders, " ")+"）")
	}
	if len(e.Missing) > 0 {
		parts = append(parts, "占位符"+strings.Join(e.Missing, "、")+"没有值，也没有“||”后的备选文字")
	}
	if e.Braces {
		parts = append(parts, "花括号{ }不成对")
	}
	return "letters: " + strings.Join(parts, "；")
}

// CheckText checks a text that will be filled per family (an alert, an
// opening line) without a family: every placeholder must be known and
// every brace must belong to one. It returns a *FillError or nil.
func CheckText(text string) error {
	e := &FillError{}
	for _, p := range placeholderRE.FindAllString(text, -1) {
		if !slices.Contains(knownPlaceholders, p) && !slices.Contains(e.Unknown, p) {
			e.Unknown = append(e.Unknown, p)
		}
	}
	rest := placeholderRE.ReplaceAllString(text, "")
	e.Braces = strings.ContainsAny(rest, "{}")
	if len(e.Unknown) > 0 || e.Braces {
		return e
	}
	return nil
}

// FillText resolves a text's placeholders for one family as its letter
// would ("A || B" included; Letter.Web for a screen): a new-scam alert, a
// campaign's opening line. It refuses with a *FillError what would reach a
// parent raw or half empty: an unknown placeholder, or one this family has
// no value for where the text offers no fallback. Texts are trimmed.
func FillText(text string, l Letter) (string, error) {
	if err := CheckText(text); err != nil {
		return "", err
	}
	f := newFiller(l, false)
	chosen := f.choose(text)
	var missing []string
	for _, p := range placeholderRE.FindAllString(chosen, -1) {
		if strings.TrimSpace(f.vals[p]) == "" && !slices.Contains(missing, p) {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return "", &FillError{Missing: missing}
	}
	return f.rep.Replace(chosen), nil
}

// TextPlaceholders lists the placeholders a text uses, in order, once each.
func TextPlaceholders(text string) []string {
	var out []string
	for _, p := range placeholderRE.FindAllString(text, -1) {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
