// Package gateway sends texts through a plain JSON gateway of the
// district's own (the first way this app sent reminders):
//
//	POST <url>  Authorization: Bearer <token>  Content-Type: application/json
//	{"mobile": "13800001111", "message": "…"}
//
// Any 2xx is accepted. A network error, 429 or 5xx is tried again (three
// tries, waiting 0.5 s then 1 s); another status is final. The gateway
// takes free text and gives no delivery reports: a text it took is Sent.
package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"jiashu/sms"
)

// Config is the gateway's address and token.
type Config struct {
	URL   string
	Token sms.Secret
	// Clock waits between tries; the wall clock when nil.
	Clock sms.Clock
}

// Provider is the JSON gateway.
type Provider struct {
	url      string
	token    sms.Secret
	client   *http.Client
	clock    sms.Clock
	attempts int           // tries per text
	backoff  time.Duration // wait before the second try; doubled each time
}

// New checks the URL.
func New(cfg Config) (*Provider, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("gateway: %q is not an http(s) URL", cfg.URL)
	}
	clock := cfg.Clock
	if clock == nil {
		clock = sms.RealClock{}
	}
	return &Provider{url: cfg.URL, token: cfg.Token, client: &http.Client{Timeout: 10 * time.Second},
		clock: clock, attempts: 3, backoff: 500 * time.Millisecond}, nil
}

// Name is "http".
func (p *Provider) Name() string { return "http" }

// Limits: one text a request, no pace of its own.
func (p *Provider) Limits() sms.Limits { return sms.Limits{PerRequest: 1} }

// String names the gateway without its token.
func (p *Provider) String() string {
	u, _ := url.Parse(p.url)
	return "http(" + u.Scheme + "://" + u.Host + u.Path + ")"
}

// GoString is String.
func (p *Provider) GoString() string { return p.String() }

// Send posts each text of the batch (one, by Limits) with its body as the
// message.
func (p *Provider) Send(ctx context.Context, b sms.Batch) ([]sms.Result, error) {
	out := make([]sms.Result, 0, len(b.Texts))
	for _, t := range b.Texts {
		tries, err := p.send(ctx, t.Phone, t.Body)
		if err != nil {
			err.Tries = tries
			return nil, err
		}
		out = append(out, sms.Result{Key: t.Key, Phone: t.Phone, State: sms.Sent, Code: "2xx", Tries: tries})
	}
	return out, nil
}

// send delivers one text and returns how many tries it took.
func (p *Provider) send(ctx context.Context, mobile, message string) (int, *sms.Error) {
	body, _ := json.Marshal(map[string]string{"mobile": mobile, "message": message})
	wait := p.backoff
	var last *sms.Error
	for try := 1; try <= p.attempts; try++ {
		if try > 1 {
			if p.clock.Sleep(ctx, wait) != nil {
				return try - 1, last
			}
			wait *= 2
		}
		err := p.post(ctx, body)
		if err == nil {
			return try, nil
		}
		last = err
		if !err.Retry || ctx.Err() != nil {
			return try, err
		}
	}
	last.Retry = false // tried enough: the sender must not try again
	return p.attempts, last
}

func (p *Provider) post(ctx context.Context, body []byte) *sms.Error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(body))
	if err != nil {
		return &sms.Error{Provider: "http", Code: "request", Reason: sms.ReasonGatewayInput, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token.Reveal())
	}
	resp, err := p.client.Do(req)
	if err != nil {
		// As before the gateway moved here, any network error is tried again.
		e := sms.TransportError("http", err)
		e.Retry, e.Unsure, e.Reason = true, false, sms.ReasonNetwork
		return e
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	r, retry := sms.HTTPStatusReason(resp.StatusCode)
	return &sms.Error{Provider: "http", Code: "HTTP " + strconv.Itoa(resp.StatusCode), Reason: r, Retry: retry,
		Err: errors.New("gateway answered " + strconv.Itoa(resp.StatusCode))}
}
