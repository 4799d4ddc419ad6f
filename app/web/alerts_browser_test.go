package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jiashu/app/internal/browsertest"
)

// TestAlertsInChromium: the center publishes an alert for a running
// campaign on its page; the parent page of a family of that campaign (one
// that had acknowledged) shows it at the top; the campaign form offers the
// content version. Every page at 1280×900 and 390×844, checked with axe.
func TestAlertsInChromium(t *testing.T) {
	t.Parallel()
	ctx := browsertest.WithAxe(t, staffChromium(t))
	ar := newAlertRig(t, webDSNs(t)["sqlite"])
	base := ar.ta.base
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#username"))); err != nil {
		t.Fatal(err)
	}
	browsertest.Axe(t, ctx, "login")
	page := browserPage{t: t, ctx: ctx, base: base, shots: artifacts(t, "alerts")}
	page.login("district")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/alerts")); err != nil {
		t.Fatal(err)
	}
	page.look(t, "01-alerts-empty", "#new-alert")
	err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#alert-method"), ar.method),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=campaign][value="%d"]`, ar.camp2))))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#create-alert"))); err != nil {
		t.Fatal(err)
	}
	page.look(t, "02-alerts", ".alert-item")
	if got := page.text("#alerts"); !strings.Contains(got, ar.title) || !strings.Contains(got, "2026冬季防诈") || !strings.Contains(got, "0 / 1") {
		t.Errorf("alerts list: %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/a/"+ar.tok2)); err != nil {
		t.Fatal(err)
	}
	page.look(t, "03-parent-with-alert", "#alert-h")
	if got := page.text("main"); strings.Index(got, "新骗局提醒") > strings.Index(got, "请放心") {
		t.Errorf("the alert is not above the letter: %.300q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/campaigns")); err != nil {
		t.Fatal(err)
	}
	page.look(t, "04-campaign-form", "#content_version")
	if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/campaigns/%d", base, ar.camp2))); err != nil {
		t.Fatal(err)
	}
	page.look(t, "05-campaign-page", "#campaign-alerts")
	if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/overview?campaign=%d", base, ar.camp2))); err != nil {
		t.Fatal(err)
	}
	page.look(t, "06-overview", "#overview-alerts")
}
