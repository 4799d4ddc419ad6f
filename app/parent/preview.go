package parent

import (
	"bytes"
	"fmt"
	"html/template"

	"jiashu/app/locale"
	"jiashu/letters"
	"jiashu/store"
)

// PreviewPage renders the parent's letter page of a sample document, as a
// family would see it, with alerts at its top, for the content editor's
// and the alerts' previews (staff only: no token, no acknowledgement).
func (p *Site) PreviewPage(doc letters.Document, school, class, student string, alerts ...store.Alert) ([]byte, error) {
	pl := p.langs[locale.ZH]
	var buf bytes.Buffer
	if err := pl.tmpl.ExecuteTemplate(&buf, "letterbody", doc); err != nil {
		return nil, fmt.Errorf("parent pages: preview: %w", err)
	}
	var block template.HTML
	if len(alerts) > 0 {
		var err error
		if block, err = renderAlerts(pl, alerts); err != nil {
			return nil, err
		}
	}
	page := &parentPage{
		Alerts:    block,
		Header:    &parentHeader{School: school, Class: class, Student: student},
		Letter:    template.HTML(buf.String()),
		AckURL:    "#ack",
		Relations: p.relations(pl),
		Channel:   "q",
	}
	return p.execute(pl, "letter", page)
}
