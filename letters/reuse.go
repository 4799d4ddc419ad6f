package letters

import "strings"

// What a class PDF does once rather than once per letter. The letters of a
// class differ in the student's name, the code and the QR code; so each
// distinct letter is composed once with a marker for the name (composed),
// its blocks that do not print the name are laid out once (blockRows), and
// the shared segments drawn from them are recorded once (flushSegment);
// per letter there remain the blocks that print the name (the salutation),
// the slip's fields, its QR code and code, and the page that places them.
// Profiles of a 50-letter class before this showed composing, laying out
// and drawing the same text 50 times as two thirds of its time.

// nameMarker stands for the student's name in a composed letter: a
// private-use character, which neither a template (CheckLibrary) nor a
// cleaned name (cleanLetter) holds.
const nameMarker = "\uE002"

// composed is a letter composed with nameMarker for the name: every letter
// of a PDF with the same template, edition and fields but the name, code
// and URL is made from it (instance).
type composed struct {
	id       int32
	doc      Document
	personal []bool // by block: holds the name
	title    bool   // the title holds the name
}

// composeCache holds a PDF's composed letters by the letter without its
// personal fields.
type composeCache map[Letter]*composed

// compose returns the document of the cleaned letter c (large: in large
// print) and, when it was made from a cached composition, that
// composition. A blank name is composed directly: "A || B" may choose
// another alternative for it.
func (s *setter) compose(t *Template, c Letter) (Document, *composed) {
	if strings.TrimSpace(c.StudentName) == "" {
		return t.compose(c, true), nil
	}
	k := c
	k.StudentName, k.Token, k.URL, k.Ref, k.Template, k.Web = "", "", "", "", t, false
	cd, ok := s.docs[k]
	if !ok {
		m := c
		m.StudentName = nameMarker
		cd = &composed{id: int32(len(s.docs) + 1), doc: t.compose(m, true)}
		cd.title = strings.Contains(cd.doc.Title, nameMarker)
		cd.personal = make([]bool, len(cd.doc.Blocks))
		for i, b := range cd.doc.Blocks {
			cd.personal[i] = blockHolds(b, nameMarker)
		}
		s.docs[k] = cd
	}
	return cd.instance(c), cd
}

// blockHolds reports whether any text of b holds t.
func blockHolds(b Block, t string) bool {
	if strings.Contains(b.Text, t) {
		return true
	}
	for _, it := range b.Items {
		if strings.Contains(it, t) {
			return true
		}
	}
	if m := b.Method; m != nil {
		return strings.Contains(m.Title+m.How+m.Guard+m.Case+m.Brief, t)
	}
	return false
}

// instance is cd's document for the cleaned letter c: the name in place
// of the marker, c's code and URL on the slip.
func (cd *composed) instance(c Letter) Document {
	d := cd.doc
	name := func(t string) string { return strings.ReplaceAll(t, nameMarker, c.StudentName) }
	if cd.title {
		d.Title = name(d.Title)
	}
	d.Blocks = make([]Block, len(cd.doc.Blocks))
	copy(d.Blocks, cd.doc.Blocks)
	for i, p := range cd.personal {
		if !p {
			continue
		}
		b := &d.Blocks[i]
		b.Text = name(b.Text)
		if b.Items != nil {
			items := make([]string, len(b.Items))
			for k, it := range b.Items {
				items[k] = name(it)
			}
			b.Items = items
		}
		if b.Method != nil {
			m := *b.Method
			m.Title, m.How, m.Guard, m.Case, m.Brief = name(m.Title), name(m.How), name(m.Guard), name(m.Case), name(m.Brief)
			b.Method = &m
		}
	}
	sl := d.Slip
	sl.Title = name(sl.Title)
	sl.Text = make([]string, len(cd.doc.Slip.Text))
	for i, t := range cd.doc.Slip.Text {
		sl.Text[i] = name(t)
	}
	sl.StudentName, sl.Token, sl.URL, sl.CodeURL = c.StudentName, c.Token, c.URL, CodeURL(c.URL)
	d.Slip = sl
	return d
}

// blockKey identifies a block of a composed letter in an edition; block
// -1 is the title.
type blockKey struct {
	doc   int32
	block int
	th    theme
}

// blockRows are the rows a block added, with ids, and what it left for
// the next block: the row of the last line of its paragraph (relative to
// its first row; -1 for none) and that line's right end.
type blockRows struct {
	rows    []row
	lastRow int
	lastEnd float64
}

// cachedRows adds the rows of block k, laying them out with add on first
// use in this PDF. Every row gets an id: the same block of the same
// composed letter draws the same at the same place, which is what makes
// its segments reusable (flushSegment).
func (b *rowBuilder) cachedRows(k blockKey, add func()) {
	s := b.s
	if c, ok := s.blocks[k]; ok {
		from := len(b.rows)
		for _, r := range c.rows {
			r.block = b.block
			b.rows = append(b.rows, r)
		}
		if c.lastRow >= 0 {
			b.lastRow, b.lastEnd = from+c.lastRow, c.lastEnd
		}
		return
	}
	from, last := len(b.rows), b.lastRow
	add()
	c := &blockRows{rows: make([]row, len(b.rows)-from), lastRow: -1}
	for i := from; i < len(b.rows); i++ {
		b.rows[i].id = s.newID()
	}
	copy(c.rows, b.rows[from:])
	if b.lastRow != last && b.lastRow >= from {
		c.lastRow, c.lastEnd = b.lastRow-from, b.lastEnd
	}
	s.blocks[k] = c
}
