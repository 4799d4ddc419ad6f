package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"jiashu/app/campaign"
	"jiashu/app/config"
	"jiashu/app/jobs"
	"jiashu/sms"
	"jiashu/sms/smstest"
	"jiashu/store"
)

// The secrets of the fake accounts: none may appear in a log, the audit
// log or a page.
const (
	aliSecret     = "ali-secret-5d1e0c"
	tcSecret      = "tc-secret-77b2a9"
	callbackToken = "cb-token-0123456789abcdef"
)

// The templates the fake accounts approved, as the center enters them.
var providerTemplates = map[string]struct{ text, bind string }{
	"aliyun":  {"${school}${teacher}：${student}的家长，学校的防诈骗家书请您确认，免填免费：http://jiashu.test/a/${link}", ""},
	"tencent": {"{1}提醒：{2}的家长，请打开 http://jiashu.test/a 输入确认码{3}，确认学校的防诈骗家书，免费。", "1=school, 2=student, 3=code"},
}

// smsFake is a provider's fake as the web tests script it.
type smsFake interface {
	SetOutcome(phone string, o smstest.Outcome)
	Messages() []smstest.Message
	Duplicates() []string
	Problems() []string
	CallbackBody() []byte
}

// providerSettings starts a fake of provider and returns it with the
// settings that point the service at it.
func providerSettings(t *testing.T, provider string) (smsFake, func(*config.Config)) {
	var fake smsFake
	set := func(c *config.Config) {
		c.SMSProvider, c.SMSGatewayURL, c.SMSSignName, c.SMSCallbackToken = provider, "", "城东实验学校", callbackToken
		c.MetricsAllow = []string{"127.0.0.1"}
	}
	tpl := providerTemplates[provider].text
	switch provider {
	case "aliyun":
		f := smstest.NewAliyun("LTAI5tKey", aliSecret, "城东实验学校", map[string]smstest.Template{"SMS_1": {Text: tpl, LinkVar: "link"}})
		t.Cleanup(f.Close)
		fake = f
		return fake, func(c *config.Config) {
			set(c)
			c.SMSEndpoint, c.SMSAccessKeyID, c.SMSAccessKeySecret, c.SMSTemplateReminder = f.URL, "LTAI5tKey", aliSecret, "SMS_1"
		}
	default:
		f := smstest.NewTencent("AKIDkey", tcSecret, "1400006666", "城东实验学校", map[string]smstest.Template{"1110": {Text: tpl}})
		t.Cleanup(f.Close)
		fake = f
		return fake, func(c *config.Config) {
			set(c)
			c.SMSEndpoint, c.SMSAccessKeyID, c.SMSAccessKeySecret, c.SMSTemplateReminder, c.SMSAppID = f.URL, "AKIDkey", tcSecret, "1110", "1400006666"
		}
	}
}

// lockedBuffer is a log several goroutines write.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// enterTemplate enters the provider's reminder template on the settings
// page and returns the page that follows.
func enterTemplate(t *testing.T, district *browser, provider string) string {
	t.Helper()
	tpl := providerTemplates[provider]
	r := district.post("/settings/sms", url.Values{"kind": {"reminder"}, "text": {tpl.text}, "bind": {tpl.bind}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("saving the template: %d %.3000s", r.Status, r.Body)
	}
	return district.get(r.Location).Body
}

// estimateOf reads the API's estimate of a send.
func estimateOf(t *testing.T, b *browser, path string) apiEstimate {
	t.Helper()
	r := b.get(path)
	var e apiEstimate
	if r.Status != http.StatusOK || json.Unmarshal([]byte(r.Body), &e) != nil {
		t.Fatalf("%s: %d %.500s", path, r.Status, r.Body)
	}
	return e
}

func TestAClassSendThroughAProviderShowsItsCostAndThenWhatArrived(t *testing.T) {
	t.Parallel()
	for _, provider := range []string{"aliyun", "tencent"} {
		for name, dsn := range webDSNs(t) {
			t.Run(provider+"/"+name, func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				var logs lockedBuffer
				fake, set := providerSettings(t, provider)
				rg := newReminderRigWith(t, dsn, 2, set, &logs)
				fake.SetOutcome("13700009999", smstest.Outcome{Receipt: "MK:0001"}) // 空号
				district := newBrowser(t, rg.ta.base)
				district.login("district")
				var pages []string
				settings := enterTemplate(t, district, provider)
				pages = append(pages, settings)
				if !strings.Contains(settings, "【城东实验学校】") || !strings.Contains(settings, "王*明") {
					t.Fatalf("the settings page shows no sample: %.3000s", settings)
				}
				class := fmt.Sprintf("/classes/%d/reminders", rg.f.classA1)
				q := fmt.Sprintf("?campaign=%d", rg.camp)
				e := estimateOf(t, rg.ta, "/api/v1"+class+"/estimate"+q)
				if e.Provider != provider || e.Families != 2 || e.Texts != 2 || e.Segments < 2 || e.CostFen != int64(e.Segments)*5 || e.ProblemCount != 0 ||
					!strings.HasPrefix(e.Sample, "【城东实验学校】") {
					t.Fatalf("estimate %+v", e)
				}
				confirm := rg.ta.get(class + "/send" + q).Body
				pages = append(pages, confirm)
				for _, want := range []string{`id="estimate"`, "¥" + sms.Yuan(e.CostFen), fmt.Sprintf("<b>%d</b>", e.Segments), `id="sample"`, `id="confirm-send"`} {
					if !strings.Contains(confirm, want) {
						t.Errorf("the confirmation lacks %q", want)
					}
				}
				r := rg.ta.post(class+"/send"+q, url.Values{})
				if r.Status != http.StatusSeeOther {
					t.Fatalf("send: %d %.500s", r.Status, r.Body)
				}
				if ran, err := rg.runner(t).RunOnce(ctx); !ran || err != nil {
					t.Fatalf("ran %v, %v", ran, err)
				}
				msgs := fake.Messages()
				if len(msgs) != 2 || len(fake.Duplicates()) != 0 || len(fake.Problems()) != 0 {
					t.Fatalf("%d texts, duplicates %v, refused %v", len(msgs), fake.Duplicates(), fake.Problems())
				}
				for _, m := range msgs {
					if !strings.HasPrefix(m.Content, "【城东实验学校】") || strings.Contains(m.Content, "王小明") || strings.Contains(m.Content, "周杰") {
						t.Errorf("%s received %q", m.Phone, m.Content)
					}
				}
				reportDelivery(t, rg, provider, fake)
				slips := rg.ta.get(fmt.Sprintf("/classes/%d/slips%s", rg.f.classA1, q)).Body
				pages = append(pages, slips)
				for _, want := range []string{`id="class-texts"`, `data-delivery="delivered"`, `data-delivery="undelivered"`, "已送达", "未送达", "号码空号或停机", "138****1234"} {
					if !strings.Contains(slips, want) {
						t.Errorf("the class's reminders lack %q", want)
					}
				}
				job := rg.ta.get(r.Location).Body
				pages = append(pages, job)
				var api apiJob
				json.Unmarshal([]byte(rg.ta.get("/api/v1"+r.Location).Body), &api)
				if api.Reminders == nil || api.Reminders.Delivered != 1 || api.Reminders.Undelivered != 1 || api.Reminders.Awaiting != 0 ||
					!strings.Contains(job, `data-delivered="1"`) || !strings.Contains(job, "号码空号或停机") {
					t.Fatalf("job %+v %.3000s", api.Reminders, job)
				}
				overview := district.get("/overview").Body
				campaignPage := district.get(fmt.Sprintf("/campaigns/%d", rg.camp)).Body
				pages = append(pages, overview, campaignPage)
				if !strings.Contains(overview, `id="overview-sms"`) || !strings.Contains(campaignPage, "花费约 ¥"+sms.Yuan(e.CostFen)) {
					t.Errorf("the overview or the campaign page lacks the texts: %.200s", campaignPage)
				}
				metrics := district.get("/metrics").Body
				if !strings.Contains(metrics, fmt.Sprintf(`jiashu_sms_texts{outcome="delivered",provider="%s"} 1`, provider)) {
					t.Errorf("metrics: %.3000s", metrics)
				}
				noSecretAnywhere(t, rg, logs.String(), pages)
			})
		}
	}
}

// reportDelivery brings the fake's delivery reports in: Aliyun pushes
// them to the callback (a wrong token is a plain 404), Tencent's are
// pulled by the instance holding the lease.
func reportDelivery(t *testing.T, rg *reminderRig, provider string, fake smsFake) {
	t.Helper()
	if provider == "tencent" {
		d := jobs.Deps{Config: rg.srv.cfg, Store: rg.f.st, Catalogue: rg.srv.cat, Log: rg.srv.log, Now: rg.srv.now}
		r, err := jobs.NewReports(d, "one")
		if err != nil || r == nil {
			t.Fatalf("%v %v", r, err)
		}
		if polled, err := r.Tick(context.Background()); !polled || err != nil {
			t.Fatalf("%v %v", polled, err)
		}
		return
	}
	if status, _ := pushReport(t, rg.ta.base, "cb-token-wrong-456789abcdef", fake.CallbackBody()); status != http.StatusNotFound {
		t.Fatalf("a wrong token: %d", status)
	}
	if status, body := pushReport(t, rg.ta.base, callbackToken, fake.CallbackBody()); status != http.StatusOK || body != `{"code":0,"msg":"接收成功"}` {
		t.Fatalf("the push: %d %s", status, body)
	}
}

// noSecretAnywhere fails when a secret is in the log, the audit log or a page.
func noSecretAnywhere(t *testing.T, rg *reminderRig, logs string, pages []string) {
	t.Helper()
	audit, err := rg.f.st.AuditLog(context.Background(), 200)
	if err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, e := range audit {
		details = append(details, e.Detail)
	}
	for what, text := range map[string]string{"the log": logs, "the audit log": strings.Join(details, "\n"), "a page": strings.Join(pages, "\n")} {
		for _, secret := range []string{aliSecret, tcSecret, callbackToken} {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds the secret %s", what, secret)
			}
		}
	}
	// The log was written to (the reports were logged), so its silence on the secrets counts.
	if !strings.Contains(logs, "sms delivery reports") {
		t.Errorf("the log holds no delivery reports: %.2000s", logs)
	}
}

func TestASendInTheQuietHoursCanWaitForTheMorning(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			fake, set := providerSettings(t, "tencent")
			rg := newReminderRigWith(t, dsn, 2, set, nil)
			district := newBrowser(t, rg.ta.base)
			district.login("district")
			enterTemplate(t, district, "tencent")
			rg.setClock(time.Date(2026, 11, 20, 22, 0, 0, 0, campaign.ChinaTime))
			class := fmt.Sprintf("/classes/%d/reminders/send?campaign=%d", rg.f.classA1, rg.camp)
			if r := rg.ta.post(class, url.Values{}); r.Status != http.StatusConflict || !strings.Contains(r.Body, "免打扰时段") {
				t.Fatalf("a send now: %d %.500s", r.Status, r.Body)
			}
			page := rg.ta.get(class).Body
			if !strings.Contains(page, `id="schedule-send"`) || !strings.Contains(page, "2026-11-21 08:00 发送") || strings.Contains(page, `id="confirm-send"`) {
				t.Fatalf("%.3000s", page)
			}
			r := rg.ta.post(class, url.Values{"when": {"morning"}})
			again := rg.ta.post(class, url.Values{"when": {"morning"}})
			if r.Status != http.StatusSeeOther || again.Location != r.Location {
				t.Fatalf("%d %q %q", r.Status, r.Location, again.Location)
			}
			job := rg.ta.get(r.Location).Body
			if !strings.Contains(job, "已安排：2026-11-21 08:00 自动发送") || !strings.Contains(job, "取消定时发送") || strings.Contains(job, `http-equiv="refresh"`) {
				t.Fatalf("%.3000s", job)
			}
			if page := rg.ta.get(class).Body; !strings.Contains(page, "定于 2026-11-21 08:00 发送") {
				t.Fatalf("the confirmation does not list the waiting send: %.3000s", page)
			}
			// Cancelled, it never goes; asked for again through the API, it does at 08:00.
			if c := rg.ta.post(r.Location+"/cancel", url.Values{}); c.Status != http.StatusSeeOther {
				t.Fatalf("cancel: %d", c.Status)
			}
			var j apiJob
			api := rg.ta.post("/api/v1"+strings.Replace(class, "?", "?when=morning&", 1), url.Values{})
			if api.Status != http.StatusAccepted || json.Unmarshal([]byte(api.Body), &j) != nil || j.RunAt.String() != "2026-11-21T08:00:00+08:00" || j.Status != store.JobQueued {
				t.Fatalf("%d %.500s", api.Status, api.Body)
			}
			rg.setClock(time.Date(2026, 11, 21, 8, 0, 0, 0, campaign.ChinaTime))
			if ran, err := rg.runner(t).RunOnce(ctx); !ran || err != nil {
				t.Fatalf("ran %v %v", ran, err)
			}
			got, _ := rg.f.st.Job(ctx, j.ID)
			cancelled, _ := rg.f.st.Job(ctx, mustJobID(t, r.Location))
			if got.Status != store.JobDone || len(fake.Messages()) != 2 || cancelled.Status != store.JobCancelled {
				t.Fatalf("%s %q, %d texts, the cancelled one %s", got.Status, got.Error, len(fake.Messages()), cancelled.Status)
			}
		})
	}
}

// mustJobID reads the job id of a /jobs/N address.
func mustJobID(t *testing.T, location string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(location, "/jobs/%d", &id); err != nil {
		t.Fatalf("%q: %v", location, err)
	}
	return id
}

func TestTheCenterEntersTemplatesAsTheProviderApprovedThem(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, set := providerSettings(t, "tencent")
			rg := newReminderRigWith(t, dsn, 2, set, nil)
			district := newBrowser(t, rg.ta.base)
			district.login("district")
			class := fmt.Sprintf("/classes/%d/reminders/send?campaign=%d", rg.f.classA1, rg.camp)
			t.Run("before a template is entered a send says so and offers no button", func(t *testing.T) {
				page := rg.ta.get(class).Body
				if !strings.Contains(page, "还没有录入“提醒”的短信模板") || strings.Contains(page, `id="confirm-send"`) {
					t.Fatalf("%.3000s", page)
				}
				if r := rg.ta.post("/api/v1"+class, url.Values{}); r.Status != http.StatusConflict || !strings.Contains(r.Body, "sms_no_template") {
					t.Fatalf("%d %s", r.Status, r.Body)
				}
			})
			refused := []struct{ name, text, bind, code, want string }{
				{"two variables side by side", "{1}{2}的家长，请打开 http://jiashu.test/a 输入确认码{3}", "1=school,2=student,3=code", "", "两个变量不能相邻"},
				{"a link in a variable", "{1}的家长，请点 {2} 确认", "1=student,2=link", "", "腾讯云短信不允许在变量中传链接"},
				{"no way to the letter", "{1}的家长您好，请查看学校的防诈骗家书。", "1=student", "", "模板要让家长能打开家书"},
				{"another template's code", providerTemplates["tencent"].text, providerTemplates["tencent"].bind, "2220", "与设置中的 1110 不一致"},
				{"a binding that cannot be read", providerTemplates["tencent"].text, "school student code", "", "变量对应"},
			}
			for _, c := range refused {
				t.Run(c.name+" is refused, saying why, and nothing is saved", func(t *testing.T) {
					r := district.post("/settings/sms", url.Values{"kind": {"reminder"}, "text": {c.text}, "bind": {c.bind}, "code": {c.code}})
					if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, c.want) {
						t.Fatalf("%d %.3000s", r.Status, r.Body)
					}
					if _, ok, _ := rg.f.st.SMSTemplate(context.Background(), "tencent", "reminder"); ok {
						t.Fatal("saved")
					}
				})
			}
			t.Run("a template that fits shows the text a family receives, and is audited", func(t *testing.T) {
				page := enterTemplate(t, district, "tencent")
				if !strings.Contains(page, "【城东实验学校】城东实验学校提醒：王*明的家长，请打开 http://jiashu.test/a 输入确认码7KQ2XP9M4TRW") || !strings.Contains(page, "计费 2 条") {
					t.Fatalf("%.3000s", page)
				}
				if log, _ := rg.f.st.AuditLog(context.Background(), 5); !auditHas(log, "sms_template_saved", "tencent reminder template 1110") {
					t.Fatalf("%+v", log)
				}
			})
			t.Run("a school name too long for a variable blocks the send, naming the families", func(t *testing.T) {
				if _, err := rg.f.st.DB().Exec(rg.f.st.Rebind(`UPDATE schools SET name = ? WHERE id = ?`), "重庆市渝中区人和街小学校本部", rg.f.schoolA); err != nil {
					t.Fatal(err)
				}
				page := rg.ta.get(class).Body
				if !strings.Contains(page, `id="text-problems"`) || !strings.Contains(page, "每个变量最多 12 字") || strings.Contains(page, `id="confirm-send"`) {
					t.Fatalf("%.3000s", page)
				}
				if r := rg.ta.post(class, url.Values{}); r.Status != http.StatusConflict || !strings.Contains(r.Body, "不符合短信平台的规则") {
					t.Fatalf("%d %.500s", r.Status, r.Body)
				}
			})
			t.Run("only the education center has the settings", func(t *testing.T) {
				if r := rg.admin.get("/settings/sms"); r.Status != http.StatusForbidden {
					t.Fatalf("%d", r.Status)
				}
				if r := rg.ta.post("/settings/sms", url.Values{"kind": {"reminder"}, "text": {"x"}}); r.Status != http.StatusForbidden {
					t.Fatalf("%d", r.Status)
				}
			})
		})
	}
}

func TestTheGatewaysSettingsShowItsOwnTextAndTakeNoTemplate(t *testing.T) {
	t.Parallel()
	rg := newReminderRig(t, webDSNs(t)["sqlite"], 2)
	district := newBrowser(t, rg.ta.base)
	district.login("district")
	page := district.get("/settings/sms").Body
	if !strings.Contains(page, "短信网关（JSON）") || !strings.Contains(page, "http://jiashu.test/a/7KQ2XP9M4TRW?c=s") || strings.Contains(page, `name="text"`) {
		t.Fatalf("%.3000s", page)
	}
	if strings.Contains(page, "s3cret") {
		t.Fatal("the gateway's token is on the page")
	}
	r := district.post("/settings/sms", url.Values{"kind": {"reminder"}, "text": {"${school}：家长信 ${link}"}})
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "不需要录入模板") {
		t.Fatalf("%d %.2000s", r.Status, r.Body)
	}
}

// TestAnAlertGoesOutUnderItsOwnApprovedTemplate: a new-scam alert sent
// through Aliyun goes out under the alert template's code with the alert's
// title in its variable, to every family of the campaign (acknowledged
// ones too), as many as its confirmation and estimate said; without an
// alert template code in the settings the confirmation says alerts are not
// sent by the provider and the API refuses naming why.
func TestAnAlertGoesOutUnderItsOwnApprovedTemplate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake, set := providerSettings(t, "aliyun")
	f := fake.(*smstest.Aliyun)
	f.Templates["SMS_2"] = smstest.Template{Text: aliAlertText, LinkVar: "link"}
	rg := newReminderRigWith(t, webDSNs(t)["sqlite"], 2, func(c *config.Config) { set(c); c.SMSTemplateAlert = "SMS_2" }, nil)
	district := newBrowser(t, rg.ta.base)
	district.login("district")
	if r := district.post("/settings/sms", url.Values{"kind": {"alert"}, "text": {aliAlertText}}); r.Status != http.StatusSeeOther {
		t.Fatalf("alert template: %d %.2000s", r.Status, r.Body)
	}
	alert := createAlert(t, rg, district)
	path := fmt.Sprintf("/alerts/%d/campaigns/%d", alert, rg.camp)
	e := estimateOf(t, district, "/api/v1"+path+"/estimate")
	confirm := district.get(path + "/send").Body
	if e.Texts < 2 || e.CostFen != int64(e.Segments)*5 || !strings.Contains(confirm, fmt.Sprintf("确认发送 %d 条短信（约 ¥%s）", e.Texts, sms.Yuan(e.CostFen))) {
		t.Fatalf("estimate %+v; confirmation %.3000s", e, confirm)
	}
	r := district.post(path+"/send", url.Values{})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("send: %d %.500s", r.Status, r.Body)
	}
	if ran, err := rg.runner(t).RunOnce(ctx); !ran || err != nil {
		t.Fatalf("ran %v, %v", ran, err)
	}
	msgs := f.Messages()
	if len(msgs) != e.Texts || len(f.Duplicates()) != 0 || len(f.Problems()) != 0 {
		t.Fatalf("%d texts for %d estimated, duplicates %v, refused %v", len(msgs), e.Texts, f.Duplicates(), f.Problems())
	}
	for _, m := range msgs {
		if m.Template != "SMS_2" || m.Params["title"] == "" || !strings.HasPrefix(m.Content, "【城东实验学校】") || !strings.Contains(m.Content, "新骗局提醒：") {
			t.Errorf("%s received %q under %s", m.Phone, m.Content, m.Template)
		}
	}

	_, plain := providerSettings(t, "aliyun")
	without := newReminderRigWith(t, webDSNs(t)["sqlite"], 2, plain, nil)
	center := newBrowser(t, without.ta.base)
	center.login("district")
	other := createAlert(t, without, center)
	path = fmt.Sprintf("/alerts/%d/campaigns/%d", other, without.camp)
	if page := center.get(path + "/send").Body; !strings.Contains(page, `id="send-problem"`) || strings.Contains(page, `id="confirm-send"`) {
		t.Fatalf("without an alert template: %.3000s", page)
	}
	if r := center.post("/api/v1"+path+"/send", url.Values{}); r.Status != http.StatusConflict || !strings.Contains(r.Body, "sms_no_template_code") {
		t.Fatalf("%d %.500s", r.Status, r.Body)
	}
}
