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
)

func TestAPIAnswersAreNotStoredAndBodiesAreJSON(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	center := newBrowser(t, f.srv.URL)
	center.login("district")
	send := func(method, path, contentType, body string) response {
		req, _ := http.NewRequest(method, center.base+path, strings.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		return center.do(req)
	}
	t.Run("answers carry Cache-Control: no-store, errors too", func(t *testing.T) {
		for _, r := range []response{center.get("/api/v1/me"), center.get("/api/v1/schools"), newBrowser(t, f.srv.URL).get("/api/v1/me")} {
			if r.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("status %d Cache-Control %q", r.Status, r.Header.Get("Cache-Control"))
			}
		}
	})
	for _, ct := range []string{"application/x-www-form-urlencoded", "text/plain", "", "multipart/form-data; boundary=x"} {
		t.Run("a body as "+ct+" is refused with 415", func(t *testing.T) {
			r := send(http.MethodPost, "/api/v1/schools", ct, `{"name":"新学校"}`)
			if r.Status != http.StatusUnsupportedMediaType || !strings.Contains(r.Body, `"code":"unsupported_media_type"`) || !strings.Contains(r.Body, "application/json") {
				t.Fatalf("status %d body %s", r.Status, r.Body)
			}
		})
	}
	t.Run("JSON is accepted, with a charset too", func(t *testing.T) {
		if r := send(http.MethodPost, "/api/v1/schools", "application/json; charset=utf-8", `{"name":"新学校"}`); r.Status != http.StatusCreated {
			t.Fatalf("status %d body %s", r.Status, r.Body)
		}
	})
	t.Run("a POST without a body needs no content type", func(t *testing.T) {
		if r := send(http.MethodPost, "/api/v1/users/"+itoa(f.users["ta"].ID)+"/disable", "", ""); r.Status != http.StatusOK {
			t.Fatalf("status %d body %s", r.Status, r.Body)
		}
	})
	t.Run("the roster upload stays multipart", func(t *testing.T) {
		r := center.upload("/api/v1/schools/"+itoa(f.schoolA)+"/imports?dry_run=1", "roster.xlsx", []byte("not a workbook"), nil)
		if r.Status == http.StatusUnsupportedMediaType {
			t.Fatalf("multipart upload refused: %s", r.Body)
		}
	})
}

// syncBuffer is a log sink the server's goroutines share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestTokensNeverReachTheLog: the access log and error logs name routes
// (/a/:token), never raw paths, and no header or form value is logged.
func TestTokensNeverReachTheLog(t *testing.T) {
	t.Parallel()
	f := newParentFixture(t, "")
	var logs syncBuffer
	srv, err := New(f.srv.cfg, f.st, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	h := checked(t, srv.Handler())
	apiSecret, _, err := f.st.CreateAPIToken(context.Background(), f.teacherID, "script")
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, target string, body url.Values, header ...string) int {
		var req *http.Request
		if body != nil {
			req = httptest.NewRequest(method, target, strings.NewReader(body.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req = httptest.NewRequest(method, target, nil)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	tok := f.tokens[0]
	do(http.MethodGet, "/a/"+tok, nil)
	do(http.MethodGet, "/a/"+tok+"?c=s", nil)
	do(http.MethodPost, "/a", url.Values{"code": {tok}}, "Origin", "https://jiashu.example.edu.cn", "Sec-Fetch-Site", "same-origin")
	do(http.MethodGet, "/a/ZZZZ9999999X", nil)
	do(http.MethodGet, "/api/v1/me", nil, "Authorization", "Bearer "+apiSecret)
	do(http.MethodGet, "/api/v1/nothing/"+tok, nil, "Authorization", "Bearer "+apiSecret)
	do(http.MethodGet, "/login?next=/a/"+tok, nil)
	out := logs.String()
	if !strings.Contains(out, `"path":"/a/:token"`) {
		t.Fatalf("the access log does not name the route: %.600s", out)
	}
	for _, secret := range []string{tok, strings.ToLower(tok), apiSecret, "ZZZZ9999999X"} {
		if strings.Contains(out, secret) {
			t.Fatalf("the log holds %q:\n%s", secret, out)
		}
	}
}
