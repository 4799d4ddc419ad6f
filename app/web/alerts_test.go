package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"jiashu/app/reminders"
	"jiashu/store"
)

// alertRig is the reminders rig with a second campaign: one letter, of
// school B's student, acknowledged by the family before any alert.
type alertRig struct {
	*reminderRig
	camp2    int64
	tok2     string // the camp2 letter
	tokA     string // 王小明's letter of the first campaign
	district *browser
	method   string // "version:method" of the form
	title    string
}

func newAlertRig(t *testing.T, dsn string) *alertRig {
	t.Helper()
	ctx := context.Background()
	rg := newReminderRig(t, dsn, 1)
	ar := &alertRig{reminderRig: rg, tok2: "ZZZZ44445555"}
	st := rg.f.st
	if err := st.DB().QueryRowContext(ctx, st.Rebind(`INSERT INTO campaigns (name, quiz_enabled, created_at, content_version_id) VALUES ('2026冬季防诈', FALSE, ?, 1) RETURNING id`),
		st.Now()).Scan(&ar.camp2); err != nil {
		t.Fatal(err)
	}
	var letter2 int64
	if err := st.DB().QueryRowContext(ctx, st.Rebind(`INSERT INTO letters (campaign_id, student_id, token, status, produced_at) VALUES (?, ?, ?, 'delivered', ?) RETURNING id`),
		ar.camp2, rg.f.studentB1, ar.tok2, st.Now()).Scan(&letter2); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Acknowledge(ctx, store.Ack{LetterID: letter2, Channel: store.ChannelQR, Relation: "母亲", At: st.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := st.DB().QueryRowContext(ctx, st.Rebind(`SELECT token FROM letters WHERE campaign_id = ? AND student_id = ?`), rg.camp, rg.f.studentA1).Scan(&ar.tokA); err != nil {
		t.Fatal(err)
	}
	lib, err := rg.srv.content.Library(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	m := lib.Methods[len(lib.Methods)-1]
	ar.method, ar.title = fmt.Sprintf("1:%s", m.ID), m.Title
	ar.district = newBrowser(t, rg.ta.base)
	ar.district.login("district")
	return ar
}

func TestAlertReachesItsCampaignsFamiliesOnly(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			ar := newAlertRig(t, dsn)
			parent := newBrowser(t, ar.ta.base)
			// Both pages are cached before the alert exists.
			for _, tok := range []string{ar.tokA, ar.tok2} {
				if r := parent.get("/a/" + tok); r.Status != 200 || strings.Contains(r.Body, `id="alert-h"`) {
					t.Fatalf("%s before: %d", tok, r.Status)
				}
			}

			t.Run("bad input: a clear message and no alert", func(t *testing.T) {
				r := ar.district.post("/alerts", url.Values{"method": {ar.method}})
				if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "请至少勾选一个进行中的活动") {
					t.Fatalf("%d %.500s", r.Status, r.Body)
				}
				r = ar.district.post("/alerts", url.Values{"method": {"1:no-such"}, "campaign": {fmt.Sprint(ar.camp2)}})
				if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "请选择一个已审核通过的诈骗手法") {
					t.Fatalf("%d %.500s", r.Status, r.Body)
				}
				if list, _ := ar.f.st.Alerts(ctx); len(list) != 0 {
					t.Fatalf("%d alerts", len(list))
				}
			})
			t.Run("teachers and school administrators are refused", func(t *testing.T) {
				for _, u := range []string{"ta", "adminA"} {
					b := newBrowser(t, ar.ta.base)
					b.login(u)
					if r := b.post("/alerts", url.Values{"method": {ar.method}, "campaign": {fmt.Sprint(ar.camp2)}}); r.Status != http.StatusForbidden {
						t.Errorf("%s: %d", u, r.Status)
					}
					if r := b.get("/api/v1/alerts"); r.Status != http.StatusForbidden {
						t.Errorf("%s api: %d", u, r.Status)
					}
				}
			})
			t.Run("the center publishes an alert for the second campaign", func(t *testing.T) {
				page := ar.district.get("/alerts")
				if page.Status != 200 || !strings.Contains(page.Body, ar.title) || !strings.Contains(page.Body, "2026冬季防诈") {
					t.Fatalf("%d %.1000s", page.Status, page.Body)
				}
				preview := ar.district.get("/alerts/new?" + url.Values{"method": {ar.method}, "campaign": {fmt.Sprint(ar.camp2)}}.Encode())
				if preview.Status != 200 || !strings.Contains(preview.Body, "将显示在 1 个家庭的家长页面顶部") || !strings.Contains(preview.Body, "确认发布给 1 个家庭") {
					t.Fatalf("preview %d %.3000s", preview.Status, preview.Body)
				}
				if list, _ := ar.f.st.Alerts(ctx); len(list) != 0 {
					t.Fatal("the preview published the alert")
				}
				r := ar.district.post("/alerts", url.Values{"method": {ar.method}, "campaign": {fmt.Sprint(ar.camp2)}, "confirm": {"1"},
					"title": {ar.title}, "text": {"手法\n防范"}})
				if r.Status != http.StatusSeeOther || r.Location != "/alerts?done=created" {
					t.Fatalf("%d %.500s", r.Status, r.Body)
				}
				log, _ := ar.f.st.AuditLog(ctx, 5)
				if len(log) == 0 || log[0].Action != "alert_created" || !strings.Contains(log[0].Detail, ar.title) {
					t.Fatalf("audit %+v", log)
				}
			})
			t.Run("the acknowledged family of that campaign sees it on reopening; the other campaign's family does not", func(t *testing.T) {
				r := parent.get("/a/" + ar.tok2)
				if r.Status != 200 || !strings.Contains(r.Body, `id="alert-h">新骗局提醒`) || !strings.Contains(r.Body, "<h3>"+ar.title+"</h3>") {
					t.Fatalf("%d %.2000s", r.Status, r.Body)
				}
				if r := parent.get("/a/" + ar.tokA); strings.Contains(r.Body, `id="alert-h"`) {
					i := strings.Index(r.Body, "新骗局")
					t.Fatalf("the first campaign's family sees the alert: %s", r.Body[max(0, i-300):min(len(r.Body), i+300)])
				}
				if r := parent.get("/a/" + ar.tok2 + "?lang=en"); !strings.Contains(r.Body, "New scam alert") {
					t.Fatalf("English page without the alert")
				}
			})
			t.Run("the campaign page shows how many of its families opened their page since", func(t *testing.T) {
				r := ar.district.get(fmt.Sprintf("/campaigns/%d", ar.camp2))
				if !strings.Contains(r.Body, `id="campaign-alerts"`) || !strings.Contains(r.Body, ar.title) {
					t.Fatalf("%d %.3000s", r.Status, r.Body)
				}
				if r := ar.district.get(fmt.Sprintf("/campaigns/%d", ar.camp)); strings.Contains(r.Body, `id="campaign-alerts"`) {
					t.Fatal("the other campaign's page lists the alert")
				}
			})
			t.Run("the overview of the campaign shows it with its opened count, the other campaign's does not", func(t *testing.T) {
				r := ar.district.get(fmt.Sprintf("/overview?campaign=%d", ar.camp2))
				if !strings.Contains(r.Body, `id="overview-alerts"`) || !strings.Contains(r.Body, ar.title) {
					t.Fatalf("%d %.3000s", r.Status, r.Body)
				}
				if r := ar.district.get(fmt.Sprintf("/overview?campaign=%d", ar.camp)); strings.Contains(r.Body, `id="overview-alerts"`) {
					t.Fatal("the other campaign's overview lists the alert")
				}
			})
			t.Run("the API lists it", func(t *testing.T) {
				r := ar.district.get("/api/v1/alerts")
				var out struct{ Alerts []apiAlert }
				json.Unmarshal([]byte(r.Body), &out)
				if r.Status != 200 || len(out.Alerts) != 1 || out.Alerts[0].Title != ar.title || len(out.Alerts[0].Campaigns) != 1 || out.Alerts[0].Campaigns[0].Letters != 1 {
					t.Fatalf("%d %s", r.Status, r.Body)
				}
			})
			t.Run("its text goes to acknowledged families too, in one segment, within the per-guardian limit", func(t *testing.T) {
				list, _ := ar.f.st.Alerts(ctx)
				send := fmt.Sprintf("/api/v1/alerts/%d/campaigns/%d/send", list[0].ID, ar.camp2)
				csv := ar.district.get(fmt.Sprintf("/alerts/%d/campaigns/%d/texts.csv", list[0].ID, ar.camp2))
				if csv.Status != 200 || !strings.Contains(csv.Body, "13900005678") || !strings.Contains(csv.Body, ar.tok2+"?c=s") {
					t.Fatalf("csv %d %s", csv.Status, csv.Body)
				}
				if r := ar.district.get(fmt.Sprintf("/alerts/%d/campaigns/%d/texts.csv", list[0].ID, ar.camp)); r.Status != http.StatusNotFound {
					t.Fatalf("another campaign's texts: %d", r.Status)
				}
				for i := range 2 {
					j := ar.queue(t, ar.district, send)
					if ran, err := ar.runner(t).RunOnce(ctx); !ran || err != nil {
						t.Fatalf("ran %v %v", ran, err)
					}
					want := store.JobDone
					got, _ := ar.f.st.Job(ctx, j.ID)
					if got.Status != want {
						t.Fatalf("job %d: %s %s", i, got.Status, got.Error)
					}
					s := ar.jobSummary(t, j.ID)
					if i == 0 && s.Sent != 1 || i == 1 && (s.Sent != 0 || s.Skipped != 1) {
						t.Fatalf("job %d: %+v", i, s)
					}
				}
				by := ar.gw.acceptedBy()
				if by["13900005678"] != 1 {
					t.Fatalf("accepted %v", by)
				}
				for _, a := range ar.gw.accepted {
					if a["mobile"] == "13900005678" {
						if m := a["message"]; reminders.SMSLength(m) > reminders.SMSSegment || !strings.Contains(m, "/a/"+ar.tok2+"?c=s") || !strings.Contains(m, "新骗局") {
							t.Fatalf("text %q (%d)", m, reminders.SMSLength(m))
						}
					}
				}
			})
			t.Run("edited, the pages show the new text at once; withdrawn, they drop it at once", func(t *testing.T) {
				list, _ := ar.f.st.Alerts(ctx)
				a := list[0]
				edit := fmt.Sprintf("/alerts/%d/edit", a.ID)
				if page := ar.district.get(edit); page.Status != 200 || !strings.Contains(page.Body, `value="`+ar.title+`"`) || !strings.Contains(page.Body, "保存修改") {
					t.Fatalf("edit page %d %.2000s", page.Status, page.Body)
				}
				// 刷新预览 sends the edit without confirming: its preview, the
				// text of two paragraphs in the frame, and nothing saved.
				pv := ar.district.post(edit, url.Values{"title": {"更正后的提醒"}, "text": {"改过的手法。\r\n改过的防范。"}, "campaign": {fmt.Sprint(ar.camp2)}})
				frame := regexp.MustCompile(`src="(/alerts/preview\.html\?[^"]+)"`).FindStringSubmatch(pv.Body)
				if pv.Status != 200 || frame == nil || !strings.Contains(pv.Body, "改过的手法。") {
					t.Fatalf("the edit's preview: %d %.1500s", pv.Status, pv.Body)
				}
				if f := ar.district.get(html.UnescapeString(frame[1])); f.Status != 200 || !strings.Contains(f.Body, "改过的手法。") || !strings.Contains(f.Body, "改过的防范。") {
					t.Errorf("the preview's parents' page: %d %.800s", f.Status, f.Body)
				}
				if page := parent.get("/a/" + ar.tok2); strings.Contains(page.Body, "更正后的提醒") {
					t.Fatal("a preview saved the edit")
				}
				r := ar.district.post(edit, url.Values{"title": {"更正后的提醒"}, "text": {"改过的手法。\n改过的防范。"}, "campaign": {fmt.Sprint(ar.camp2)}, "confirm": {"1"}})
				if r.Status != http.StatusSeeOther || r.Location != "/alerts?done=edited" {
					t.Fatalf("edit: %d %.500s", r.Status, r.Body)
				}
				if page := parent.get("/a/" + ar.tok2); !strings.Contains(page.Body, "<h3>更正后的提醒</h3>") || !strings.Contains(page.Body, "改过的防范。") {
					t.Fatalf("the parents' page does not show the edit: %.1500s", page.Body)
				}
				if bad := ar.district.post(edit, url.Values{"title": {""}, "text": {"x"}, "campaign": {fmt.Sprint(ar.camp2)}}); bad.Status != http.StatusUnprocessableEntity {
					t.Errorf("an empty title: %d", bad.Status)
				}
				withdraw := fmt.Sprintf("/alerts/%d/withdraw", a.ID)
				if page := ar.district.get(withdraw); !strings.Contains(page.Body, "1 个家庭的家长页面上立即不再显示") || !strings.Contains(page.Body, "btn-danger") {
					t.Fatalf("withdraw page: %.2000s", page.Body)
				}
				if r := ar.district.post(withdraw, nil); r.Status != http.StatusSeeOther || r.Location != "/alerts?done=withdrawn" {
					t.Fatalf("withdraw: %d %s", r.Status, r.Location)
				}
				if page := parent.get("/a/" + ar.tok2); strings.Contains(page.Body, `id="alert-h"`) {
					t.Fatal("the withdrawn alert is still on the parents' page")
				}
				if page := ar.district.get("/alerts"); !strings.Contains(page.Body, "已撤回的提醒（1）") || strings.Contains(page.Body, fmt.Sprintf(`id="alert-%d"`, a.ID)) {
					t.Errorf("the alerts page does not list it as withdrawn")
				}
				if r := ar.district.post(withdraw, nil); r.Status != http.StatusConflict {
					t.Errorf("withdrawn twice: %d", r.Status)
				}
				if r := ar.district.sendJSON(http.MethodPost, fmt.Sprintf("/api/v1/alerts/%d/campaigns/%d/send", a.ID, ar.camp2), "{}"); r.Status != http.StatusConflict {
					t.Errorf("a withdrawn alert sent: %d", r.Status)
				}
				log, _ := ar.f.st.AuditLog(ctx, 10)
				var acts []string
				for _, e := range log {
					acts = append(acts, e.Action)
				}
				if j := strings.Join(acts, " "); !strings.Contains(j, "alert_withdrawn") || !strings.Contains(j, "alert_edited") {
					t.Errorf("audit: %s", j)
				}
			})
			t.Run("the API edits and withdraws an alert", func(t *testing.T) {
				r := ar.district.sendJSON(http.MethodPost, "/api/v1/alerts", map[string]any{"content_version": 1, "method": strings.TrimPrefix(ar.method, "1:"), "campaign_ids": []int64{ar.camp2}})
				var made apiAlert
				if err := json.Unmarshal([]byte(r.Body), &made); r.Status != http.StatusCreated || err != nil || made.WithdrawnAt != nil {
					t.Fatalf("create: %d %s", r.Status, r.Body)
				}
				path := fmt.Sprintf("/api/v1/alerts/%d", made.ID)
				r = ar.district.sendJSON(http.MethodPut, path, map[string]any{"title": "接口改的标题", "text": "接口改的内容", "campaign_ids": []int64{ar.camp2}})
				var edited apiAlert
				if err := json.Unmarshal([]byte(r.Body), &edited); r.Status != 200 || err != nil || edited.Title != "接口改的标题" || edited.UpdatedAt == nil {
					t.Fatalf("edit: %d %s", r.Status, r.Body)
				}
				if r := ar.district.sendJSON(http.MethodPut, path, map[string]any{"title": "x", "text": "y", "campaign_ids": []int64{99999}}); r.Status != http.StatusUnprocessableEntity {
					t.Errorf("a campaign that does not exist: %d %s", r.Status, r.Body)
				}
				r = ar.district.sendJSON(http.MethodPost, path+"/withdraw", "{}")
				var gone apiAlert
				if err := json.Unmarshal([]byte(r.Body), &gone); r.Status != 200 || err != nil || gone.WithdrawnAt == nil {
					t.Fatalf("withdraw: %d %s", r.Status, r.Body)
				}
				if r := ar.district.sendJSON(http.MethodPut, path, map[string]any{"title": "x", "text": "y", "campaign_ids": []int64{ar.camp2}}); r.Status != http.StatusConflict {
					t.Errorf("a withdrawn alert edited: %d", r.Status)
				}
			})
		})
	}
}

func TestAlertTextFitsOneSegment(t *testing.T) {
	t.Parallel()
	f := newParentFixture(t, "")
	for _, c := range []struct{ school, title string }{
		{"阳光小学", "冒充老师收取资料费"},
		{"北京市海淀区中关村第三实验小学教育集团明德校区", strings.Repeat("很长的手法名称", 6)},
	} {
		m, err := f.srv.reminders().AlertMessage(c.school, c.title, "ABCD2345EFGH")
		if err != nil || reminders.SMSLength(m) > reminders.SMSSegment || !strings.Contains(m, "https://jiashu.example.edu.cn/a/ABCD2345EFGH?c=s") {
			t.Errorf("%s: %q (%d) %v", c.school, m, reminders.SMSLength(m), err)
		}
	}
	m, _ := f.srv.reminders().AlertMessage("阳光小学", "冒充老师收取资料费", "ABCD2345EFGH")
	if !strings.Contains(m, "冒充老师收取资料费") {
		t.Errorf("a short title is named: %q", m)
	}
}
