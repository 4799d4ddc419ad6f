package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"jiashu/store"
	"jiashu/store/storetest"
)

// TestLockoutCannotKeepTheOwnerOut is issue 17's attack on both
// databases: 12 addresses with 5 wrong passwords each lock the center's
// account; the attackers stay out, the owner from their usual address
// signs in, and another center account lifts the lock on the district
// page, audited and told to the owner on their account page.
func TestLockoutCannotKeepTheOwnerOut(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			f := newWebFixture(t, dsn)
			ctx := context.Background()
			f.cfg.TrustedProxies = []string{"127.0.0.1", "::1"}
			hs := f.serve(t, f.st)
			hash, err := fixtureHash(testPassword)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.st.CreateUser(ctx, store.User{Username: "district2", DisplayName: "教管中心二", Role: store.RoleDistrictAdmin, PasswordHash: hash}); err != nil {
				t.Fatal(err)
			}
			signIn := func(ip, pw string) response {
				return newBrowser(t, hs.URL).post("/login", url.Values{"username": {"district"}, "password": {pw}}, "X-Forwarded-For", ip)
			}
			for i := range 12 {
				for range 5 {
					if r := signIn(fmt.Sprintf("203.0.113.%d", i+1), "guess-"+fmt.Sprint(i)); r.Status == http.StatusSeeOther {
						t.Fatal("a wrong password signed in")
					}
				}
			}
			if until, err := f.st.LoginLockedUntil(ctx, "district"); err != nil || until.IsZero() {
				t.Fatalf("60 failures from 12 addresses did not lock the account (%v)", err)
			}
			t.Run("an attacking address is refused even with the right password", func(t *testing.T) {
				r := signIn("203.0.113.3", testPassword)
				if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "已被临时锁定") || r.Header.Get("Retry-After") == "" {
					t.Fatalf("status %d Retry-After %q body %.300s", r.Status, r.Header.Get("Retry-After"), r.Body)
				}
			})
			owner := newBrowser(t, hs.URL)
			t.Run("the owner from their usual address signs in and is told", func(t *testing.T) {
				r := owner.post("/login", url.Values{"username": {"district"}, "password": {testPassword}}, "X-Forwarded-For", "198.51.100.7")
				if r.Status != http.StatusSeeOther {
					t.Fatalf("status %d %.300s", r.Status, r.Body)
				}
				if p := owner.get("/account", "X-Forwarded-For", "198.51.100.7"); !strings.Contains(p.Body, `id="account-locked"`) ||
					!strings.Contains(p.Body, "您在平常使用的设备上仍可正常登录") {
					t.Fatalf("account page: %.1500s", p.Body)
				}
			})
			if !latestAuditHas(t, f.st, "login_locked", "district,") {
				t.Fatal("no login_locked audit entry naming district")
			}
			center2 := newBrowser(t, hs.URL)
			center2.login("district2")
			t.Run("another center account sees the lock and lifts it", func(t *testing.T) {
				if p := center2.get("/district"); !strings.Contains(p.Body, `id="locked-accounts"`) ||
					!strings.Contains(p.Body, fmt.Sprintf(`action="/users/%d/unlock"`, f.users["district"].ID)) {
					t.Fatalf("district page: %.3000s", p.Body)
				}
				r := center2.post(fmt.Sprintf("/users/%d/unlock", f.users["district"].ID), nil)
				if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/district?notice=unlocked") {
					t.Fatalf("unlock: %d %q", r.Status, r.Location)
				}
				if p := center2.get(r.Location); !strings.Contains(p.Body, "已解除该账号的登录锁定") || strings.Contains(p.Body, `id="locked-accounts"`) {
					t.Fatalf("after unlock: %.3000s", p.Body)
				}
				if until, err := f.st.LoginLockedUntil(ctx, "district"); err != nil || !until.IsZero() {
					t.Fatalf("still locked until %v (%v)", until, err)
				}
				if !latestAuditHas(t, f.st, "login_unlocked", "district, role district_admin") {
					t.Fatal("no login_unlocked audit entry")
				}
			})
			t.Run("the attackers start afresh and the owner is told who lifted it", func(t *testing.T) {
				if r := signIn("203.0.113.3", testPassword); r.Status != http.StatusSeeOther {
					t.Fatalf("after the unlock, the right password: %d", r.Status)
				}
				p := owner.get("/account", "X-Forwarded-For", "198.51.100.7")
				if strings.Contains(p.Body, `id="account-locked"`) || !strings.Contains(p.Body, `id="account-lock-history"`) ||
					!strings.Contains(p.Body, "由 教管中心二（district2） 解除") {
					t.Fatalf("account page after the unlock: %.2000s", p.Body)
				}
			})
		})
	}
}

// TestUnlockIsScoped: a school administrator lifts the lock of a teacher
// of their school, through the API too; not of another school's, not of
// the center's; a teacher lifts nothing.
func TestUnlockIsScoped(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	ctx := context.Background()
	for _, u := range []string{"ta", "tc", "district"} {
		storetest.LockAccount(t, f.st, u)
	}
	adminA := newBrowser(t, f.srv.URL)
	adminA.login("adminA")
	teacher := newBrowser(t, f.srv.URL)
	teacher.login("tb")
	for _, c := range []struct {
		who    *browser
		target string
		status int
	}{
		{adminA, "tc", http.StatusNotFound},
		{adminA, "district", http.StatusNotFound},
		{teacher, "ta", http.StatusForbidden},
	} {
		if r := c.who.sendJSON(http.MethodPost, fmt.Sprintf("/api/v1/users/%d/unlock", f.users[c.target].ID), nil); r.Status != c.status {
			t.Errorf("unlock %s: %d, want %d", c.target, r.Status, c.status)
		}
		if until, _ := f.st.LoginLockedUntil(ctx, c.target); until.IsZero() {
			t.Errorf("%s was unlocked by someone out of scope", c.target)
		}
	}
	r := adminA.sendJSON(http.MethodPost, fmt.Sprintf("/api/v1/users/%d/unlock", f.users["ta"].ID), nil)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `"was_locked":true`) {
		t.Fatalf("unlock ta through the API: %d %s", r.Status, r.Body)
	}
	if until, _ := f.st.LoginLockedUntil(ctx, "ta"); !until.IsZero() {
		t.Fatal("ta still locked")
	}
}

// latestAuditHas says whether the latest audit entries hold action with
// detail containing part.
func latestAuditHas(t *testing.T, st *store.Store, action, part string) bool {
	t.Helper()
	log, err := st.AuditLog(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	return auditHas(log, action, part)
}
