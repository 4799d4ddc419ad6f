package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestServerBasics(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			b := newBrowser(t, f.srv.URL)

			t.Run("healthz answers ok with the database", func(t *testing.T) {
				r := b.get("/healthz")
				var h struct{ Status, DB string }
				if r.Status != http.StatusOK || json.Unmarshal([]byte(r.Body), &h) != nil || h.Status != "ok" || h.DB != name {
					t.Fatalf("%d %s", r.Status, r.Body)
				}
			})
			t.Run("every response carries the security headers", func(t *testing.T) {
				for _, path := range []string{"/login", "/healthz", "/a", "/no-such-page"} {
					h := b.get(path).Header
					csp := h.Get("Content-Security-Policy")
					if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") ||
						h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
						t.Errorf("%s: headers %v", path, h)
					}
				}
			})
			t.Run("an unknown page is a 404 page for people and JSON for scripts", func(t *testing.T) {
				r := b.get("/no-such-page")
				if r.Status != http.StatusNotFound || !strings.Contains(r.Header.Get("Content-Type"), "text/html") || !strings.Contains(r.Body, "找不到") {
					t.Fatalf("page: %d %s %.200s", r.Status, r.Header.Get("Content-Type"), r.Body)
				}
				b.login("district")
				r = b.get("/api/v1/no-such-thing")
				var e apiError
				if r.Status != http.StatusNotFound || json.Unmarshal([]byte(r.Body), &e) != nil || e.Error.Code != "not_found" {
					t.Fatalf("api: %d %s", r.Status, r.Body)
				}
			})
			t.Run("each role lands on its own start page", func(t *testing.T) {
				for user, home := range map[string]string{"district": "/district", "adminA": "/school", "ta": "/classes"} {
					r := newBrowser(t, f.srv.URL).post("/login", url.Values{"username": {user}, "password": {testPassword}})
					if r.Status != http.StatusSeeOther || r.Location != home {
						t.Errorf("%s: %d → %q, want %s", user, r.Status, r.Location, home)
					}
				}
			})
			t.Run("a form body over the limit is refused", func(t *testing.T) {
				req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/login", strings.NewReader("username=x&password="+strings.Repeat("x", formBodyLimit+10)))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				r := b.do(req)
				if r.Status < 400 {
					t.Fatalf("a %d-byte login form was accepted: %d", formBodyLimit, r.Status)
				}
			})
		})
	}
}

// TestTheSiteHasAnIcon: browsers ask /favicon.ico by themselves; every
// staff page links the icon too.
func TestTheSiteHasAnIcon(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, t.TempDir()+"/icon.db")
	b := newBrowser(t, f.srv.URL)
	r := b.get("/favicon.ico")
	if r.Status != 200 || !strings.HasPrefix(r.Body, "<svg") || r.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("favicon: %d %q %.80s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	if page := b.get("/login").Body; !strings.Contains(page, `<link rel="icon" type="image/svg+xml" href="/static/favicon.svg?v=`) {
		t.Error("the login page does not link the icon")
	}
}
