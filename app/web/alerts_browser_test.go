package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jiashu/app/internal/browsertest"
)

// TestAlertsInChromium: the center chooses a method (searched for), sees
// the preview — the top of a parents' page with the alert, the text
// message, how many families it reaches — and confirms; the parent page of
// a family of that campaign (one that had acknowledged) shows it at the
// top; the center edits it (the page shows the edit) and withdraws it (the
// page drops it). Without an SMS gateway the page gives the reason where a
// send button would be. Every page at 1280×900 and 390×844, with axe, on
// both databases.
func TestAlertsInChromium(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			ctx := browsertest.WithAxe(t, newChromium(t, 4*time.Minute, chromedp.WindowSize(1280, 900)))
			ar := newAlertRig(t, dsn)
			ar.srv.cfg.SMSProvider, ar.srv.cfg.SMSGatewayURL = "", "" // no provider: the reason instead of a button
			base := ar.ta.base
			if err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#username"))); err != nil {
				t.Fatal(err)
			}
			browsertest.Axe(t, ctx, "login")
			p := browserPage{t: t, ctx: ctx, base: base, shots: artifacts(t, "alerts-"+name)}
			p.login("district")
			search := "/alerts?" + url.Values{"q": {ar.title}}.Encode()
			if got := lookAt(t, p, search, "01-alerts-search"); !strings.Contains(got, ar.title) || strings.Count(got, "第 1 版") > 3 {
				t.Errorf("the search does not find the method, or lists others: %q", got)
			}
			preview := "/alerts/new?" + url.Values{"method": {ar.method}, "campaign": {itoa(ar.camp2)}}.Encode()
			got := lookAt(t, p, preview, "02-alert-preview")
			for _, want := range []string{"家长页面顶部会这样显示", "短信会这样写", "将显示在 1 个家庭的家长页面顶部", "确认发布给 1 个家庭"} {
				if !strings.Contains(got, want) {
					t.Errorf("the preview lacks %q", want)
				}
			}
			frame, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('iframe.alert-frame').contentDocument.body.innerText`))
			if err != nil || !strings.Contains(frame, "新骗局提醒") || !strings.Contains(frame, ar.title) {
				t.Errorf("the parents' page preview does not show the alert: %v %.300q", err, frame)
			}
			click(t, p, "#confirm-alert")
			got = lookAt(t, p, "/alerts", "03-alerts-published")
			if !strings.Contains(got, ar.title) || !strings.Contains(got, "2026冬季防诈") || !strings.Contains(got, "0 / 1") ||
				!strings.Contains(got, "未配置短信服务商") || strings.Contains(got, "通过短信平台发送") {
				t.Errorf("alerts list: %q", got)
			}
			if got := lookAt(t, p, "/a/"+ar.tok2, "04-parent-with-alert"); strings.Index(got, "新骗局提醒") > strings.Index(got, "请放心") {
				t.Errorf("the alert is not above the letter: %.300q", got)
			}
			list, _ := ar.f.st.Alerts(t.Context())
			id := list[0].ID
			lookAt(t, p, fmt.Sprintf("/alerts/%d/edit", id), "05-alert-edit")
			err = chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#alert-title"), "更正：冒充老师收费"))
			if err != nil {
				t.Fatal(err)
			}
			click(t, p, "#confirm-alert")
			if got := lookAt(t, p, "/a/"+ar.tok2, "06-parent-edited"); !strings.Contains(got, "更正：冒充老师收费") {
				t.Errorf("the parents' page does not show the edit: %.300q", got)
			}
			got = lookAt(t, p, fmt.Sprintf("/alerts/%d/withdraw", id), "07-alert-withdraw")
			if !strings.Contains(got, "1 个家庭的家长页面上立即不再显示") {
				t.Errorf("the withdraw page: %q", got)
			}
			click(t, p, "#confirm-withdraw")
			if got := p.text("main"); !strings.Contains(got, "提醒已撤回") || !strings.Contains(got, "已撤回的提醒（1）") {
				t.Errorf("after withdrawing: %q", got)
			}
			lookAt(t, p, "/alerts", "08-alerts-withdrawn")
			if got := lookAt(t, p, "/a/"+ar.tok2, "09-parent-after"); strings.Contains(got, "新骗局提醒") {
				t.Error("the withdrawn alert is still on the parents' page")
			}
			lookAt(t, p, "/campaigns", "10-campaign-form")
			if got := lookAt(t, p, fmt.Sprintf("/campaigns/%d", ar.camp2), "11-campaign-page"); strings.Contains(got, "更正：冒充老师收费") {
				t.Errorf("the campaign page still lists the withdrawn alert: %.300q", got)
			}
			lookAt(t, p, fmt.Sprintf("/overview?campaign=%d", ar.camp2), "12-overview")
		})
	}
}

// click clicks sel (a form's button) and waits for the page it leads to.
func click(t *testing.T, p browserPage, sel string) {
	t.Helper()
	if _, err := chromedp.RunResponse(p.ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
}
