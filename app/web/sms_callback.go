package web

import (
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/app/reminders"
	"jiashu/sms"
)

// Delivery reports pushed by the provider (Aliyun's SmsReport, Tencent's
// status callback): POST /sms/report/:token, outside the session and the
// API. Neither provider signs its push, so the URL registered with it
// carries a long random token of the app's (--sms-callback-token), compared
// in constant time (sms.SameToken); a wrong token is a plain 404, as for
// any unknown address, and a client that keeps trying is refused for a
// while. The body is bounded (sms.MaxCallback); the answer is the body the
// provider expects, telling it whether the reports were taken (a refusal
// makes it push them again). The token never reaches a log: the access
// log writes the route's pattern, not its path.

// receipts is the use case of delivery reports.
func (s *Server) receipts() reminders.Receipts {
	return reminders.Receipts{Store: s.store, Provider: s.smsProvider, Now: s.now, Log: s.log}
}

// smsReport: POST /sms/report/:token.
func (s *Server) smsReport(c *gin.Context) error {
	recv, ok := s.smsProvider.(sms.CallbackReceiver)
	if !ok || s.cfg.SMSCallbackToken == "" {
		return errNotFound
	}
	ip := c.ClientIP()
	if s.callbackGuard.blocked(ip, s.now()) {
		return refuse(http.StatusTooManyRequests, "too_many_requests", "error.busy")
	}
	if !sms.SameToken(c.Param("token"), s.cfg.SMSCallbackToken) {
		s.callbackGuard.fail(ip, s.now())
		return errNotFound
	}
	reports, err := recv.ParseCallback(c.Request.Body)
	if err != nil {
		s.log.Warn("sms report refused", "provider", s.smsProvider.Name(), "err", err)
		ct, body := recv.CallbackReply(false)
		c.Data(http.StatusBadRequest, ct, body)
		return nil
	}
	if _, err := s.receipts().Apply(c.Request.Context(), reports); err != nil {
		s.log.Error("sms report", "provider", s.smsProvider.Name(), "err", err)
		ct, body := recv.CallbackReply(false)
		c.Data(http.StatusServiceUnavailable, ct, body)
		return nil
	}
	ct, body := recv.CallbackReply(true)
	c.Data(http.StatusOK, ct, body)
	return nil
}

// callbackGuard counts wrong tokens per client in one-minute windows: ten
// and the client is refused until its window ends. The token carries at
// least 16 random characters, so guessing is hopeless anyway; the guard
// keeps a prober from costing the database anything.
type callbackGuard struct {
	mu      sync.Mutex
	windows map[string]guardWindow
}

type guardWindow struct {
	start time.Time
	n     int
}

const (
	callbackFailures = 10
	callbackWindow   = time.Minute
)

func (g *callbackGuard) blocked(ip string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	w, ok := g.windows[ip]
	return ok && now.Sub(w.start) < callbackWindow && w.n >= callbackFailures
}

func (g *callbackGuard) fail(ip string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.windows == nil || len(g.windows) > 10000 {
		g.windows = map[string]guardWindow{} // a flood of addresses forgets the oldest all at once
	}
	w := g.windows[ip]
	if now.Sub(w.start) >= callbackWindow {
		w = guardWindow{start: now}
	}
	w.n++
	g.windows[ip] = w
}
