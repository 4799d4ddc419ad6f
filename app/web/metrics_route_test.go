package web

import (
	"net/http"
	"strings"
	"testing"
)

func TestMetricsOnlyForAllowedAddresses(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	serve := func(allow, proxies []string) *browser {
		f.cfg.MetricsAllow, f.cfg.TrustedProxies = allow, proxies
		return newBrowser(t, f.serve(t, f.st).URL)
	}
	t.Run("loopback, allowed by default, reads the Prometheus text format", func(t *testing.T) {
		b := serve([]string{"127.0.0.0/8", "::1"}, nil)
		b.get("/login")
		b.get("/a/ZZZZ99999999")
		r := b.get("/metrics")
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") {
			t.Fatalf("status %d %q", r.Status, r.Header.Get("Content-Type"))
		}
		for _, want := range []string{
			`jiashu_http_requests_total{method="GET",route="/login",status="200"} 1`,
			`jiashu_http_requests_total{method="GET",route="/a/:token",status="404"} 1`,
			`jiashu_http_request_duration_seconds_bucket{method="GET",route="/login",le="0.005"}`,
			`jiashu_jobs{state="queued"} 0`,
			`jiashu_letters{status="acknowledged"}`,
			`jiashu_acknowledgements{channel="paper"} 0`,
			`jiashu_reminder_sms{outcome="failed"} 0`,
			`jiashu_database_up 1`,
			`go_goroutines`,
		} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("no %s in:\n%.3000s", want, r.Body)
			}
		}
		if strings.Contains(r.Body, "ZZZZ99999999") {
			t.Error("a raw path reached the metrics")
		}
	})
	t.Run("an address not in the list gets a plain 404", func(t *testing.T) {
		if r := serve([]string{"10.0.0.0/8"}, nil).get("/metrics"); r.Status != http.StatusNotFound || strings.Contains(r.Body, "jiashu_") {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("nobody when the list is empty", func(t *testing.T) {
		if r := serve(nil, nil).get("/metrics"); r.Status != http.StatusNotFound {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("through a proxy that is not trusted, loopback is not enough", func(t *testing.T) {
		if r := serve([]string{"127.0.0.0/8", "::1"}, nil).get("/metrics", "X-Forwarded-For", "203.0.113.5"); r.Status != http.StatusNotFound {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("through a trusted proxy, the client it names decides", func(t *testing.T) {
		b := serve([]string{"10.0.0.0/8"}, []string{"127.0.0.1", "::1"})
		if r := b.get("/metrics", "X-Forwarded-For", "10.1.2.3"); r.Status != http.StatusOK {
			t.Fatalf("allowed client: status %d", r.Status)
		}
		if r := b.get("/metrics", "X-Forwarded-For", "203.0.113.5"); r.Status != http.StatusNotFound {
			t.Fatalf("other client: status %d", r.Status)
		}
	})
}
