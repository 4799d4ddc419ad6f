package parent

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"strings"
	"sync"
	"time"

	"jiashu/app/campaign"
	"jiashu/store"
)

// New-scam alerts on the parent page (issue 9): every alert of the
// letter's campaign stands at the top of the letter page, for families
// who acknowledged too. The letter page is cached per kind of letter with
// markers for the personal fields; the alerts are one more such field,
// rendered once per campaign and language and inserted as HTML (the block
// is rendered by the template, so its texts are escaped there).

// alertTTL is how long a campaign's rendered alerts are kept at most. A
// change made on any instance shows on the next view anyway: the letter
// is read with its campaign's alerts version, and a block rendered for
// another version is rendered again.
const alertTTL = time.Minute

type alertKey struct {
	campaign int64
	lang     string
}

type alertBlock struct {
	html    template.HTML
	at      time.Time
	version int64 // the campaign's alerts version it was rendered for
}

// alertCache holds the rendered alert blocks by campaign and language.
type alertCache struct {
	mu     sync.RWMutex
	blocks map[alertKey]alertBlock
}

// alertView is the data of the "alerts" template.
type alertView struct {
	Alerts []alertItem
}

type alertItem struct {
	Title string
	Paras []string
	Date  string
}

// alertsHTML returns the alert block of a campaign in pl's language ("" for
// a campaign without alerts), rendering it when not cached, too old, or
// rendered for another version of the campaign's alerts.
func (p *Site) alertsHTML(ctx context.Context, pl *parentLang, campaignID, version int64) (template.HTML, error) {
	k := alertKey{campaignID, pl.lang}
	now := p.now()
	p.alerts.mu.RLock()
	b, ok := p.alerts.blocks[k]
	p.alerts.mu.RUnlock()
	if ok && b.version == version && now.Sub(b.at) < alertTTL && !now.Before(b.at) {
		return b.html, nil
	}
	list, err := p.st.CampaignAlerts(ctx, campaignID)
	if err != nil {
		return "", err
	}
	var h template.HTML
	if len(list) > 0 {
		h, err = renderAlerts(pl, list)
		if err != nil {
			return "", err
		}
	}
	p.alerts.mu.Lock()
	if p.alerts.blocks == nil || len(p.alerts.blocks) >= letterCacheMax {
		p.alerts.blocks = map[alertKey]alertBlock{}
	}
	p.alerts.blocks[k] = alertBlock{html: h, at: now, version: version}
	p.alerts.mu.Unlock()
	return h, nil
}

// renderAlerts renders the alert block of list in pl's language.
func renderAlerts(pl *parentLang, list []store.Alert) (template.HTML, error) {
	v := alertView{}
	for _, a := range list {
		it := alertItem{Title: a.Title, Date: a.CreatedAt.In(campaign.ChinaTime).Format(pl.t("parent.alert.date"))}
		for _, para := range strings.Split(a.Body, "\n") {
			if para = strings.TrimSpace(para); para != "" {
				it.Paras = append(it.Paras, para)
			}
		}
		v.Alerts = append(v.Alerts, it)
	}
	var buf bytes.Buffer
	if err := pl.tmpl.ExecuteTemplate(&buf, "alerts", v); err != nil {
		return "", fmt.Errorf("parent pages: render alerts: %w", err)
	}
	return template.HTML(buf.String()), nil
}

// ForgetAlerts drops the cached alert blocks, so a new alert shows on the
// next view (the staff site calls it after making one).
func (p *Site) ForgetAlerts() {
	p.alerts.mu.Lock()
	p.alerts.blocks = nil
	p.alerts.mu.Unlock()
}
