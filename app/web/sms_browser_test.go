package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jiashu/app/campaign"
	"jiashu/app/config"
	"jiashu/app/internal/browsertest"
	"jiashu/sms/smstest"
)

const aliAlertText = "${school}新骗局提醒：${title}。学校不会让您填写或付费，详情：http://jiashu.test/a/${link}"

// TestSMSPagesInChromium looks at every page the texts changed, at both
// sizes with axe-core: the SMS settings, a send's confirmation (now, in
// the quiet hours, and refused for texts that do not fit), an alert's
// confirmation, the job with its delivery figures, a scheduled job, the
// class's texts, the school's and campaign's cards, the overview and the
// district page's link.
func TestSMSPagesInChromium(t *testing.T) {
	t.Parallel()
	ctx := browsertest.WithAxe(t, newChromium(t, 5*time.Minute, chromedp.WindowSize(1280, 900))) // thirteen pages at two sizes
	fake, set := providerSettings(t, "aliyun")
	f := fake.(*smstest.Aliyun)
	f.Templates["SMS_2"] = smstest.Template{Text: aliAlertText, LinkVar: "link"}
	rg := newReminderRigWith(t, webDSNs(t)["sqlite"], 2, func(c *config.Config) { set(c); c.SMSTemplateAlert = "SMS_2" }, nil)
	fake.SetOutcome("13700009999", smstest.Outcome{Receipt: "MK:0001"})
	district := newBrowser(t, rg.ta.base)
	district.login("district")
	enterTemplate(t, district, "aliyun")
	if r := district.post("/settings/sms", url.Values{"kind": {"alert"}, "text": {aliAlertText}}); r.Status != http.StatusSeeOther {
		t.Fatalf("alert template: %d %.2000s", r.Status, r.Body)
	}
	alert := createAlert(t, rg, district)
	// One send done and reported, so the pages have texts to show.
	q := fmt.Sprintf("?campaign=%d", rg.camp)
	class := fmt.Sprintf("/classes/%d", rg.f.classA1)
	sent := rg.ta.post(class+"/reminders/send"+q, url.Values{})
	if ran, err := rg.runner(t).RunOnce(context.Background()); !ran || err != nil {
		t.Fatalf("ran %v %v", ran, err)
	}
	reportDelivery(t, rg, "aliyun", fake)

	p := browserPage{t: t, ctx: ctx, base: rg.ta.base, shots: artifacts(t, "sms")}
	p.login("district")
	if got := lookAt(t, p, "/settings/sms", "01-settings"); !strings.Contains(got, "【城东实验学校】城东实验学校") {
		t.Errorf("settings %q", got)
	}
	lookAt(t, p, "/district", "02-district")
	if got := lookAt(t, p, fmt.Sprintf("/campaigns/%d", rg.camp), "03-campaign"); !strings.Contains(got, "花费约 ¥") {
		t.Errorf("campaign %q", got)
	}
	if got := lookAt(t, p, "/overview", "04-overview"); !strings.Contains(got, "已送达") {
		t.Errorf("overview %q", got)
	}
	lookAt(t, p, "/alerts", "05-alerts")
	if got := lookAt(t, p, fmt.Sprintf("/alerts/%d/campaigns/%d/send", alert, rg.camp), "06-alert-confirm"); !strings.Contains(got, "新骗局提醒") || !strings.Contains(got, "预计费用") {
		t.Errorf("alert confirmation %q", got)
	}

	signOut(t, p)
	p.login("ta")
	if got := lookAt(t, p, class+"/reminders/send"+q, "07-confirm"); !strings.Contains(got, "预计费用") || !strings.Contains(got, "家长收到的短信") {
		t.Errorf("confirmation %q", got)
	}
	if got := lookAt(t, p, sent.Location, "08-job-delivered"); !strings.Contains(got, "已送达") || !strings.Contains(got, "号码空号或停机") {
		t.Errorf("job %q", got)
	}
	if got := lookAt(t, p, class+"/slips"+q, "09-class-texts"); !strings.Contains(got, "号码空号或停机") {
		t.Errorf("class %q", got)
	}
	rg.setClock(time.Date(2026, 11, 20, 22, 0, 0, 0, campaign.ChinaTime))
	lookAt(t, p, class+"/reminders/send"+q, "10-confirm-quiet")
	if _, err := chromedp.RunResponse(p.ctx, chromedp.Click(chromedp.CSS("#schedule-send"))); err != nil {
		t.Fatal(err)
	}
	loc, err := chromedp.Run(p.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if got := lookAt(t, p, strings.TrimPrefix(loc, rg.ta.base), "11-job-scheduled"); !strings.Contains(got, "已安排") {
		t.Errorf("scheduled job %q", got)
	}
	rg.setClock(time.Date(2026, 11, 20, 10, 0, 0, 0, campaign.ChinaTime))

	signOut(t, p)
	p.login("adminA")
	if got := lookAt(t, p, fmt.Sprintf("/schools/%d%s", rg.f.schoolA, q), "12-school"); !strings.Contains(got, "定于 2026-11-21 08:00 发送") {
		t.Errorf("school %q", got)
	}
	// A head teacher's name of 37 characters with 老师: over Aliyun's 35 for a variable.
	if _, err := rg.f.st.DB().Exec(rg.f.st.Rebind(`UPDATE classes SET head_teacher = ? WHERE id = ?`),
		"欧阳娜娜丽莎白欧阳娜娜丽莎白欧阳娜娜丽莎白欧阳娜娜丽莎白欧阳娜娜丽莎白", rg.f.classA1); err != nil {
		t.Fatal(err)
	}
	if got := lookAt(t, p, class+"/reminders/send"+q, "13-confirm-problems"); !strings.Contains(got, "不符合短信平台的规则") {
		t.Errorf("problems %q", got)
	}
}

// createAlert makes an alert of the last method of content version 1 for
// the rig's campaign, through the API, and returns its id.
func createAlert(t *testing.T, rg *reminderRig, district *browser) int64 {
	t.Helper()
	lib, err := rg.srv.content.Library(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{"content_version": 1, "method": "%s", "campaign_ids": [%d]}`, lib.Methods[len(lib.Methods)-1].ID, rg.camp)
	req, _ := http.NewRequest(http.MethodPost, district.base+"/api/v1/alerts", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	r := district.do(req)
	var a apiAlert
	if r.Status != http.StatusCreated || json.Unmarshal([]byte(r.Body), &a) != nil {
		t.Fatalf("alert: %d %s", r.Status, r.Body)
	}
	return a.ID
}
