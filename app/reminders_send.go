package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
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
	p := s.parentPages()
	return &smsGateway{url: s.cfg.SMSGatewayURL, token: s.cfg.SMSGatewayToken, client: &http.Client{Timeout: 10 * time.Second},
		attempts: 3, backoff: 500 * time.Millisecond, sleep: p.sleep}
}

// sendSummary is the answer of a send.
type sendSummary struct {
	Sent    int `json:"sent"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped_limit"` // the guardian already had the most reminders allowed
}

// smsWorkers is how many texts are in flight at once.
const smsWorkers = 8

// sendReminders sends the list, each guardian's texts in order by one
// worker so the per-guardian limit needs no locking, and records every
// outcome.
func (s *server) sendReminders(ctx context.Context, g *smsGateway, campaignID int64, list []reminder, userID int64) sendSummary {
	byGuardian := map[int64][]reminder{}
	var order []int64
	for _, r := range list {
		if _, ok := byGuardian[r.GuardianID]; !ok {
			order = append(order, r.GuardianID)
		}
		byGuardian[r.GuardianID] = append(byGuardian[r.GuardianID], r)
	}
	var mu sync.Mutex
	var sum sendSummary
	work := make(chan []reminder)
	var wg sync.WaitGroup
	for range smsWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rs := range work {
				sent := rs[0].Sent
				for _, r := range rs {
					if sent >= s.cfg.SMSMaxPerGuardian {
						mu.Lock()
						sum.Skipped++
						mu.Unlock()
						continue
					}
					tries, err := g.send(ctx, r.Mobile, r.Message)
					rec := store.Reminder{CampaignID: campaignID, GuardianID: r.GuardianID, LetterID: r.LetterID,
						Sent: err == nil, Attempts: tries, SentBy: userID, At: s.now()}
					if err != nil {
						rec.Error = err.Error()
						s.log.Warn("reminder not sent", "guardian", r.GuardianID, "err", err)
					} else {
						sent++
					}
					if err := s.store.RecordReminder(context.WithoutCancel(ctx), rec); err != nil {
						s.log.Error("record reminder", "err", err)
					}
					mu.Lock()
					if rec.Sent {
						sum.Sent++
					} else {
						sum.Failed++
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, id := range order {
		work <- byGuardian[id]
	}
	close(work)
	wg.Wait()
	return sum
}

// reminderSend sends the scope's reminders through the gateway: POST
// …/reminders/send. It refuses between 21:00 and 08:00, and without a
// gateway. The class page gets a redirect back with the counts; the API a
// JSON summary.
func (s *server) reminderSend(resolve func(*gin.Context) (reminderScope, bool), back func(*gin.Context) string) gin.HandlerFunc {
	return func(c *gin.Context) {
		scope, ok := resolve(c)
		if !ok {
			return
		}
		g := s.gateway()
		if g == nil {
			s.problem(c, http.StatusConflict, "no_gateway", "reminders.no_gateway")
			return
		}
		if quietHours(s.now()) {
			s.problem(c, http.StatusConflict, "quiet_hours", "reminders.quiet")
			return
		}
		list, err := s.reminders(c, scope.ReminderScope)
		if err != nil {
			s.internal(c, err)
			return
		}
		u := currentUser(c)
		if err := s.store.Audit(c, u.ID, "reminders_send", fmt.Sprintf("%s: %d phone numbers to the gateway", scope.label, len(list))); err != nil {
			s.internal(c, err)
			return
		}
		sum := s.sendReminders(c, g, scope.CampaignID, list, u.ID)
		if err := s.store.Audit(c, u.ID, "reminders_sent", fmt.Sprintf("%s: sent %d, failed %d, skipped %d", scope.label, sum.Sent, sum.Failed, sum.Skipped)); err != nil {
			s.log.Error("audit", "err", err)
		}
		if isAPI(c) || back == nil {
			c.JSON(http.StatusOK, sum)
			return
		}
		notice := s.cat.Tf(langOf(c), "reminders.sent", sum.Sent, sum.Failed, sum.Skipped)
		c.Redirect(http.StatusSeeOther, back(c)+"?notice="+url.QueryEscape(notice))
	}
}
