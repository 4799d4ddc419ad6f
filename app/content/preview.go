package content

import (
	"fmt"
	"unicode"

	"jiashu/letters"
)

// ReadingCharsPerMinute is a parent's reading speed for the reading time
// shown beside the editor (an unhurried 300 Chinese characters a minute).
const ReadingCharsPerMinute = 300

// Preview is the sample letter of one age group printed from a version's
// files: the real PDF, the document the parent page shows, and whether it
// still fits one A4 page with its slip.
type Preview struct {
	AgeGroup string
	PDF      []byte
	Pages    int
	Fits     bool
	Chars    int              // characters of the letter (punctuation included, spaces not)
	Minutes  float64          // reading time
	Document letters.Document // as the parents' page shows it (letters.Letter.Web)
}

// MakePreview prints the sample letter of ageGroup from files with base's
// fonts; school details fill the sample.
func MakePreview(files Files, base *letters.Engine, ageGroup string, details func(*letters.Letter)) (Preview, error) {
	eng, err := files.Engine(base)
	if err != nil {
		return Preview{}, err
	}
	t, err := eng.Library().Template(ageGroup)
	if err != nil {
		return Preview{}, fmt.Errorf("content: %w", err)
	}
	l := SampleLetter(ageGroup)
	if details != nil {
		details(&l)
	}
	pdf, pages, err := SamplePDF(eng, l)
	if err != nil {
		return Preview{}, err
	}
	l.Web = true // the parents' page: never a write-in blank
	doc := t.Compose(l)
	n := Count(doc)
	return Preview{AgeGroup: ageGroup, PDF: pdf, Pages: pages, Fits: pages == 1, Chars: n,
		Minutes: float64(n) / ReadingCharsPerMinute, Document: doc}, nil
}

// Count is the number of characters a parent reads in a letter.
func Count(d letters.Document) int {
	n := 0
	count := func(s string) {
		for _, r := range s {
			if !unicode.IsSpace(r) {
				n++
			}
		}
	}
	count(d.Title)
	for _, b := range d.Blocks {
		count(b.Text)
		for _, it := range b.Items {
			count(it)
		}
		if m := b.Method; m != nil {
			count(m.Title)
			if b.Kind == letters.KindBrief {
				count(m.Brief)
			} else {
				count(m.How + m.Guard + m.Case)
			}
		}
	}
	for _, s := range d.Slip.Text {
		count(s)
	}
	return n
}
