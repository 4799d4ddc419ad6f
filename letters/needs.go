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
	see := func(s string) {
		alts := strings.Split(s, "||")
		last := alts[len(alts)-1]
		for _, p := range only {
			if strings.Contains(last, p) && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
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
	return out
}
