package web

import (
	"fmt"
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/app/jobs"
	"jiashu/sms"
	"jiashu/store"
)

// Reminders on the school administrator's page and the education center's
// campaign page: the same lists and the same background job as the API
// (reminders_export.go, reminders_send.go, app/jobs), offered as a card with
// the count, the two downloads and, with a provider, a link to a
// confirmation page whose plain POST form queues the job; with the texts
// sent so far (已送达 / 未送达 / 等待回执), what they cost, and the sends
// waiting for the end of the quiet hours.

// reminderCard is the reminders card of a school or campaign page.
type reminderCard struct {
	Base      string // "/schools/3/reminders": + ".xlsx", ".csv", "/send"
	Query     string // "?campaign=5" when the school page names the campaign
	Campaign  string
	Pending   int  // guardians a reminder would go to
	Sends     bool // a provider is configured
	Reports   bool // it reports delivery
	Texts     store.TextCounts
	Spent     string      // yuan
	Scheduled []store.Job // sends waiting for their time
	// Letters are the scope's letters; Unprinted its active students with
	// no letter yet (尚未生成家书): counted, not reminded.
	Letters, Unprinted int
}

// schoolReminderCard is the card of the school's families in campaign cp
// (the one the school page shows).
func (s *Server) schoolReminderCard(c *gin.Context, schoolID int64, cp store.Campaign) (*reminderCard, error) {
	card := &reminderCard{Base: fmt.Sprintf("/schools/%d/reminders", schoolID), Query: fmt.Sprintf("?campaign=%d", cp.ID), Campaign: cp.Name}
	return card, s.countReminders(c, card, store.ReminderScope{CampaignID: cp.ID, SchoolID: schoolID})
}

// campaignReminderCard is the card of a whole campaign.
func (s *Server) campaignReminderCard(c *gin.Context, cp store.Campaign) (*reminderCard, error) {
	card := &reminderCard{Base: fmt.Sprintf("/campaigns/%d/reminders", cp.ID), Campaign: cp.Name}
	return card, s.countReminders(c, card, store.ReminderScope{CampaignID: cp.ID})
}

func (s *Server) countReminders(c *gin.Context, card *reminderCard, scope store.ReminderScope) error {
	list, err := s.store.PendingReminders(c.Request.Context(), scope)
	if err != nil {
		return err
	}
	card.Pending, card.Sends, card.Reports = len(list), s.cfg.SMSSends(), s.cfg.SMSReports()
	students, letters, err := s.store.LetterCounts(c.Request.Context(), scope)
	if err != nil {
		return err
	}
	card.Letters, card.Unprinted = letters, max(students-letters, 0)
	if card.Texts, err = s.store.TextCountsOf(c.Request.Context(), scope); err != nil {
		return err
	}
	card.Spent = sms.Yuan(card.Texts.CostFen)
	card.Scheduled, err = s.scheduledSends(c, jobs.SendReminders{CampaignID: scope.CampaignID, SchoolID: scope.SchoolID}, false)
	return err
}

// reminderConfirm asks before a send: GET …/reminders/send shows the
// families, texts, segments and cost, and the text the first family
// receives; its form posts to the same address (reminderSend).
func (s *Server) reminderConfirm(resolve scopeResolver) func(*gin.Context) error {
	return func(c *gin.Context) error {
		t, scope, err := s.reminderTarget(c, resolve)
		if err != nil {
			return err
		}
		back := strings.TrimSuffix(c.Request.URL.Path, "/reminders/send") + "#reminders"
		if scope.ClassID != 0 {
			back = fmt.Sprintf("/classes/%d/slips?campaign=%d#reminders", scope.ClassID, scope.CampaignID)
		}
		return s.sendConfirm(c, t, back)
	}
}
