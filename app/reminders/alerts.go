package reminders

import (
	"context"
	"fmt"
	"strings"
	"time"

	"jiashu/app/campaign"
	"jiashu/app/content"
	"jiashu/letters"
	"jiashu/problem"
	"jiashu/store"
)

// New-scam alerts as texts (issue 9): an alert goes to every family of a
// campaign with a mobile, acknowledged or not, with the same per-guardian
// limit, quiet hours and audit as reminders (it is a reminders job with an
// alert, app/jobs), and the same link to the parent page, whose top shows
// the alert.
//
// Alerts as families read them (issue 19): an alert is a method's texts,
// which may name the family's head teacher, school or class ({班主任} …).
// They are filled per family like the letter's (FillAlert), so no parent
// ever sees a placeholder; CheckAlert refuses to publish one that some
// class of its campaigns could not fill.

// FillAlert fills an alert's title and each paragraph of its body for the
// family of letter l, as their letter fills its texts ("A || B" choosing
// within a paragraph). A placeholder this family has no value for, where
// the text offers no fallback, is a *letters.FillError.
func FillAlert(title, body string, l letters.Letter) (string, []string, error) {
	texts := content.AlertTexts(title, body)
	out := make([]string, len(texts))
	for i, t := range texts {
		f, err := letters.FillText(t, l)
		if err != nil {
			return "", nil, err
		}
		out[i] = f
	}
	return out[0], out[1:], nil
}

// ClassLetter is what the texts of a family of class cl are filled with
// (the child's name aside, which a check does not know: sample stands for
// it).
func ClassLetter(cl store.CampaignClass, camp store.Campaign, now time.Time, sample string) letters.Letter {
	l := letters.Letter{StudentName: sample, ClassName: cl.ClassName, SchoolName: cl.SchoolName, HeadTeacher: cl.HeadTeacher,
		Date: now.In(campaign.ChinaTime), Deadline: campaign.AckDeadline(camp.AckDeadline), MeetingDate: campaign.ChinaDay(cl.MeetingDay)}
	content.Fill(&l, cl.Details)
	return l
}

// maxAlertClasses is how many classes a refusal names.
const maxAlertClasses = 5

// CheckAlert fills the alert for a family of every class of the campaigns
// and refuses (problem.Invalid, in Chinese) when some class lacks a value
// the alert needs: its families would see a gap where the head teacher's
// name or the school's phone should be.
func CheckAlert(ctx context.Context, st *store.Store, title, body string, campaignIDs []int64, now time.Time) error {
	var bad []string
	n := 0
	for _, id := range campaignIDs {
		camp, err := st.Campaign(ctx, id)
		if err != nil {
			return err
		}
		classes, err := st.CampaignClasses(ctx, id)
		if err != nil {
			return err
		}
		for _, cl := range classes {
			_, _, err := FillAlert(title, body, ClassLetter(cl, camp, now, "王*明"))
			fe, ok := err.(*letters.FillError)
			if err != nil && !ok {
				return err
			}
			if ok {
				n++
				if len(bad) < maxAlertClasses {
					bad = append(bad, cl.SchoolName+cl.ClassName+"（"+strings.Join(append(fe.Missing, fe.Unknown...), "、")+"）")
				}
			}
		}
	}
	if n == 0 {
		return nil
	}
	more := ""
	if n > len(bad) {
		more = fmt.Sprintf("等 %d 个班级", n)
	}
	return &problem.Error{Code: problem.Invalid, Reason: "alert_unfilled",
		Message: fmt.Sprintf("这条提醒在%s%s无法按家庭填写，家长会看到空缺。请先在班级页填写班主任、在“学校信息”页填写学校信息，或选用带“||”备选文字的手法。",
			strings.Join(bad, "、"), more)}
}

// alertVariants are the catalogue keys of the alert texts, longest first;
// each is a format with %[1]s school, %[2]s the method's title, %[3]s link.
// Those from titleless on leave the title out.
var alertVariants = []string{"alerts.sms.full", "alerts.sms.title", "alerts.sms.short", "alerts.sms.school", "alerts.sms.shortest"}

const titleless = 3

// AlertMessage writes the alert text for a letter: the longest variant that
// fits one SMS segment with the link, as Message does for reminders. An
// empty title (one this family's values could not fill) leaves it out.
func (r Lists) AlertMessage(schoolName, title, token string) (string, error) {
	link := r.Link(token)
	keys := alertVariants
	if title == "" {
		keys = alertVariants[titleless:]
	}
	for _, key := range keys {
		m := fmt.Sprintf(r.Text(key), schoolName, title, link)
		if SMSLength(m) <= SMSSegment {
			return m, nil
		}
	}
	return "", fmt.Errorf("reminders: alerts: the link %q leaves no room for a text in %d characters; shorten --base-url", link, SMSSegment)
}

// AlertList lists the guardians of every family of a campaign of the alert
// (scope narrows it to a school or class) with the alert's text, its title
// filled for the family (FillAlert's rule; left out where it cannot be) —
// a provider's template fills its title variable with it.
func (r Lists) AlertList(ctx context.Context, a store.Alert, scope store.ReminderScope) ([]Reminder, error) {
	scope.All = true
	targets, err := r.Store.PendingReminders(ctx, scope)
	if err != nil {
		return nil, err
	}
	out := make([]Reminder, 0, len(targets))
	for _, t := range targets {
		l := letters.Letter{StudentName: campaign.MaskChildName(t.StudentName), ClassName: t.ClassName,
			SchoolName: t.SchoolName, HeadTeacher: t.HeadTeacher}
		title, err := letters.FillText(a.Title, l)
		if err != nil {
			title = ""
		}
		m, err := r.AlertMessage(t.SchoolName, title, t.Token)
		if err != nil {
			return nil, err
		}
		out = append(out, Reminder{ReminderTarget: t, Message: m, Title: title})
	}
	return out, nil
}
