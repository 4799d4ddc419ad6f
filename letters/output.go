package letters

import (
	"fmt"
	"io"
	"time"

	"github.com/jung-kurt/gofpdf"
)

// Options control a letters PDF.
type Options struct {
	// Duplex starts every letter on an odd page (a blank page is added
	// after a letter with an odd number of pages), for two-sided printing.
	Duplex bool
	// LargePrint sets every letter in the large-print edition (body 14 pt,
	// two pages with the slip), as Letter.LargePrint does for one letter.
	LargePrint bool
}

// Stats summarise generated output.
type Stats struct {
	Files   int   // PDF files written
	Letters int   // letters typeset
	Pages   int   // pages, blank duplex pages included
	Bytes   int64 // bytes written
	// LargePrint counts the letters set in the large-print edition.
	LargePrint int
	Attention  []Attention
}

func (s *Stats) add(o Stats) {
	s.Files += o.Files
	s.Letters += o.Letters
	s.Pages += o.Pages
	s.Bytes += o.Bytes
	s.LargePrint += o.LargePrint
	s.Attention = append(s.Attention, o.Attention...)
}

// WriteLetters writes one PDF holding a letter per element of ls, each
// starting on a new page (on an odd page with opt.Duplex). A single letter
// is a slice of one. Names the font cannot print are printed as ＿ and
// listed in Stats.Attention.
func (e *Engine) WriteLetters(w io.Writer, ls []Letter, opt Options) (Stats, error) {
	if len(ls) == 0 {
		return Stats{}, fmt.Errorf("letters: no letters to write")
	}
	var st Stats
	s := newSetter(e)
	laid := make([]laidOut, len(ls))
	title := ""
	var kinds kindCount
	for i, l := range ls {
		t := l.Template
		if t == nil {
			var err error
			if t, err = e.lib.Template(l.AgeGroup); err != nil {
				return Stats{}, fmt.Errorf("letters: letter %d (%s): %w", i+1, l.StudentName, err)
			}
		}
		l.LargePrint = opt.LargePrint || l.LargePrint
		if l.LargePrint {
			st.LargePrint++
		}
		kinds.add(letterKind{t, l.LargePrint})
		d, cd := s.compose(t, e.cleanLetter(i, l, &st.Attention))
		title = unmark(d.Title)
		laid[i] = s.layout(d, l.LargePrint, cd)
		for _, c := range laid[i].cut {
			st.Attention = cutAttention(st.Attention, i, l, c)
		}
	}

	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCompression(false) // packPDF compresses, faster (see pdfpack.go)
	pdf.SetMargins(marginL, marginTop, marginR)
	pdf.SetCatalogSort(true)
	created := ls[0].Date
	if created.IsZero() {
		created = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetTitle(title, true)
	pdf.SetCreator("反诈家书", true)
	s.cutFonts(kinds.most(), len(ls) > 1)
	s.pdf = pdf
	s.share = len(laid) > 1
	for i, l := range laid {
		n := s.draw(l)
		if opt.Duplex && n%2 == 1 && i < len(laid)-1 {
			pdf.AddPage()
			n++
		}
		st.Pages += n
	}
	if s.unsure > 0 {
		return Stats{}, fmt.Errorf("letters: internal error: %d characters drawn without being laid out", s.unsure)
	}
	raw := e.z.buffer()
	defer e.z.release(raw)
	if err := pdf.Output(raw); err != nil {
		return Stats{}, fmt.Errorf("letters: write PDF: %w", err)
	}
	level := pageLevel
	if len(ls) == 1 {
		level = onceLevel
	}
	n, err := e.z.packPDF(w, raw.Bytes(), level, s.pageObjects)
	if err != nil {
		return Stats{}, fmt.Errorf("letters: write PDF: %w", err)
	}
	st.Files, st.Letters, st.Bytes = 1, len(ls), n
	return st, nil
}

// letterKind is a template in an edition.
type letterKind struct {
	t     *Template
	large bool
}

// kindCount counts letters by kind, in the order kinds first appear.
type kindCount struct {
	kinds []letterKind
	n     []int
}

func (c *kindCount) add(k letterKind) {
	for i, o := range c.kinds {
		if o == k {
			c.n[i]++
			return
		}
	}
	c.kinds, c.n = append(c.kinds, k), append(c.n, 1)
}

// most is the kind most letters are of (the first of equals).
func (c *kindCount) most() letterKind {
	best := 0
	for i, n := range c.n {
		if n > c.n[best] {
			best = i
		}
	}
	return c.kinds[best]
}

// cutFonts makes the PDF's font subsets of the characters laid out. With
// base, a font whose base glyphs for letters of kind k are mostly used
// starts from them (fontbase.go); otherwise, and in a PDF of one letter,
// it holds exactly the characters used.
func (s *setter) cutFonts(k letterKind, base bool) {
	for fi := range s.used {
		f := s.e.fonts[fi]
		list := make([]rune, 0, len(s.used[fi]))
		for r := range s.used[fi] {
			if f.has(r) {
				list = append(list, r)
			}
		}
		var b *fontBase
		if base {
			b = s.e.base(k.t, k.large, fi)
		}
		if b == nil || !mostlyUsed(b.runes, s.used[fi]) {
			s.subs[fi] = f.subset(list)
			continue
		}
		s.subs[fi] = f.subsetOn(b, list)
	}
}

// mostlyUsed says whether at most a quarter of the base's characters are
// unused: more would make the PDF larger than an exact subset by more than
// the time saved is worth.
func mostlyUsed(base []rune, used map[rune]struct{}) bool {
	unused := 0
	for _, r := range base {
		if _, ok := used[r]; !ok {
			unused++
		}
	}
	return 4*unused <= len(base)
}
