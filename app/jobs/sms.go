package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Gateway posts reminder texts to the configured HTTP gateway:
//
//	POST <url>  Authorization: Bearer <token>  Content-Type: application/json
//	{"mobile": "13800001111", "message": "…"}
//
// Any 2xx is accepted. A network error, 429 or 5xx is retried with
// exponential backoff; another status is final.
type Gateway struct {
	url, token string
	client     *http.Client
	attempts   int           // tries per message
	backoff    time.Duration // wait before the second try; doubled each time
	// Sleep waits between tries; it returns early when ctx ends. Tests
	// record instead.
	Sleep func(ctx context.Context, d time.Duration)
}

// NewGateway is the gateway at url, or nil when url is empty (reminders
// are then exported only).
func NewGateway(url, token string) *Gateway {
	if url == "" {
		return nil
	}
	return &Gateway{url: url, token: token, client: &http.Client{Timeout: 10 * time.Second},
		attempts: 3, backoff: 500 * time.Millisecond, Sleep: sleepCtx}
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// Send delivers one text and returns how many tries it took.
func (g *Gateway) Send(ctx context.Context, mobile, message string) (int, error) {
	body, err := json.Marshal(map[string]string{"mobile": mobile, "message": message})
	if err != nil {
		return 0, err
	}
	wait := g.backoff
	var last error
	for try := 1; try <= g.attempts; try++ {
		if try > 1 {
			g.Sleep(ctx, wait)
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

func (g *Gateway) post(ctx context.Context, body []byte) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.url, bytes.NewReader(body))
	if err != nil {
		return false, fmt.Errorf("jobs: gateway: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if g.token != "" {
		req.Header.Set("Authorization", "Bearer "+g.token)
	}
	resp, err := g.client.Do(req)
	if err != nil {
		return true, fmt.Errorf("jobs: gateway: %w", err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return false, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return true, fmt.Errorf("jobs: gateway answered %d", resp.StatusCode)
	default:
		return false, fmt.Errorf("jobs: gateway answered %d", resp.StatusCode)
	}
}
