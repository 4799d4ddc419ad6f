package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jiashu/app/internal/browsertest"
	"jiashu/store"
)

// tokenOnPage is the secret an account page shows once.
var tokenOnPage = regexp.MustCompile(`jst_[A-Za-z0-9_-]{43}`)

// makeToken signs user in and makes a token on the account page.
func makeToken(t *testing.T, f *webFixture, user, name string, readOnly bool) script {
	t.Helper()
	b := newBrowser(t, f.srv.URL)
	b.login(user)
	form := url.Values{"name": {name}}
	if readOnly {
		form.Set("read_only", "1")
	}
	r := b.post("/account/tokens", form)
	secret := tokenOnPage.FindString(r.Body)
	if r.Status != http.StatusOK || secret == "" {
		t.Fatalf("%s made no token: %d %.300s", user, r.Status, r.Body)
	}
	return script{b: newBrowser(t, f.srv.URL), token: secret}
}

// TestEveryRoleMakesTokensScopedLikeItsOwner (difference 6): a teacher and
// the reviewer make API tokens on their account page like the
// administrators; a token reaches what its account reaches and no more (the
// teacher's class, not another), the reviewer's approves a version (the
// document's example), and a read-only token reads and is refused anything
// else with 403 read_only_token, changing nothing.
func TestEveryRoleMakesTokensScopedLikeItsOwner(t *testing.T) {
	t.Parallel()
	onBothDatabases(t, func(t *testing.T, f *webFixture) {
		ctx := context.Background()
		t.Run("a teacher's token opens the teacher's class only", func(t *testing.T) {
			sc := makeToken(t, f, "ta", "班级脚本", false)
			if r := sc.get("/api/v1/classes/" + itoa(f.classA1)); r.Status != http.StatusOK {
				t.Fatalf("own class: %d %s", r.Status, r.Body)
			}
			for _, path := range []string{"/api/v1/classes/" + itoa(f.classB1), "/api/v1/classes/" + itoa(f.classA2)} {
				if r := sc.get(path); r.Status != http.StatusNotFound {
					t.Errorf("%s: %d", path, r.Status)
				}
			}
			if r := sc.get("/api/v1/schools"); r.Status != http.StatusForbidden {
				t.Errorf("a teacher's token listed schools: %d", r.Status)
			}
		})
		t.Run("the reviewer's token approves a version, as the document's example does", func(t *testing.T) {
			draft := contentDraft(t, f)
			center := scriptOf(t, f, "district", false)
			if r := center.call(http.MethodPost, "/api/v1/content/versions/"+itoa(draft)+"/submit", ""); r.Status != http.StatusOK {
				t.Fatalf("submit: %d %s", r.Status, r.Body)
			}
			sc := makeToken(t, f, "reviewer", "审核脚本", false)
			r := sc.call(http.MethodPost, "/api/v1/content/versions/"+itoa(draft)+"/approve", `{"comment":"同意"}`)
			if r.Status != http.StatusOK || !strings.Contains(r.Body, `"state":"approved"`) {
				t.Fatalf("approve: %d %s", r.Status, r.Body)
			}
			if r := sc.call(http.MethodPost, "/api/v1/schools", `{"name":"审核员的学校"}`); r.Status != http.StatusForbidden {
				t.Errorf("the reviewer's token made a school: %d", r.Status)
			}
		})
		t.Run("a read-only token reads and changes nothing", func(t *testing.T) {
			sc := makeToken(t, f, "adminA", "看板", true)
			var me struct {
				Token struct {
					Name     string `json:"name"`
					ReadOnly bool   `json:"read_only"`
				} `json:"token"`
			}
			decode(t, sc.get("/api/v1/me"), &me)
			if me.Token.Name != "看板" || !me.Token.ReadOnly {
				t.Fatalf("/me: %+v", me)
			}
			if r := sc.get("/api/v1/schools/" + itoa(f.schoolA)); r.Status != http.StatusOK {
				t.Fatalf("read: %d", r.Status)
			}
			for _, r := range []response{
				sc.call(http.MethodPost, "/api/v1/schools/"+itoa(f.schoolA)+"/users", `{"username":"sneaky"}`),
				sc.call(http.MethodDelete, "/api/v1/schools/"+itoa(f.schoolA)+"/classes/"+itoa(f.classA1)+"/teachers/"+itoa(f.users["ta"].ID), ""),
				sc.call(http.MethodPost, "/api/v1/users/"+itoa(f.users["ta"].ID)+"/disable", ""),
			} {
				if r.Status != http.StatusForbidden || !strings.Contains(r.Body, `"code":"read_only_token"`) {
					t.Errorf("%d %s", r.Status, r.Body)
				}
			}
			if _, err := f.st.UserByUsername(ctx, "sneaky"); err == nil {
				t.Error("a read-only token created an account")
			}
			if u, _ := f.st.User(ctx, f.users["ta"].ID); u.Disabled {
				t.Error("a read-only token disabled an account")
			}
		})
		t.Run("a session answers /me without a token", func(t *testing.T) {
			b := newBrowser(t, f.srv.URL)
			b.login("ta")
			if r := b.get("/api/v1/me"); r.Status != http.StatusOK || strings.Contains(r.Body, `"token"`) {
				t.Fatalf("%d %s", r.Status, r.Body)
			}
		})
		tokens, _ := f.st.APITokens(ctx, f.users["adminA"].ID)
		if len(tokens) != 1 || !tokens[0].ReadOnly {
			t.Fatalf("adminA's tokens: %+v", tokens)
		}
	})
}

// TestAccountTokensInChromium: a teacher's account page offers API tokens,
// read-only or not; the new token is shown once and listed with its rights
// — at a phone's and a desktop's size, checked with axe-core.
func TestAccountTokensInChromium(t *testing.T) {
	t.Parallel()
	ctx := staffChromium(t)
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	page := browserPage{t: t, ctx: ctx, base: f.srv.URL, shots: artifacts(t, "api-tokens")}
	page.login("ta")
	if _, _, err := f.st.NewAPIToken(context.Background(), store.APIToken{UserID: f.users["ta"].ID, Name: "夜间导出"}); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+"/account"), chromedp.WaitVisible(chromedp.CSS("#tname")),
		chromedp.SendKeys(chromedp.CSS("#tname"), "班级看板"), chromedp.Click(chromedp.CSS(`input[name=read_only]`)))
	if err != nil {
		t.Fatal(err)
	}
	page.look(t, "01-account-token-form", "#tname")
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/account/tokens"] button`))); err != nil {
		t.Fatal(err)
	}
	page.look(t, "02-account-token-made", "code.secret")
	if secret := page.text("code.secret"); !tokenOnPage.MatchString(secret) {
		t.Fatalf("the page shows %q, not the token", secret)
	}
	rows := page.text("table tbody")
	if !strings.Contains(rows, "班级看板") || !strings.Contains(rows, "只读") || !strings.Contains(rows, "夜间导出") || !strings.Contains(rows, "与账号相同") {
		t.Fatalf("the token list reads %q", rows)
	}
	browsertest.Axe(t, ctx, "account tokens")
}
