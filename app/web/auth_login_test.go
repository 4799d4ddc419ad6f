package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jiashu/store"
)

// countingServer serves f's database through a server whose password
// checks are counted.
func countingServer(t *testing.T, f *webFixture) (*httptest.Server, *Server, *atomic.Int64) {
	t.Helper()
	srv, err := New(f.cfg, f.st, slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int64
	check := srv.passwords.check
	srv.passwords.check = func(hash, pw string) bool { calls.Add(1); return check(hash, pw) }
	hs := httptest.NewServer(checked(t, srv.Handler()))
	t.Cleanup(hs.Close)
	return hs, srv, &calls
}

func TestLoginBurstReachesBcryptOnlyForTheFreeAttempts(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	hs, _, calls := countingServer(t, f)
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for i := range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pw := "wrong-password"
			if i == 58 {
				pw = testPassword // the right password as the 59th
			}
			r := newBrowser(t, hs.URL).post("/login", url.Values{"username": {"ta"}, "password": {pw}})
			mu.Lock()
			statuses[r.Status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	free := store.DefaultLoginPolicy.FreeAttempts
	// The right password gets through only if its request happened to be
	// among the first free ones; a success clears the account's count for
	// that client (as it should), so the attempts reserved after it have
	// their free ones again: at most twice the free attempts, never 60.
	limit := free
	if statuses[http.StatusSeeOther] > 0 {
		limit = 2 * free
	}
	if n := calls.Load(); n > int64(limit) {
		t.Fatalf("60 parallel sign-ins: %d bcrypt checks, want at most %d; statuses %v", n, limit, statuses)
	}
	if statuses[http.StatusTooManyRequests] < 60-limit {
		t.Fatalf("statuses %v: want at least %d answered 429", statuses, 60-limit)
	}
}

func TestPasswordChecksAreBounded(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	hs, srv, calls := countingServer(t, f)
	srv.passwords.slots = make(chan struct{}, 1)
	srv.passwords.wait = 20 * time.Millisecond
	srv.passwords.slots <- struct{}{} // a check that does not finish
	r := newBrowser(t, hs.URL).post("/login", url.Values{"username": {"ta"}, "password": {testPassword}})
	if r.Status != http.StatusServiceUnavailable || !strings.Contains(r.Body, "登录的人太多，请稍后再试") || r.Header.Get("Retry-After") == "" {
		t.Fatalf("status %d Retry-After %q body %.300s", r.Status, r.Header.Get("Retry-After"), r.Body)
	}
	if calls.Load() != 0 {
		t.Fatal("a password was checked without a free slot")
	}
	<-srv.passwords.slots
	newBrowser(t, hs.URL).login("ta")
}

func TestLockoutIsPerAccountAndClient(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	f.cfg.TrustedProxies = []string{"127.0.0.1", "::1"}
	hs := f.serve(t, f.st)
	from := func() *browser { return newBrowser(t, hs.URL) }
	post := func(b *browser, ip, user, pw string) response {
		return b.post("/login", url.Values{"username": {user}, "password": {pw}}, "X-Forwarded-For", ip)
	}
	school := from()
	for i := range store.DefaultLoginPolicy.FreeAttempts {
		if r := post(school, "198.51.100.1", "Ta", "wrong"); r.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, r.Status)
		}
	}
	t.Run("the pair waits, whatever the case of the name", func(t *testing.T) {
		if r := post(school, "198.51.100.1", "ta", testPassword); r.Status != http.StatusTooManyRequests {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("a colleague behind the same address signs in", func(t *testing.T) {
		if r := post(from(), "198.51.100.1", "tb", testPassword); r.Status != http.StatusSeeOther {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("the account owner from another address signs in", func(t *testing.T) {
		if r := post(from(), "203.0.113.9", "ta", testPassword); r.Status != http.StatusSeeOther {
			t.Fatalf("status %d %.200s", r.Status, r.Body)
		}
	})
}

func TestAccountLockIsToldAndLiftedByAReset(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	ctx := context.Background()
	owner := newBrowser(t, f.srv.URL)
	owner.login("ta") // signed in before the attack
	// A wrong password from the test's address, then failures of "ta" from
	// many addresses, up to the account's limit.
	attacker := newBrowser(t, f.srv.URL)
	if r := attacker.post("/login", url.Values{"username": {"ta"}, "password": {"wrong"}}); r.Status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", r.Status)
	}
	for i := range store.DefaultLoginPolicy.AccountLock - 1 {
		if d, err := f.st.ReserveLoginAttempt(ctx, "ta", fmt.Sprintf("10.1.%d.%d", i/200, i%200)); err != nil || !d.Allowed {
			t.Fatalf("attempt %d: %+v %v", i, d, err)
		}
	}
	r := attacker.post("/login", url.Values{"username": {"ta"}, "password": {testPassword}})
	t.Run("the attempt past the limit from an address that failed is refused with the lock's message", func(t *testing.T) {
		if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "该账号因多次登录失败已被临时锁定，请稍后再试或联系管理员") {
			t.Fatalf("status %d body %.300s", r.Status, r.Body)
		}
		log, _ := f.st.AuditLog(ctx, 20)
		found := false
		for _, e := range log {
			found = found || (e.Action == "login_locked" && strings.Contains(e.Detail, "ta,"))
		}
		if !found {
			t.Fatalf("no login_locked audit entry naming ta: %+v", log)
		}
	})
	t.Run("the owner sees it on the account page", func(t *testing.T) {
		if p := owner.get("/account"); !strings.Contains(p.Body, `id="account-locked"`) {
			t.Fatalf("account page: %.300s", p.Body)
		}
	})
	admin := newBrowser(t, f.srv.URL)
	admin.login("adminA")
	t.Run("the school administrator sees it, another school's does not", func(t *testing.T) {
		if p := admin.get(fmt.Sprintf("/schools/%d", f.schoolA)); !strings.Contains(p.Body, `id="locked-accounts"`) || !strings.Contains(p.Body, "ta老师（ta）") {
			t.Fatalf("school page: %.2000s", p.Body)
		}
		other := newBrowser(t, f.srv.URL)
		other.login("adminB")
		if p := other.get(fmt.Sprintf("/schools/%d", f.schoolB)); strings.Contains(p.Body, `id="locked-accounts"`) {
			t.Fatal("school B's page shows school A's locked teacher")
		}
	})
	t.Run("a reset lifts the lock", func(t *testing.T) {
		p := admin.follow(admin.post(fmt.Sprintf("/users/%d/reset-password", f.users["ta"].ID), url.Values{"confirm": {"1"}}))
		if p.Status != http.StatusOK || !strings.Contains(p.Body, "API 令牌已全部作废") {
			t.Fatalf("reset: %d %.300s", p.Status, p.Body)
		}
		if until, err := f.st.LoginLockedUntil(ctx, "ta"); err != nil || !until.IsZero() {
			t.Fatalf("still locked until %v (%v)", until, err)
		}
	})
}

func TestTokensRevokedAfterResetAndChange(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			f := newWebFixture(t, dsn)
			ctx := context.Background()
			script := newBrowser(t, f.srv.URL)
			works := func(token string) bool {
				return script.get("/api/v1/me", "Authorization", "Bearer "+token).Status == http.StatusOK
			}
			t.Run("a password change revokes the user's tokens and says so", func(t *testing.T) {
				token, _, err := f.st.CreateAPIToken(ctx, f.users["tb"].ID, "script")
				if err != nil || !works(token) {
					t.Fatalf("token before the change does not work: %v", err)
				}
				b := newBrowser(t, f.srv.URL)
				b.login("tb")
				r := b.post("/account/password", url.Values{"current": {testPassword}, "password": {"blue-kettle-391"}, "confirm": {"blue-kettle-391"}})
				if r.Status != http.StatusSeeOther {
					t.Fatalf("change: %d %.300s", r.Status, r.Body)
				}
				if p := b.get(r.Location); !strings.Contains(p.Body, "API 令牌已全部作废") {
					t.Fatalf("notice: %.500s", p.Body)
				}
				if works(token) {
					t.Fatal("the token still works after the password change")
				}
			})
			t.Run("a reset revokes them", func(t *testing.T) {
				token, _, err := f.st.CreateAPIToken(ctx, f.users["ta"].ID, "script")
				if err != nil || !works(token) {
					t.Fatalf("token before the reset does not work: %v", err)
				}
				admin := newBrowser(t, f.srv.URL)
				admin.login("adminA")
				if r := admin.follow(admin.post(fmt.Sprintf("/users/%d/reset-password", f.users["ta"].ID), url.Values{"confirm": {"1"}})); r.Status != http.StatusOK {
					t.Fatalf("reset: %d", r.Status)
				}
				if works(token) {
					t.Fatal("the token still works after the reset")
				}
			})
		})
	}
}

func TestPasswordChangeRules(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	b := newBrowser(t, f.srv.URL)
	b.login("ta")
	change := func(current, pw string) response {
		return b.post("/account/password", url.Values{"current": {current}, "password": {pw}, "confirm": {pw}})
	}
	for _, c := range []struct{ name, pw, want string }{
		{"a common password is refused", "qwerty2024", "太常见"},
		{"one containing the username is refused", "my-TA-secret-77", "不能包含用户名"},
		{"one over 72 bytes gets the rule, not a 500", strings.Repeat("长", 25), "密码太长：最多 72 个字节"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if r := change(testPassword, c.pw); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, c.want) {
				t.Fatalf("status %d, want 422 with %q: %.300s", r.Status, c.want, r.Body)
			}
		})
	}
	t.Run("guesses of the current password are throttled", func(t *testing.T) {
		for i := range store.DefaultLoginPolicy.FreeAttempts {
			if r := change("guess-"+fmt.Sprint(i), "blue-kettle-391"); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "当前密码不正确") {
				t.Fatalf("guess %d: %d", i+1, r.Status)
			}
		}
		if r := change(testPassword, "blue-kettle-391"); r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "当前密码输错次数过多") {
			t.Fatalf("status %d body %.300s", r.Status, r.Body)
		}
		// Signing in is a different key: the owner is not locked out.
		newBrowser(t, f.srv.URL).login("ta")
	})
}

func TestUsernamesAreStrictAndIgnoreCase(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	admin := newBrowser(t, f.srv.URL)
	admin.login("adminA")
	create := func(username string) response {
		return admin.post(fmt.Sprintf("/schools/%d/teachers", f.schoolA), url.Values{"username": {username}, "display_name": {"新老师"}})
	}
	for _, c := range []struct{ name, username, want string }{
		{"another case of a taken name", "TA", "已被使用"},
		{"a Cyrillic look-alike", "сenter", "英文字母、数字和 . _ -"},
		{"full-width letters", "ｃｅｎｔｅｒ", "英文字母、数字和 . _ -"},
		{"a space inside", "wang li", "英文字母、数字和 . _ -"},
	} {
		t.Run(c.name+" is refused, saying what is accepted", func(t *testing.T) {
			if r := create(c.username); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, c.want) {
				t.Fatalf("status %d, want 422 with %q: %.400s", r.Status, c.want, r.Body)
			}
		})
	}
	t.Run("an ASCII name is accepted and signs in in any case", func(t *testing.T) {
		if r := create("Wang.Li-2"); r.Status != http.StatusSeeOther {
			t.Fatalf("status %d %.300s", r.Status, r.Body)
		}
		if _, err := f.st.UserByUsername(context.Background(), "wang.li-2"); err != nil {
			t.Fatal(err)
		}
	})
}
