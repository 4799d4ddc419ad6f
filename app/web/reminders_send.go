package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/jobs"
	"jiashu/app/reminders"
	"jiashu/store"
)

// reminderSend queues the scope's reminders as a background job: POST
// …/reminders/send. It refuses between 21:00 and 08:00 and without a
// gateway, and gives the same job back while one for the same scope is
// queued or running (a second click). The page goes to the job's page; the
// API answers 202 with the job.
func (s *Server) reminderSend(resolve scopeResolver) func(*gin.Context) error {
	return func(c *gin.Context) error {
		scope, err := resolve(c)
		if err != nil {
			return err
		}
		cp, err := s.store.Campaign(c.Request.Context(), scope.CampaignID)
		if err != nil {
			return err
		}
		if err := campaign.CheckOpen(cp); err != nil {
			return err
		}
		if s.cfg.SMSGatewayURL == "" {
			return refuse(http.StatusConflict, "no_gateway", "reminders.no_gateway")
		}
		if reminders.QuietHours(s.now()) {
			return refuse(http.StatusConflict, "quiet_hours", "reminders.quiet")
		}
		job := jobs.NewJob(jobs.SendReminders{CampaignID: scope.CampaignID, SchoolID: scope.SchoolID, ClassID: scope.ClassID, Label: scope.label},
			store.Job{SchoolID: scope.SchoolID, CampaignID: scope.CampaignID})
		j, pending, err := s.store.PendingJob(c.Request.Context(), job.Kind, job.SchoolID, job.CampaignID, job.Params)
		if err != nil {
			return err
		}
		if !pending {
			u := currentUser(c)
			job.CreatedBy = u.ID
			j, err = s.store.CreateJob(c.Request.Context(), job)
			if err != nil {
				return err
			}
			// Who asked for the numbers to go to the gateway, and when (the
			// audit entry's time); the job writes what it sent.
			if err := s.store.Audit(c.Request.Context(), u.ID, "reminders_send", fmt.Sprintf("%s: job %d queued", scope.label, j.ID)); err != nil {
				return err
			}
			if s.Jobs != nil {
				s.Jobs.Notify()
			}
		}
		return answerJob(c, j)
	}
}

// answerJob answers a queued job: 202 with it for the API, the job's page
// for a page.
func answerJob(c *gin.Context, j store.Job) error {
	if isAPI(c) {
		accepted(c, j)
		return nil
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/jobs/%d", j.ID))
	return nil
}
