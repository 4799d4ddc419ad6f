package parent

import (
	"bytes"
	"fmt"
	"html/template"

	"jiashu/app/campaign"
	"jiashu/app/content"
	"jiashu/app/locale"
	"jiashu/letters"
	"jiashu/store"
)

// PreviewPage renders the parent's letter page of a sample document, as a
// family would see it, with alerts at its top, for the content editor's
// and the alerts' previews (staff only: no token, no acknowledgement). The
// alerts are filled for the sample family fam, whose name the header
// shows masked; one it cannot fill is shown as written.
func (p *Site) PreviewPage(doc letters.Document, fam letters.Letter, alerts ...store.Alert) ([]byte, error) {
	pl := p.langs[locale.ZH]
	var buf bytes.Buffer
	if err := pl.tmpl.ExecuteTemplate(&buf, "letterbody", doc); err != nil {
		return nil, fmt.Errorf("parent pages: preview: %w", err)
	}
	block, err := p.renderAlerts(pl, alerts, fam, func(a store.Alert, _ error) ([]string, bool) {
		return content.AlertTexts(a.Title, a.Body), true
	})
	if err != nil {
		return nil, err
	}
	page := &parentPage{
		Alerts:    block,
		Header:    &parentHeader{School: fam.SchoolName, Class: fam.ClassName, Student: campaign.MaskChildName(fam.StudentName)},
		Letter:    template.HTML(buf.String()),
		AckURL:    "#ack",
		Relations: p.relations(pl),
		Channel:   "q",
	}
	return p.execute(pl, "letter", page)
}
