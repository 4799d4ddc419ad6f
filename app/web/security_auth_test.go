package web

import (
	"context"
	"io"
	"jiashu/app/account"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestSessionCookieFlags: the session cookie is out of reach of scripts,
// not sent on cross-site subrequests, and only over HTTPS when the service
// is reached over HTTPS.
func TestSessionCookieFlags(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"http://jiashu.test", "https://jiashu.example.edu.cn"} {
		t.Run(base, func(t *testing.T) {
			f := newWebFixture(t, webDSNs(t)["sqlite"])
			f.cfg.BaseURL = base
			srv := f.serve(t, f.st)
			b := newBrowser(t, srv.URL)
			r := b.post("/login", url.Values{"username": {"ta"}, "password": {testPassword}})
			var sc *http.Cookie
			for _, c := range (&http.Response{Header: r.Header}).Cookies() {
				if c.Name == sessionCookie {
					sc = c
				}
			}
			if sc == nil {
				t.Fatalf("no session cookie; status %d", r.Status)
			}
			if !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode {
				t.Errorf("cookie HttpOnly=%v SameSite=%v, want HttpOnly and Lax", sc.HttpOnly, sc.SameSite)
			}
			if want := strings.HasPrefix(base, "https://"); sc.Secure != want {
				t.Errorf("cookie Secure=%v, want %v", sc.Secure, want)
			}
		})
	}
}

// TestSessionLifecycle: a sign-in makes a new session and ends the one the
// browser had; signing out ends the session on the server, not only in the
// browser.
func TestSessionLifecycle(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	replay := func(t *testing.T, token string) int {
		req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/api/v1/me", nil)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
		return newBrowser(t, f.srv.URL).do(req).Status
	}
	t.Run("a sign-in over an open session gives a new session and ends the old one", func(t *testing.T) {
		b := newBrowser(t, f.srv.URL)
		b.login("ta")
		first := b.cookie(sessionCookie).Value
		b.login("tb")
		second := b.cookie(sessionCookie).Value
		if first == second {
			t.Fatal("the session id was kept across sign-ins")
		}
		if st := replay(t, first); st != http.StatusUnauthorized {
			t.Fatalf("the first session still works after the next sign-in: %d", st)
		}
	})
	t.Run("a copied cookie stops working after sign-out", func(t *testing.T) {
		b := newBrowser(t, f.srv.URL)
		b.login("ta")
		token := b.cookie(sessionCookie).Value
		if st := replay(t, token); st != http.StatusOK {
			t.Fatalf("before sign-out: %d", st)
		}
		if r := b.post("/logout", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("logout: %d", r.Status)
		}
		if st := replay(t, token); st != http.StatusUnauthorized {
			t.Fatalf("after sign-out the session still works: %d", st)
		}
	})
	t.Run("a password change signs out the other sessions", func(t *testing.T) {
		other := newBrowser(t, f.srv.URL)
		other.login("tc")
		b := newBrowser(t, f.srv.URL)
		b.login("tc")
		r := b.post("/account/password", url.Values{"current": {testPassword}, "password": {"a-new-secret-9"}, "confirm": {"a-new-secret-9"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("change: %d", r.Status)
		}
		if r := other.get("/api/v1/me"); r.Status != http.StatusUnauthorized {
			t.Fatalf("the other session survived: %d", r.Status)
		}
		if r := b.get("/api/v1/me"); r.Status != http.StatusOK {
			t.Fatalf("the session that changed it was signed out: %d", r.Status)
		}
	})
}

// TestAPITokenLimits: an API token is for the JSON API. It cannot manage
// the account (change the password, make or revoke tokens) or open pages,
// so a leaked script token cannot make itself permanent.
func TestAPITokenLimits(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	b := newBrowser(t, f.srv.URL)
	b.login("adminA")
	r := b.post("/account/tokens", url.Values{"name": {"脚本"}})
	token := regexp.MustCompile(`jst_[A-Za-z0-9_-]{43}`).FindString(r.Body)
	if token == "" {
		t.Fatal("no token")
	}
	script := newBrowser(t, f.srv.URL)
	auth := []string{"Authorization", "Bearer " + token}
	ctx := context.Background()
	t.Run("a token cannot make another token", func(t *testing.T) {
		r := script.post("/account/tokens", url.Values{"name": {"持久"}}, auth...)
		toks, _ := f.st.APITokens(ctx, f.users["adminA"].ID)
		if r.Status < 400 || len(toks) != 1 {
			t.Fatalf("status %d, %d tokens", r.Status, len(toks))
		}
	})
	t.Run("a token cannot change the password", func(t *testing.T) {
		r := script.post("/account/password", url.Values{"current": {testPassword}, "password": {"stolen-pass-1"}, "confirm": {"stolen-pass-1"}}, auth...)
		if r.Status < 400 {
			t.Fatalf("status %d", r.Status)
		}
		if u, _ := f.st.UserByUsername(ctx, "adminA"); !account.Check(u.PasswordHash, testPassword) {
			t.Fatal("the password was changed through an API token")
		}
	})
	t.Run("a token cannot revoke tokens", func(t *testing.T) {
		toks, _ := f.st.APITokens(ctx, f.users["adminA"].ID)
		r := script.post("/account/tokens/"+itoa(toks[0].ID)+"/delete", nil, auth...)
		after, _ := f.st.APITokens(ctx, f.users["adminA"].ID)
		if r.Status < 400 || len(after) != 1 {
			t.Fatalf("status %d, %d tokens left", r.Status, len(after))
		}
	})
	t.Run("the token still works on the API", func(t *testing.T) {
		if r := script.get("/api/v1/classes/"+itoa(f.classA1), auth...); r.Status != http.StatusOK {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("a password reset revokes the account's tokens: they open nothing, even after the new password is set", func(t *testing.T) {
		hash, _ := fixtureHash("one-time-pass-1")
		if err := f.st.SetPassword(ctx, f.users["adminA"].ID, hash, true); err != nil {
			t.Fatal(err)
		}
		defer func() {
			h, _ := fixtureHash(testPassword)
			f.st.SetPassword(ctx, f.users["adminA"].ID, h, false)
		}()
		for _, p := range []string{"/api/v1/me", "/api/v1/classes/" + itoa(f.classA1)} {
			if r := script.get(p, auth...); r.Status != http.StatusUnauthorized {
				t.Errorf("%s: status %d", p, r.Status)
			}
		}
		h, _ := fixtureHash(testPassword)
		f.st.SetPassword(ctx, f.users["adminA"].ID, h, false)
		if r := script.get("/api/v1/me", auth...); r.Status != http.StatusUnauthorized {
			t.Errorf("after the new password: status %d", r.Status)
		}
	})
}

// TestLoginNextIsNotAnOpenRedirect: the target after signing in stays on
// this site, whatever a link puts in next=.
func TestLoginNextIsNotAnOpenRedirect(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	for _, next := range []string{
		"//evil.example/", "/\\evil.example", "https://evil.example/", "/\t/evil.example", "/\n/evil.example",
		"/\r\n/evil.example", "\\/evil.example", "/ /evil.example", "javascript:alert(1)", "/\x00/evil.example",
	} {
		t.Run(strings.ToValidUTF8(url.QueryEscape(next), "?"), func(t *testing.T) {
			b := newBrowser(t, f.srv.URL)
			r := b.post("/login", url.Values{"username": {"ta"}, "password": {testPassword}, "next": {next}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("status %d", r.Status)
			}
			u, err := url.Parse(strings.Map(func(r rune) rune {
				if r == '\t' || r == '\n' || r == '\r' {
					return -1 // what a browser drops from a URL
				}
				return r
			}, r.Location))
			if err != nil || u.Host != "" || u.Scheme != "" || strings.HasPrefix(u.Path, "//") || strings.Contains(r.Location, "\\") {
				t.Fatalf("next %q led to %q", next, r.Location)
			}
		})
	}
	t.Run("a path on the site is kept", func(t *testing.T) {
		b := newBrowser(t, f.srv.URL)
		r := b.post("/login", url.Values{"username": {"ta"}, "password": {testPassword}, "next": {"/classes/" + itoa(f.classA1) + "?x=1"}})
		if r.Location != "/classes/"+itoa(f.classA1)+"?x=1" {
			t.Fatalf("location %q", r.Location)
		}
	})
}

// TestCSRFOnEveryRoute walks the route table: every state-changing route
// refuses a request a browser sends from another site.
func TestCSRFOnEveryRoute(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	tg := seedScopeTargets(t, f)
	b := newBrowser(t, f.srv.URL)
	b.login("district")
	before := dbFingerprint(t, f.st)
	for _, r := range routeTable(t, f) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			continue
		}
		path := tg.fill(f, r.Path)
		for _, h := range [][]string{
			{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"},
			{"Sec-Fetch-Site", "", "Origin", "https://evil.example"},
			{"Sec-Fetch-Site", "same-site", "Origin", "https://sub.jiashu.test"},
		} {
			req, _ := http.NewRequest(r.Method, f.srv.URL+path, strings.NewReader("name=x&username=x&password=x"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res := b.do(req, h...)
			if res.Status != http.StatusForbidden {
				t.Errorf("%s %s from %v: status %d, want 403", r.Method, path, h, res.Status)
			}
		}
	}
	if dbFingerprint(t, f.st) != before {
		t.Fatal("a cross-site request changed the database")
	}
	if r := b.get("/api/v1/me"); r.Status != http.StatusOK {
		t.Fatalf("a cross-site logout signed the user out: %d", r.Status)
	}
}

// TestServerTimeouts: a request body cannot be trickled for ever, while a
// long ZIP download is not cut by a write timeout.
func TestServerTimeouts(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	srv, err := New(f.cfg, f.st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	hs := srv.HTTPServer()
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 {
		t.Errorf("ReadHeaderTimeout %v, ReadTimeout %v: a slow client holds a connection for ever", hs.ReadHeaderTimeout, hs.ReadTimeout)
	}
	if hs.WriteTimeout != 0 {
		t.Errorf("WriteTimeout %v would cut long ZIP downloads", hs.WriteTimeout)
	}
}
