package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// smsGateway posts reminder texts to the configured HTTP gateway:
//
//	POST <url>  Authorization: Bearer <token>  Content-Type: application/json
//	{"mobile": "13800001111", "message": "…"}
//
// Any 2xx is accepted. A network error, 429 or 5xx is retried with
// exponential backoff; another status is final.
type smsGateway struct {
	url, token string
	client     *http.Client
	attempts   int                 // tries per message
	backoff    time.Duration       // wait before the second try; doubled each time
	sleep      func(time.Duration) // time.Sleep; tests record instead
}

// send delivers one text and returns how many tries it took.
func (g *smsGateway) send(ctx context.Context, mobile, message string) (int, error) {
	body, err := json.Marshal(map[string]string{"mobile": mobile, "message": message})
	if err != nil {
		return 0, err
	}
	wait := g.backoff
	var last error
	for try := 1; try <= g.attempts; try++ {
		if try > 1 {
			g.sleep(wait)
			wait *= 2
		}
		retry, err := g.post(ctx, body)
		if err == nil {
			return try, nil
		}
		last = err
		if !retry || ctx.Err() != nil {
			return try, err
		}
	}
	return g.attempts, last
}

func (g *smsGateway) post(ctx context.Context, body []byte) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.url, bytes.NewReader(body))
	if err != nil {
		return false, fmt.Errorf("reminders: gateway: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if g.token != "" {
		req.Header.Set("Authorization", "Bearer "+g.token)
	}
	resp, err := g.client.Do(req)
	if err != nil {
		return true, fmt.Errorf("reminders: gateway: %w", err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return false, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return true, fmt.Errorf("reminders: gateway answered %d", resp.StatusCode)
	default:
		return false, fmt.Errorf("reminders: gateway answered %d", resp.StatusCode)
	}
}

// gateway returns the configured gateway, or nil when there is none.
func (s *server) gateway() *smsGateway {
	if s.cfg.SMSGatewayURL == "" {
		return nil
	}
	p := s.parent
	return &smsGateway{url: s.cfg.SMSGatewayURL, token: s.cfg.SMSGatewayToken, client: &http.Client{Timeout: 10 * time.Second},
		attempts: 3, backoff: 500 * time.Millisecond, sleep: p.sleep}
}

// sendSummary is the outcome of a reminders job, kept as the job's
// outcome JSON and shown on its page.
type sendSummary struct {
	Sent    int `json:"sent"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped_limit"` // the guardian already had the most reminders allowed
}

func parseSendSummary(s string) sendSummary {
	var sum sendSummary
	json.Unmarshal([]byte(s), &sum) // a malformed value reads as nothing done
	return sum
}

// reminderJobParams say what a reminders job covers; stored as its params.
type reminderJobParams struct {
	CampaignID int64  `json:"campaign_id"`
	SchoolID   int64  `json:"school_id,omitempty"`
	ClassID    int64  `json:"class_id,omitempty"`
	Label      string `json:"label"` // "class 12", for the audit log
}

func (p reminderJobParams) JSON() string {
	b, _ := json.Marshal(p)
	return string(b)
}

// reminderSend queues the scope's reminders as a background job: POST
// …/reminders/send. It refuses between 21:00 and 08:00 and without a
// gateway, and gives the same job back while one for the same scope is
// queued or running (a second click). The page goes to the job's page; the
// API answers 202 with the job.
func (s *server) reminderSend(resolve func(*gin.Context) (reminderScope, bool)) gin.HandlerFunc {
	return func(c *gin.Context) {
		scope, ok := resolve(c)
		if !ok {
			return
		}
		if s.cfg.SMSGatewayURL == "" {
			s.problem(c, http.StatusConflict, "no_gateway", "reminders.no_gateway")
			return
		}
		if quietHours(s.now()) {
			s.problem(c, http.StatusConflict, "quiet_hours", "reminders.quiet")
			return
		}
		params := reminderJobParams{CampaignID: scope.CampaignID, SchoolID: scope.SchoolID, ClassID: scope.ClassID, Label: scope.label}.JSON()
		j, pending, err := s.store.PendingJob(c.Request.Context(), store.JobReminders, scope.SchoolID, scope.CampaignID, params)
		if err != nil {
			s.internal(c, err)
			return
		}
		if !pending {
			u := currentUser(c)
			j, err = s.store.CreateJob(c.Request.Context(), store.Job{Kind: store.JobReminders, SchoolID: scope.SchoolID, CampaignID: scope.CampaignID,
				Params: params, CreatedBy: u.ID})
			if err != nil {
				s.internal(c, err)
				return
			}
			// Who asked for the numbers to go to the gateway, and when (the
			// audit entry's time); the job writes what it sent.
			if err := s.store.Audit(c.Request.Context(), u.ID, "reminders_send", fmt.Sprintf("%s: job %d queued", scope.label, j.ID)); err != nil {
				s.internal(c, err)
				return
			}
			if s.jobs != nil {
				s.jobs.Notify()
			}
		}
		if isAPI(c) {
			c.JSON(http.StatusAccepted, toAPIJob(j))
			return
		}
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/jobs/%d", j.ID))
	}
}
