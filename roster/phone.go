package roster

import (
	"jiashu/relation"
	"strings"
	"unicode"

	"jiashu/grade"
)

// phoneResult is the outcome of reading a phone cell.
type phoneResult int

const (
	phoneEmpty phoneResult = iota
	phoneMobile
	phoneLandline
	phoneInvalid
	phoneNone // the cell says there is no phone (nophone.go)
)

// phoneReading is what a phone cell holds. Teachers write more than one
// number into a cell (13800138000、13900139000), label them with the
// relation (父亲13700137000, 138-0013-8000（母）) or add a remark.
type phoneReading struct {
	mobiles   []string    // in the order written
	relations []string    // the relation labelling each mobile, normalised, or ""
	result    phoneResult // phoneMobile when there is a mobile, else what the cell was
	dropped   string      // text that is neither a number nor a relation label
}

// cleanPhone returns the first mobile number of a cell.
func cleanPhone(s string) (string, phoneResult) {
	r := readPhone(s)
	if len(r.mobiles) > 0 {
		return r.mobiles[0], phoneMobile
	}
	return "", r.result
}

// phoneSeparators split a cell holding several numbers.
func isPhoneSeparator(r rune) bool {
	switch r {
	case '/', ',', '、', '，', ';', '；', '\n', '|', '\\':
		return true
	}
	return false
}

// readPhone reads a phone cell: full-width digits, +86/0086, dashes,
// spaces, a trailing ".0", numbers in scientific notation, several numbers
// separated by / 、 ， ; or by their labels, and labels such as 父亲, （母）,
// 手机：.
func readPhone(s string) phoneReading {
	s = grade.Normalize(s)
	var out phoneReading
	if s == "" {
		return out
	}
	if isNoPhone(s) {
		out.result = phoneNone
		return out
	}
	out.result = phoneInvalid
	var dropped []string
	for _, part := range strings.FieldsFunc(s, isPhoneSeparator) {
		// The common case: a part that is one number and nothing else.
		if d := phoneDigits(part); isMobile(d) {
			out.mobiles = append(out.mobiles, d)
			out.relations = append(out.relations, "")
			continue
		}
		toks := phoneTokens(part)
		// Labels come before their numbers (父13700137000母13800138000) or
		// after them (13700137000(父)): the first number decides.
		labelAfter := false
		for i, t := range toks {
			if t.number {
				labelAfter = i == 0 || toks[i-1].number
				break
			}
		}
		used := make([]bool, len(toks))
		for i, t := range toks {
			if !t.number {
				continue
			}
			d := phoneDigits(t.text)
			switch {
			case isMobile(d):
				rel := ""
				j := i - 1
				if labelAfter {
					j = i + 1
				}
				if j >= 0 && j < len(toks) && !toks[j].number {
					if r, ok := labelRelation(toks[j].text); ok {
						rel, used[j] = r, true
					}
				}
				out.mobiles = append(out.mobiles, d)
				out.relations = append(out.relations, rel)
				used[i] = true
			case isLandline(d):
				if out.result == phoneInvalid {
					out.result = phoneLandline
				}
				used[i] = true
			}
		}
		for i, t := range toks {
			if used[i] {
				continue
			}
			if !t.number {
				if _, ok := labelRelation(t.text); ok {
					continue // 手机：, 电话, a relation without a number of its own
				}
			}
			dropped = append(dropped, strings.TrimSpace(t.text))
		}
	}
	if len(out.mobiles) > 0 {
		out.result = phoneMobile
		out.dropped = strings.Join(dropped, " ")
	}
	return out
}

// phoneToken is a run of number characters or of other text.
type phoneToken struct {
	text   string
	number bool
}

// phoneTokens splits a part of a phone cell into numbers and text. A run of
// fewer than five digits (家长1：, 2) counts as text.
func phoneTokens(s string) []phoneToken {
	var toks []phoneToken
	var b strings.Builder
	inNumber := false
	flush := func() {
		if b.Len() == 0 {
			return
		}
		t := phoneToken{text: b.String(), number: inNumber}
		if t.number && len(phoneDigits(t.text)) < 5 {
			t.number = false
		}
		if n := len(toks); n > 0 && toks[n-1].number == t.number && !t.number {
			toks[n-1].text += t.text
		} else {
			toks = append(toks, t)
		}
		b.Reset()
	}
	for _, r := range s {
		num := r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.' || r == '\u2013' || r == '\u2014' ||
			(r == ' ' && inNumber)
		if num != inNumber {
			flush()
			inNumber = num
		}
		b.WriteRune(r)
	}
	flush()
	return toks
}

// labelFillers are words around a number that say nothing about whose it is.
var labelFillers = []string{"联系电话", "手机号码", "电话号码", "联系方式", "手机号", "手机", "电话", "号码", "联系人", "监护人", "家长", "本人", "的", "或", "和", "及"}

// labelRelation reads the text next to a number: "" with ok when it is only
// punctuation or filler words (手机：), the relation when it names one
// (父亲, （母）, 妈妈手机), and ok false for anything else (a remark).
func labelRelation(text string) (string, bool) {
	t := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || r >= '0' && r <= '9' {
			return -1
		}
		return r
	}, text)
	for _, f := range labelFillers {
		t = strings.ReplaceAll(t, f, "")
	}
	if t == "" {
		return "", true
	}
	if r, ok := relation.Lookup(t); ok {
		return r, true
	}
	return "", false
}

func phoneDigits(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, ".0")
	if isScientific(s) {
		s = cleanNumber(s)
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' || r == '-' || r == ' ' || r == '(' || r == ')' || r == '.' || r == '\u2013' || r == '\u2014':
		default:
			b.WriteRune('x') // a letter or other mark makes it invalid
		}
	}
	d := b.String()
	switch {
	case len(d) == 13 && strings.HasPrefix(d, "86"):
		d = d[2:]
	case len(d) == 15 && strings.HasPrefix(d, "0086"):
		d = d[4:]
	}
	return d
}

func isLandline(d string) bool {
	if strings.Contains(d, "x") {
		return false
	}
	return strings.HasPrefix(d, "0") && len(d) >= 10 && len(d) <= 12 || len(d) == 7 || len(d) == 8
}

func isMobile(d string) bool {
	if len(d) != 11 || d[0] != '1' || d[1] < '3' || d[1] > '9' {
		return false
	}
	for i := 2; i < 11; i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return true
}
