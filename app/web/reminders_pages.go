package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/app/reminders"
	"jiashu/store"
)

// Reminders on the school administrator's page and the education center's
// campaign page: the same lists and the same background job as the API
// (reminders_export.go, reminders_send.go, app/jobs), offered as a card with the count,
// the two downloads and, with a gateway, a link to a confirmation page whose
// plain POST form queues the job.

// reminderCard is the reminders card of a school or campaign page.
type reminderCard struct {
	Base     string // "/schools/3/reminders": + ".xlsx", ".csv", "/send"
	Query    string // "?campaign=5" when the school page names the campaign
	Campaign string
	Pending  int  // guardians a reminder would go to
	Gateway  bool // an SMS gateway is configured
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
	card.Pending, card.Gateway = len(list), s.cfg.SMSGatewayURL != ""
	return nil
}

// reminderConfirmView is the confirmation page of a send.
type reminderConfirmView struct {
	Name     string // the school or campaign
	Campaign string
	Pending  int
	Gateway  bool
	Quiet    bool   // between 21:00 and 08:00: nothing can be sent now
	Action   string // where the form posts: this address
	Back     string
}

// reminderConfirm asks before a send: GET …/reminders/send shows how many
// texts would go out, and its form posts to the same address (reminderSend).
func (s *Server) reminderConfirm(resolve scopeResolver) func(*gin.Context) error {
	return func(c *gin.Context) error {
		scope, err := resolve(c)
		if err != nil {
			return err
		}
		list, err := s.store.PendingReminders(c.Request.Context(), scope.ReminderScope)
		if err != nil {
			return err
		}
		back := strings.TrimSuffix(c.Request.URL.Path, "/reminders/send") + "#reminders"
		v := reminderConfirmView{Name: scope.name, Campaign: scope.campaign, Pending: len(list),
			Gateway: s.cfg.SMSGatewayURL != "", Quiet: reminders.QuietHours(s.now()), Action: c.Request.URL.RequestURI(), Back: back}
		return s.render(c, http.StatusOK, "reminders_confirm.html", s.T(c, "reminders.confirm.title"), v)
	}
}
