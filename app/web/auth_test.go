package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"jiashu/store"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			t.Run("a signed-out visitor is sent to the login page", func(t *testing.T) {
				r := newBrowser(t, f.srv.URL).get("/classes")
				if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login?next=%2Fclasses") {
					t.Fatalf("status %d location %q", r.Status, r.Location)
				}
			})
			t.Run("the login page is Chinese and loads its stylesheet from this site", func(t *testing.T) {
				r := newBrowser(t, f.srv.URL).get("/login")
				if r.Status != 200 || !strings.Contains(r.Body, `lang="zh-CN"`) || !strings.Contains(r.Body, "登录") {
					t.Fatalf("status %d body %.400s", r.Status, r.Body)
				}
				css := regexp.MustCompile(`href="(/static/app\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(r.Body)
				if css == nil {
					t.Fatal("no versioned stylesheet link")
				}
				c := newBrowser(t, f.srv.URL).get(css[1])
				if c.Status != 200 || !strings.HasPrefix(c.Header.Get("Content-Type"), "text/css") || !strings.Contains(c.Header.Get("Cache-Control"), "immutable") {
					t.Fatalf("stylesheet: %d %q %q", c.Status, c.Header.Get("Content-Type"), c.Header.Get("Cache-Control"))
				}
				if strings.Contains(r.Body, "<script") || strings.Contains(r.Body, "style=") || strings.Contains(r.Body, "http://") && !strings.Contains(r.Body, "jiashu.test") {
					t.Fatal("the page has inline script/style or external resources")
				}
			})
			t.Run("the English locale is selectable and remembered", func(t *testing.T) {
				b := newBrowser(t, f.srv.URL)
				if r := b.get("/login?lang=en"); !strings.Contains(r.Body, `lang="en"`) || !strings.Contains(r.Body, "Sign in") {
					t.Fatalf("body %.300s", r.Body)
				}
				if r := b.get("/login"); !strings.Contains(r.Body, "Sign in") {
					t.Fatal("the language was not remembered")
				}
			})
			t.Run("a wrong password is refused with a plain message", func(t *testing.T) {
				r := newBrowser(t, f.srv.URL).post("/login", url.Values{"username": {"ta"}, "password": {"nope"}})
				if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, "用户名或密码不正确") {
					t.Fatalf("status %d body %.300s", r.Status, r.Body)
				}
			})
			t.Run("a good password opens the teacher's classes with a safe cookie", func(t *testing.T) {
				b := newBrowser(t, f.srv.URL)
				r := b.post("/login", url.Values{"username": {"ta"}, "password": {testPassword}})
				if r.Status != http.StatusSeeOther || r.Location != "/classes" {
					t.Fatalf("status %d location %q", r.Status, r.Location)
				}
				sc := r.Header.Get("Set-Cookie")
				if !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") {
					t.Fatalf("cookie %q", sc)
				}
				if r := b.get("/classes"); r.Status != 200 || !strings.Contains(r.Body, "三年级2班") || strings.Contains(r.Body, "五年级3班") {
					t.Fatalf("classes page: %d %.500s", r.Status, r.Body)
				}
			})
			t.Run("logging out ends the session in the database", func(t *testing.T) {
				b := newBrowser(t, f.srv.URL)
				b.login("ta")
				old := b.cookie(sessionCookie).Value
				if r := b.post("/logout", nil); r.Status != http.StatusSeeOther {
					t.Fatalf("logout status %d", r.Status)
				}
				replay := newBrowser(t, f.srv.URL)
				req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/classes", nil)
				req.AddCookie(&http.Cookie{Name: sessionCookie, Value: old})
				if r := replay.do(req); r.Status != http.StatusSeeOther {
					t.Fatalf("old cookie still works: %d", r.Status)
				}
			})
			t.Run("a login form never redirects off the site", func(t *testing.T) {
				b := newBrowser(t, f.srv.URL)
				r := b.post("/login", url.Values{"username": {"ta"}, "password": {testPassword}, "next": {"//evil.example/x"}})
				if r.Location != "/classes" {
					t.Fatalf("location %q", r.Location)
				}
			})
		})
	}
}

func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	b := newBrowser(t, f.srv.URL)
	for i := 0; i < store.DefaultLoginPolicy.FreeAttempts; i++ {
		if r := b.post("/login", url.Values{"username": {"ta"}, "password": {"wrong"}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d", i+1, r.Status)
		}
	}
	t.Run("after the free attempts even the right password waits, told how long", func(t *testing.T) {
		r := b.post("/login", url.Values{"username": {"TA"}, "password": {testPassword}})
		if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "登录失败次数过多") || r.Header.Get("Retry-After") != "30" {
			t.Fatalf("status %d Retry-After %q body %.300s", r.Status, r.Header.Get("Retry-After"), r.Body)
		}
	})
	t.Run("another account is not blocked by it", func(t *testing.T) {
		b2 := newBrowser(t, f.srv.URL)
		b2.login("tb")
	})
	t.Run("the count is kept in the database, so a second instance agrees", func(t *testing.T) {
		other := f.serve(t, f.st)
		r := newBrowser(t, other.URL).post("/login", url.Values{"username": {"ta"}, "password": {testPassword}})
		if r.Status != http.StatusTooManyRequests {
			t.Fatalf("status %d on the second instance", r.Status)
		}
	})
}

func TestForcedPasswordChange(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	ctx := context.Background()
	u := f.users["ta"]
	hash, _ := fixtureHash("abcd-efgh-jkmn")
	if err := f.st.SetPassword(ctx, u.ID, hash, true); err != nil {
		t.Fatal(err)
	}
	other := newBrowser(t, f.srv.URL) // signed in elsewhere with the one-time password
	other.post("/login", url.Values{"username": {"ta"}, "password": {"abcd-efgh-jkmn"}})
	b := newBrowser(t, f.srv.URL)
	r := b.post("/login", url.Values{"username": {"ta"}, "password": {"abcd-efgh-jkmn"}})
	t.Run("signing in with a one-time password leads to the password form", func(t *testing.T) {
		if r.Location != "/account/password" {
			t.Fatalf("location %q", r.Location)
		}
		p := b.get("/account/password")
		if p.Status != 200 || !strings.Contains(p.Body, "一次性密码") {
			t.Fatalf("status %d body %.300s", p.Status, p.Body)
		}
	})
	t.Run("no other page opens until the password is changed", func(t *testing.T) {
		if r := b.get("/classes/" + itoa(f.classA1)); r.Status != http.StatusSeeOther || r.Location != "/account/password" {
			t.Fatalf("status %d location %q", r.Status, r.Location)
		}
		if r := b.get("/api/v1/classes"); r.Status != http.StatusForbidden || !strings.Contains(r.Body, "password_change_required") {
			t.Fatalf("API status %d body %s", r.Status, r.Body)
		}
	})
	t.Run("a too short new password is refused", func(t *testing.T) {
		r := b.post("/account/password", url.Values{"current": {"abcd-efgh-jkmn"}, "password": {"short"}, "confirm": {"short"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "密码太短") {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("after the change the classes open and other sessions are signed out", func(t *testing.T) {
		r := b.post("/account/password", url.Values{"current": {"abcd-efgh-jkmn"}, "password": {"my-own-pass-1"}, "confirm": {"my-own-pass-1"}})
		if r.Status != http.StatusSeeOther || r.Location != "/classes?notice=password_changed" {
			t.Fatalf("status %d location %q body %.300s", r.Status, r.Location, r.Body)
		}
		if r := b.get(r.Location); !strings.Contains(r.Body, "密码已修改") {
			t.Errorf("the start page does not say the password was changed")
		}
		if r := b.get("/classes/" + itoa(f.classA1)); r.Status != 200 {
			t.Fatalf("class page status %d", r.Status)
		}
		if r := other.get("/classes"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
			t.Fatalf("the other session survived: %d %q", r.Status, r.Location)
		}
		log, _ := f.st.AuditLog(ctx, 10)
		found := false
		for _, e := range log {
			found = found || (e.Action == "password_changed" && e.UserID == u.ID)
		}
		if !found {
			t.Fatal("no audit entry for the password change")
		}
	})
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	b := newBrowser(t, f.srv.URL)
	b.login("adminA") // may make API tokens, the form this test posts
	cases := []struct {
		name   string
		header []string
		want   int
	}{
		{"a cross-site form post is refused", []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}, http.StatusForbidden},
		{"an old browser's post from another origin is refused", []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}, http.StatusForbidden},
		{"a same-origin post is accepted", nil, http.StatusOK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/account/tokens", strings.NewReader("name=x"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r := b.do(req, c.header...)
			if r.Status != c.want {
				t.Fatalf("status %d, want %d", r.Status, c.want)
			}
		})
	}
	t.Run("a cross-site logout does not sign the teacher out", func(t *testing.T) {
		b.post("/logout", nil, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
		if r := b.get("/classes"); r.Status != 200 {
			t.Fatalf("signed out by a cross-site request: %d", r.Status)
		}
	})
}

func TestSessionSharedByInstances(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			st2, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer st2.Close()
			second := f.serve(t, st2)
			b := newBrowser(t, f.srv.URL)
			b.login("ta")
			req, _ := http.NewRequest(http.MethodGet, second.URL+"/classes/"+itoa(f.classA1), nil)
			req.AddCookie(b.cookie(sessionCookie))
			r := newBrowser(t, second.URL).do(req)
			if r.Status != 200 || !strings.Contains(r.Body, "王小明") {
				t.Fatalf("second instance: status %d", r.Status)
			}
		})
	}
}

func TestAPIToken(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	b := newBrowser(t, f.srv.URL)
	b.login("adminA")
	r := b.post("/account/tokens", url.Values{"name": {"导出脚本"}})
	token := regexp.MustCompile(`jst_[A-Za-z0-9_-]{43}`).FindString(r.Body)
	if token == "" {
		t.Fatalf("no token shown: %.500s", r.Body)
	}
	script := newBrowser(t, f.srv.URL)
	t.Run("a script with the token is the account", func(t *testing.T) {
		r := script.get("/api/v1/me", "Authorization", "Bearer "+token)
		var me struct {
			Username string `json:"username"`
		}
		json.Unmarshal([]byte(r.Body), &me)
		if r.Status != 200 || me.Username != "adminA" {
			t.Fatalf("status %d body %s", r.Status, r.Body)
		}
	})
	t.Run("the token has the account's scope, no more", func(t *testing.T) {
		if r := script.get("/api/v1/classes/"+itoa(f.classB1), "Authorization", "Bearer "+token); r.Status != http.StatusNotFound {
			t.Fatalf("other school's class: %d", r.Status)
		}
	})
	t.Run("a wrong token is 401 in the JSON error shape", func(t *testing.T) {
		r := script.get("/api/v1/me", "Authorization", "Bearer jst_nope")
		if r.Status != 401 || !strings.Contains(r.Body, `"code":"unauthorized"`) {
			t.Fatalf("status %d body %s", r.Status, r.Body)
		}
	})
	t.Run("a revoked token stops working", func(t *testing.T) {
		toks, _ := f.st.APITokens(context.Background(), f.users["adminA"].ID)
		b.post("/account/tokens/"+itoa(toks[0].ID)+"/delete", nil)
		if r := script.get("/api/v1/me", "Authorization", "Bearer "+token); r.Status != 401 {
			t.Fatalf("status %d", r.Status)
		}
	})
}

func itoa(n int64) string { return strconvFormat(n) }
