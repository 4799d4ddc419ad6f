package letters

import (
	"slices"
	"strings"
)

// Needs returns the placeholders of only that the template cannot print
// without: those in a text with no "|| fallback" after them, outside the
// signature lines (which are left out when incomplete). A school whose
// letter needs a detail it has not filled in is told before printing.
func (t *Template) Needs(only []string) []string {
	var out []string
	t.texts(func(s string) {
		alts := strings.Split(s, "||")
		out = appendUsed(out, alts[len(alts)-1], only)
	})
	return out
}

// Uses returns the placeholders of only that the template prints anywhere
// (in any alternative, signature lines included): a detail it uses but
// the school has not filled in prints its fallback — a write-in blank, or
// no line — which the school is told about.
func (t *Template) Uses(only []string) []string {
	var out []string
	t.texts(func(s string) { out = appendUsed(out, s, only) })
	for _, s := range t.Signature {
		out = appendUsed(out, s, only)
	}
	return out
}

// appendUsed adds to out the placeholders of only that s holds, once each.
func appendUsed(out []string, s string, only []string) []string {
	for _, p := range only {
		if strings.Contains(s, p) && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// texts calls see with every text of the template but its signature
// lines, the large-print text included.
func (t *Template) texts(see func(string)) {
	see(t.Title)
	see(t.Salutation)
	see(t.Date)
	see(t.SlipTitle)
	for _, s := range t.SlipText {
		see(s)
	}
	bodies := [][]Block{t.Body}
	if t.Large != nil {
		see(t.Large.Salutation)
		bodies = append(bodies, t.Large.Body)
	}
	for _, body := range bodies {
		for _, b := range body {
			see(b.Text)
			for _, it := range b.Items {
				see(it)
			}
			if m := b.Method; m != nil {
				for _, s := range []string{m.Title, m.How, m.Guard, m.Case, m.Brief} {
					see(s)
				}
			}
		}
	}
	for _, q := range t.Quiz {
		see(q.Text)
		see(q.Explanation)
		for _, o := range q.Options {
			see(o)
		}
	}
}
