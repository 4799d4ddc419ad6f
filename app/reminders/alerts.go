package reminders

import (
	"context"
	"fmt"
	"strings"

	"jiashu/letters"
	"jiashu/store"
)

// New-scam alerts as texts (issue 9): an alert goes to every family of a
// campaign with a mobile, acknowledged or not, with the same per-guardian
// limit, quiet hours and audit as reminders (it is a reminders job with an
// alert, app/jobs), and the same link to the parent page, whose top shows
// the alert.

// AlertBody is the text of an alert made from method m: its 手法 and its
// 防范, one paragraph each.
func AlertBody(m letters.Method) string {
	return strings.TrimSpace(m.How) + "\n" + strings.TrimSpace(m.Guard)
}

// alertVariants are the catalogue keys of the alert texts, longest first;
// each is a format with %[1]s school, %[2]s the method's title, %[3]s link.
var alertVariants = []string{"alerts.sms.full", "alerts.sms.title", "alerts.sms.short", "alerts.sms.school", "alerts.sms.shortest"}

// AlertMessage writes the alert text for a letter: the longest variant that
// fits one SMS segment with the link, as Message does for reminders.
func (r Lists) AlertMessage(schoolName, title, token string) (string, error) {
	link := r.Link(token)
	for _, key := range alertVariants {
		m := fmt.Sprintf(r.Text(key), schoolName, title, link)
		if SMSLength(m) <= SMSSegment {
			return m, nil
		}
	}
	return "", fmt.Errorf("reminders: alerts: the link %q leaves no room for a text in %d characters; shorten --base-url", link, SMSSegment)
}

// AlertList lists the guardians of every family of a campaign of the alert
// (scope narrows it to a school or class) with the alert's text and title
// (a provider's template fills its title variable with it).
func (r Lists) AlertList(ctx context.Context, a store.Alert, scope store.ReminderScope) ([]Reminder, error) {
	scope.All = true
	targets, err := r.Store.PendingReminders(ctx, scope)
	if err != nil {
		return nil, err
	}
	out := make([]Reminder, 0, len(targets))
	for _, t := range targets {
		m, err := r.AlertMessage(t.SchoolName, a.Title, t.Token)
		if err != nil {
			return nil, err
		}
		out = append(out, Reminder{ReminderTarget: t, Message: m, Title: a.Title})
	}
	return out, nil
}
