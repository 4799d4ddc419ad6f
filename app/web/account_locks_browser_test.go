package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jiashu/app/internal/browsertest"
	"jiashu/store"
	"jiashu/store/storetest"
)

// TestLocksAndErasureInChromium: the pages this work added or changed —
// the owner's account page with a sign-in lock, the school and district
// pages listing locked accounts with their reset, the erase-family page
// from the dry run to the erasure — at a phone's and a desktop's size,
// each checked with axe-core (WCAG 2 A/AA).
func TestLocksAndErasureInChromium(t *testing.T) {
	t.Parallel()
	ctx := browsertest.WithAxe(t, staffChromium(t))
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	page := browserPage{t: t, ctx: ctx, base: f.srv.URL, shots: artifacts(t, "account-locks")}
	lock := func(username string) { storetest.LockAccount(t, f.st, username) }
	// both screenshots the page at a phone's and a desktop's size and runs axe.
	both := func(name, path, ready string) {
		t.Helper()
		for _, size := range []struct {
			w, h int64
			tag  string
		}{{390, 844, "phone"}, {1280, 900, "desktop"}} {
			err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h), chromedp.Navigate(page.base+path),
				chromedp.WaitVisible(chromedp.CSS(ready)), page.fullShot(name+"-"+size.tag))
			if err != nil {
				t.Fatalf("%s at %s: %v", path, size.tag, err)
			}
		}
		browsertest.Axe(t, ctx, name)
	}
	signOut := func() {
		t.Helper()
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(".nav button"))); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("the owner of a locked account is told on the account page", func(t *testing.T) {
		page.login("ta")
		lock("ta")
		lock("adminB")
		both("01-account-locked", "/account", "#account-locked")
		if got := page.text("#account-locked"); !strings.Contains(got, "已被临时锁定") {
			t.Fatalf("notice %q", got)
		}
		signOut()
	})
	t.Run("the school administrator sees the locked teacher with the reset", func(t *testing.T) {
		page.login("adminA")
		both("02-school-locked", fmt.Sprintf("/schools/%d", f.schoolA), "#locked-accounts")
		if got := page.text("#locked-accounts"); !strings.Contains(got, "ta老师（ta）") || strings.Contains(got, "adminB") {
			t.Fatalf("locked list %q", got)
		}
	})
	t.Run("the school administrator lifts the lock on the school page", func(t *testing.T) {
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#locked-accounts form[action$="/unlock"] button`))); err != nil {
			t.Fatal(err)
		}
		both("02b-school-unlocked", fmt.Sprintf("/schools/%d?notice=unlocked", f.schoolA), ".alert-ok")
		if got := page.text(".alert-ok"); !strings.Contains(got, "已解除该账号的登录锁定") {
			t.Fatalf("notice %q", got)
		}
		if until, _ := f.st.LoginLockedUntil(context.Background(), "ta"); !until.IsZero() {
			t.Fatal("ta is still locked")
		}
	})
	heldJob(t, f) // school A's letters ZIP, which the erasure below reaches
	t.Run("the erase page shows the dry run, then erases on confirmation", func(t *testing.T) {
		erase := fmt.Sprintf("/schools/%d/erase", f.schoolA)
		both("03-erase-form", erase, "#number")
		both("04-erase-preview", erase+"?number=A0001", "#preview")
		if got := page.text("#preview"); !strings.Contains(got, "王小明") || !strings.Contains(got, "将删除 1 名学生") ||
			!strings.Contains(got, "家书任务 #") {
			t.Fatalf("preview %q", got)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#erase-confirm input[name=confirm]`))); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#erase-submit`))); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#erased")), page.fullShot("05-erased-desktop")); err != nil {
			t.Fatal(err)
		}
		browsertest.Axe(t, ctx, "05-erased")
		if got := page.text("#erased"); !strings.Contains(got, "删除了 1 名学生") {
			t.Fatalf("done %q", got)
		}
		signOut()
	})
	t.Run("the center sees a locked school administrator", func(t *testing.T) {
		page.login("district")
		both("06-district-locked", "/district", "#locked-accounts")
		if got := page.text("#locked-accounts"); !strings.Contains(got, "adminB") || strings.Contains(got, "ta老师") {
			t.Fatalf("locked list %q", got)
		}
		signOut()
	})
	t.Run("the owner is told who lifted the lock", func(t *testing.T) {
		page.login("ta")
		both("07-account-lock-lifted", "/account", "#account-lock-history")
		if got := page.text("#account-lock-history"); !strings.Contains(got, "由 adminA老师（adminA）") {
			t.Fatalf("history %q", got)
		}
	})
}

// heldJob gives school A a campaign with letters and a finished letters
// job holding its ZIP.
func heldJob(t *testing.T, f *webFixture) {
	t.Helper()
	ctx := context.Background()
	camp, err := f.st.CreateCampaign(ctx, store.Campaign{Name: "秋季反诈", AckDeadline: "2099-12-31", SchoolIDs: []int64{f.schoolA}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.IssueLetters(ctx, camp.ID, []int64{f.studentA1}); err != nil {
		t.Fatal(err)
	}
	j, err := f.st.CreateJob(ctx, store.Job{Kind: store.JobSchoolLetters, SchoolID: f.schoolA, CampaignID: camp.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.st.ClaimJob(ctx, "t", time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := f.st.AppendJobResult(ctx, j.ID, "t", 0, []byte("PK")); err != nil {
		t.Fatal(err)
	}
	if err := f.st.FinishJob(ctx, j.ID, "t", "阳光小学-秋季反诈.zip", 2); err != nil {
		t.Fatal(err)
	}
}
