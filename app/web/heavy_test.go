package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"jiashu/app/campaign"
	"jiashu/roster/rostertest"
)

// TestEightParallelPreviewsNeverAnswer500: eight school rosters previewed
// at once (and the health check meanwhile) answer the preview, or 503 with
// Retry-After and 系统正忙 when the gate is full — never a 500, never
// "database is locked" — on both databases.
func TestEightParallelPreviewsNeverAnswer500(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := rostertest.Generate(&buf, 600, rostertest.OneSheet(), rostertest.Seed(11)); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			admin := newBrowser(t, f.srv.URL)
			admin.login("adminA")
			var wg sync.WaitGroup
			results := make([]response, 8)
			for i := range results {
				wg.Go(func() {
					results[i] = admin.upload("/schools/"+itoa(f.schoolA)+"/roster", "全校.xlsx", data, nil)
				})
			}
			health := admin.get("/healthz")
			wg.Wait()
			if health.Status != http.StatusOK {
				t.Errorf("/healthz during the previews: %d", health.Status)
			}
			ok := 0
			for i, r := range results {
				switch {
				case r.Status == http.StatusOK && strings.Contains(r.Body, `id="preview"`):
					ok++
				case r.Status == http.StatusServiceUnavailable && r.Header.Get("Retry-After") != "" && strings.Contains(r.Body, "系统正忙，请稍后再试"):
				default:
					t.Errorf("preview %d: %d %.300s", i, r.Status, r.Body)
				}
			}
			if ok == 0 {
				t.Error("no preview got through")
			}
		})
	}
}

// TestAFullGateAnswers503WithRetryAfter: with every slot taken and no room
// to wait, a preview, an import and a class PDF are told to retry, in
// Chinese on the pages and in the JSON shape on the API.
func TestAFullGateAnswers503WithRetryAfter(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	srv, err := New(f.cfg, f.st, slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelError})))
	if err != nil {
		t.Fatal(err)
	}
	srv.gate = newHeavyGate(1, 0, 0)
	hold := srv.gate.acquire(context.Background())
	defer hold()
	hs := httptest.NewServer(checked(t, srv.Handler()))
	t.Cleanup(hs.Close)
	admin := newBrowser(t, hs.URL)
	admin.login("adminA")
	for _, r := range []response{
		admin.upload("/schools/"+itoa(f.schoolA)+"/roster", "x.xlsx", cleanRoster(t), nil),
		admin.post("/classes/"+itoa(f.classA1)+"/letters", url.Values{}),
		admin.upload("/api/v1/schools/"+itoa(f.schoolA)+"/imports", "x.xlsx", cleanRoster(t), map[string]string{"dry_run": "true", "class": "三年级2班"}),
	} {
		if r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") != retryAfter || !strings.Contains(r.Body, "系统正忙") {
			t.Errorf("%d %q %.300s", r.Status, r.Header.Get("Retry-After"), r.Body)
		}
	}
	if _, ok, _ := campaign.Current(context.Background(), f.st, f.schoolA); ok {
		t.Error("a refused request issued letters")
	}
}
