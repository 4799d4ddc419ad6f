package parent

import (
	"bytes"
	"fmt"
	"html/template"

	"jiashu/app/locale"
	"jiashu/letters"
)

// PreviewPage renders the parent's letter page of a sample document, as a
// family would see it, for the content editor's preview (staff only: no
// token, no acknowledgement).
func (p *Site) PreviewPage(doc letters.Document, school, class, student string) ([]byte, error) {
	pl := p.langs[locale.ZH]
	var buf bytes.Buffer
	if err := pl.tmpl.ExecuteTemplate(&buf, "letterbody", doc); err != nil {
		return nil, fmt.Errorf("parent pages: preview: %w", err)
	}
	page := &parentPage{
		Header:    &parentHeader{School: school, Class: class, Student: student},
		Letter:    template.HTML(buf.String()),
		AckURL:    "#ack",
		Relations: p.relations(pl),
		Channel:   "q",
	}
	return p.execute(pl, "letter", page)
}
