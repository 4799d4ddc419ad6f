package parent

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"sync"
	"time"

	"jiashu/app/campaign"
	"jiashu/app/reminders"
	"jiashu/letters"
	"jiashu/store"
)

// New-scam alerts on the parent page (issue 9): every alert of the
// letter's campaign stands at the top of the letter page, for families
// who acknowledged too. The letter page is cached per kind of letter with
// markers for the personal fields; the alerts are one more such field,
// rendered per view with the family's values filled in and inserted as
// HTML (the block is rendered by the template, so its texts are escaped
// there).

// alertTTL is how long a campaign's alerts are kept at most. A change made
// on any instance shows on the next view anyway: the letter is read with
// its campaign's alerts version, and a list read for another version is
// read again (and ForgetAlerts drops them all at once on this instance).
const alertTTL = time.Minute

// alertList is a campaign's alerts as read, when, and for which version of
// the campaign's alerts.
type alertList struct {
	list    []store.Alert
	at      time.Time
	version int64
}

// alertCache holds the alerts by campaign. Their texts are filled per
// family when a page is shown (issue 19): the campaign's families have
// their own head teachers, schools and classes.
type alertCache struct {
	mu    sync.RWMutex
	lists map[int64]alertList
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

// campaignAlerts returns the alerts of a campaign, reading them when not
// cached, too old, or read for another version of the campaign's alerts.
func (p *Site) campaignAlerts(ctx context.Context, campaignID, version int64) ([]store.Alert, error) {
	now := p.now()
	p.alerts.mu.RLock()
	b, ok := p.alerts.lists[campaignID]
	p.alerts.mu.RUnlock()
	if ok && b.version == version && now.Sub(b.at) < alertTTL && !now.Before(b.at) {
		return b.list, nil
	}
	list, err := p.st.CampaignAlerts(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	p.alerts.mu.Lock()
	if p.alerts.lists == nil || len(p.alerts.lists) >= letterCacheMax {
		p.alerts.lists = map[int64]alertList{}
	}
	p.alerts.lists[campaignID] = alertList{list: list, at: now, version: version}
	p.alerts.mu.Unlock()
	return list, nil
}

// alertsHTML returns the alert block of letter l's campaign in pl's
// language, its texts filled for l's family as their letter's are ("" for
// a campaign without alerts). An alert this family's values cannot fill
// (its class lost its head teacher after the alert was published) is left
// out rather than shown with a gap or a placeholder.
func (p *Site) alertsHTML(ctx context.Context, pl *parentLang, l store.ParentLetter) (template.HTML, error) {
	list, err := p.campaignAlerts(ctx, l.CampaignID, l.AlertsVersion)
	if err != nil || len(list) == 0 {
		return "", err
	}
	return p.renderAlerts(pl, list, familyLetter(l), func(a store.Alert, err error) ([]string, bool) {
		p.log.Warn("parent pages: alert left out", "alert", a.ID, "letter", l.LetterID, "err", err)
		return nil, false
	})
}

// renderAlerts renders the alert block of list in pl's language, each
// alert filled for family fam; unfilled says what to show of an alert fam
// cannot fill (its texts, or false to leave it out). "" when none is left.
func (p *Site) renderAlerts(pl *parentLang, list []store.Alert, fam letters.Letter,
	unfilled func(store.Alert, error) ([]string, bool)) (template.HTML, error) {
	v := alertView{}
	for _, a := range list {
		title, paras, err := reminders.FillAlert(a.Title, a.Body, fam)
		if err != nil {
			texts, ok := unfilled(a, err)
			if !ok {
				continue
			}
			title, paras = texts[0], texts[1:]
		}
		v.Alerts = append(v.Alerts, alertItem{Title: title, Paras: paras,
			Date: a.CreatedAt.In(campaign.ChinaTime).Format(pl.t("parent.alert.date"))})
	}
	if len(v.Alerts) == 0 {
		return "", nil
	}
	var buf bytes.Buffer
	if err := pl.tmpl.ExecuteTemplate(&buf, "alerts", v); err != nil {
		return "", fmt.Errorf("parent pages: render alerts: %w", err)
	}
	return template.HTML(buf.String()), nil
}

// familyLetter is l as the family's texts are filled from: their letter
// as the page shows it (the child's name masked).
func familyLetter(l store.ParentLetter) letters.Letter {
	return letters.Letter{StudentName: campaign.MaskChildName(l.StudentName), ClassName: l.ClassName, SchoolName: l.SchoolName,
		HeadTeacher: l.HeadTeacher, Date: l.ProducedAt.In(campaign.ChinaTime), Deadline: campaign.AckDeadline(l.AckDeadline),
		SchoolPhone: l.SchoolPhone, FeeRule: l.FeeRule, PoliceStation: l.PoliceStation, PolicePhone: l.PolicePhone,
		MeetingDate: campaign.ChinaDay(l.MeetingDay)}
}

// ForgetAlerts drops the cached alerts, so a new alert shows on the next
// view (the staff site calls it after making one).
func (p *Site) ForgetAlerts() {
	p.alerts.mu.Lock()
	p.alerts.lists = nil
	p.alerts.mu.Unlock()
}
