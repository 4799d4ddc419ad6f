package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/app/jobs"
	"jiashu/store"
)

// Honest feedback on a reminders job: texts that did not reach the phone
// (refused when sent, or reported undelivered) make the page red, say why
// in terms a teacher can act on, and offer to send again to those
// guardians only.

// jobFailures fills the failure reasons and the retry of a finished
// reminders job with failures.
func (s *Server) jobFailures(c *gin.Context, j store.Job, d *jobPageData) error {
	if !j.Finished() || d.Sent.Undelivered == 0 {
		return nil
	}
	reasons, _, err := s.store.JobReminderFailures(c.Request.Context(), j.ID)
	if err != nil {
		return err
	}
	d.Failures = reasons
	if s.cfg.SMSSends() {
		d.RetryFailed = fmt.Sprintf("/jobs/%d/retry-failed", j.ID)
	}
	return nil
}

// retryFailedReminders: POST /jobs/:job/retry-failed (and under /api/v1):
// a new reminders job for the same scope that sends only to the guardians
// whose texts failed in this one (and whose family has still not
// acknowledged). The per-guardian limit still holds: a failed text gave
// its slot back.
func (s *Server) retryFailedReminders(c *gin.Context) error {
	j, err := s.jobParam(c)
	if err != nil {
		return err
	}
	if j.Kind != store.JobReminders || !j.Finished() {
		return refuse(http.StatusConflict, "job_not_retryable", "reminders.retry_failed.not_now")
	}
	if !s.cfg.SMSSends() {
		return refuse(http.StatusConflict, "no_gateway", "reminders.no_gateway")
	}
	if s.quiet() {
		return s.quietRefusal(c)
	}
	p, err := jobs.Decode[jobs.SendReminders](j)
	if err != nil {
		return err
	}
	p.RetryOf = j.ID
	u := currentUser(c)
	next, err := s.store.CreateJob(c.Request.Context(), jobs.NewJob(p, store.Job{SchoolID: j.SchoolID, CampaignID: j.CampaignID, CreatedBy: u.ID}))
	if err != nil {
		return err
	}
	if err := s.store.Audit(c.Request.Context(), u.ID, "reminders_send", fmt.Sprintf("%s: job %d queued, the failed texts of job %d", p.Label, next.ID, j.ID)); err != nil {
		return err
	}
	if s.Jobs != nil {
		s.Jobs.Notify()
	}
	return s.answerJob(c, next)
}
