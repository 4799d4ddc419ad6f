package web

import (
	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/jobs"
)

// reminderTarget is the send of a scope's reminders, checked: the campaign
// must be open.
func (s *Server) reminderTarget(c *gin.Context, resolve scopeResolver) (sendTarget, reminderScope, error) {
	scope, err := resolve(c)
	if err != nil {
		return sendTarget{}, scope, err
	}
	cp, err := s.store.Campaign(c.Request.Context(), scope.CampaignID)
	if err != nil {
		return sendTarget{}, scope, err
	}
	if err := campaign.CheckOpen(cp); err != nil {
		return sendTarget{}, scope, err
	}
	args := jobs.SendReminders{CampaignID: scope.CampaignID, SchoolID: scope.SchoolID, ClassID: scope.ClassID, Label: scope.label}
	return sendTarget{Args: args, Name: scope.name, Campaign: scope.campaign, Audit: "reminders_send"}, scope, nil
}

// reminderSend queues the scope's reminders as a background job: POST
// …/reminders/send, now or (when=morning) at the end of the quiet hours
// (queueSend). The page goes to the job's page; the API answers 202 with
// the job.
func (s *Server) reminderSend(resolve scopeResolver) func(*gin.Context) error {
	return func(c *gin.Context) error {
		t, _, err := s.reminderTarget(c, resolve)
		if err != nil {
			return err
		}
		return s.queueSend(c, t)
	}
}

// reminderEstimate: GET /api/v1/…/reminders/estimate — what a send would
// cost and the text the first family would receive.
func (s *Server) reminderEstimate(resolve scopeResolver) func(*gin.Context) error {
	return func(c *gin.Context) error {
		t, _, err := s.reminderTarget(c, resolve)
		if err != nil {
			return err
		}
		return s.sendEstimate(c, t)
	}
}
