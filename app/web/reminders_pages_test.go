package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jiashu/store"
)

// reminderJobs lists the reminders jobs in the database.
func reminderJobs(t *testing.T, st *store.Store) []store.Job {
	t.Helper()
	rows, err := st.DB().Query(st.Rebind(`SELECT id FROM jobs WHERE kind = ? ORDER BY id`), store.JobReminders)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	var out []store.Job
	for _, id := range ids {
		j, err := st.Job(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, j)
	}
	return out
}

// exportsBy counts the reminder exports in the audit log by user.
func exportsBy(t *testing.T, st *store.Store, userID int64) int {
	t.Helper()
	log, err := st.AuditLog(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range log {
		if e.Action == "reminders_export" && e.UserID == userID {
			n++
		}
	}
	return n
}

func TestReminderPagesOfSchoolAndCampaign(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rg := newReminderRig(t, dsn, 1)
			f := rg.f
			district := newBrowser(t, rg.ta.base)
			district.login("district")
			adminB := newBrowser(t, rg.ta.base)
			adminB.login("adminB")
			school := fmt.Sprintf("/schools/%d", f.schoolA)
			q := fmt.Sprintf("?campaign=%d", rg.camp)
			campaign := fmt.Sprintf("/campaigns/%d", rg.camp)

			// School A: 王小明's and 周杰's guardians have a mobile (李华's has
			// none); school B: 赵敏's. The campaign covers both schools.
			t.Run("the school page counts the school's families and links the list and the send", func(t *testing.T) {
				r := rg.admin.get(school)
				if r.Status != 200 || !strings.Contains(r.Body, "共 2 位家长（有手机号）尚未回执") {
					t.Fatalf("%d %.3000s", r.Status, r.Body)
				}
				for _, href := range []string{school + "/reminders.xlsx" + q, school + "/reminders.csv" + q, school + "/reminders/send" + q} {
					if !strings.Contains(r.Body, `href="`+href+`"`) {
						t.Errorf("no link %s", href)
					}
				}
				if !strings.Contains(r.Body, "通过短信平台发送提醒（2 条）") {
					t.Error("the send button does not say how many")
				}
			})
			t.Run("the campaign page counts the whole campaign", func(t *testing.T) {
				r := district.get(campaign)
				if r.Status != 200 || !strings.Contains(r.Body, "共 3 位家长（有手机号）尚未回执") ||
					!strings.Contains(r.Body, `href="`+campaign+`/reminders.csv"`) || !strings.Contains(r.Body, `href="`+campaign+`/reminders/send"`) {
					t.Fatalf("%d %.3000s", r.Status, r.Body)
				}
			})
			t.Run("the school's CSV holds its two numbers and not the other school's, audited", func(t *testing.T) {
				before := exportsBy(t, f.st, f.users["adminA"].ID)
				r := rg.admin.get(school + "/reminders.csv" + q)
				if r.Status != 200 {
					t.Fatalf("%d %.300s", r.Status, r.Body)
				}
				rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\uFEFF"))).ReadAll()
				if err != nil || len(rows) != 3 || rows[0][0] != "手机号码" || strings.Contains(r.Body, "13900005678") ||
					!strings.Contains(r.Body, "13800001234") || !strings.Contains(r.Body, "13700009999") {
					t.Fatalf("%q %v", rows, err)
				}
				if got := exportsBy(t, f.st, f.users["adminA"].ID); got != before+1 {
					t.Fatalf("%d export entries, want %d", got, before+1)
				}
			})
			t.Run("the campaign's XLSX holds all three numbers, audited", func(t *testing.T) {
				before := exportsBy(t, f.st, f.users["district"].ID)
				r := district.get(campaign + "/reminders.xlsx")
				if r.Status != 200 {
					t.Fatalf("%d %.300s", r.Status, r.Body)
				}
				x, err := excelize.OpenReader(bytes.NewReader([]byte(r.Body)))
				if err != nil {
					t.Fatal(err)
				}
				defer x.Close()
				rows, err := x.GetRows(x.GetSheetName(0))
				if err != nil || len(rows) != 4 {
					t.Fatalf("%q %v", rows, err)
				}
				if got := exportsBy(t, f.st, f.users["district"].ID); got != before+1 {
					t.Fatalf("%d export entries, want %d", got, before+1)
				}
			})
			t.Run("another school's administrator gets neither list, page nor job", func(t *testing.T) {
				for _, path := range []string{school + "/reminders.csv" + q, school + "/reminders.xlsx", school + "/reminders/send" + q,
					campaign + "/reminders.csv", campaign + "/reminders/send"} {
					if r := adminB.get(path); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
						t.Errorf("GET %s: %d", path, r.Status)
					} else if strings.Contains(r.Body, "13800001234") {
						t.Errorf("GET %s shows a number", path)
					}
				}
				for _, path := range []string{school + "/reminders/send" + q, campaign + "/reminders/send"} {
					if r := adminB.post(path, url.Values{}); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
						t.Errorf("POST %s: %d", path, r.Status)
					}
				}
				if n := exportsBy(t, f.st, f.users["adminB"].ID); n != 0 || len(reminderJobs(t, f.st)) != 0 {
					t.Fatalf("%d exports, %d jobs", n, len(reminderJobs(t, f.st)))
				}
			})
			t.Run("a campaign the school is not part of is not found", func(t *testing.T) {
				other, err := f.st.CreateCampaign(context.Background(), store.Campaign{Name: "明德中学专项", SchoolIDs: []int64{f.schoolB}})
				if err != nil {
					t.Fatal(err)
				}
				r := rg.admin.get(fmt.Sprintf("%s/reminders/send?campaign=%d", school, other.ID))
				if r.Status != http.StatusNotFound || strings.Contains(r.Body, "明德中学专项") {
					t.Fatalf("%d %.300s", r.Status, r.Body)
				}
			})
			t.Run("the send asks first and queues nothing until confirmed", func(t *testing.T) {
				r := rg.admin.get(school + "/reminders/send" + q)
				if r.Status != 200 || !strings.Contains(r.Body, "确认发送 2 条短信（约 ¥0.10）") ||
					!strings.Contains(r.Body, `action="`+school+`/reminders/send`+q+`"`) || !strings.Contains(r.Body, `method="post"`) {
					t.Fatalf("%d %.3000s", r.Status, r.Body)
				}
				if n := len(reminderJobs(t, f.st)); n != 0 {
					t.Fatalf("%d jobs before confirming", n)
				}
			})
			t.Run("confirming twice starts one job for the school and shows it", func(t *testing.T) {
				r1 := rg.admin.post(school+"/reminders/send"+q, url.Values{})
				r2 := rg.admin.post(school+"/reminders/send"+q, url.Values{})
				jobs := reminderJobs(t, f.st)
				if r1.Status != http.StatusSeeOther || len(jobs) != 1 || r1.Location != fmt.Sprintf("/jobs/%d", jobs[0].ID) || r2.Location != r1.Location {
					t.Fatalf("%d %q %q, %d jobs", r1.Status, r1.Location, r2.Location, len(jobs))
				}
				if j := jobs[0]; j.SchoolID != f.schoolA || j.CampaignID != rg.camp || j.CreatedBy != f.users["adminA"].ID {
					t.Fatalf("%+v", j)
				}
				if page := rg.admin.get(r1.Location); page.Status != 200 || !strings.Contains(page.Body, school) {
					t.Fatalf("job page %d %.2000s", page.Status, page.Body)
				}
			})
			t.Run("the district's confirmed send starts one job for the campaign", func(t *testing.T) {
				if r := district.get(campaign + "/reminders/send"); !strings.Contains(r.Body, "确认发送 3 条短信") {
					t.Fatalf("%d %.3000s", r.Status, r.Body)
				}
				r := district.post(campaign+"/reminders/send", url.Values{})
				jobs := reminderJobs(t, f.st)
				if r.Status != http.StatusSeeOther || len(jobs) != 2 || jobs[1].SchoolID != 0 || jobs[1].CampaignID != rg.camp {
					t.Fatalf("%d %q %+v", r.Status, r.Location, jobs)
				}
			})
			t.Run("between 21:00 and 08:00 the confirmation page says so and offers the morning instead", func(t *testing.T) {
				rg.setClock(rg.clock.Add(12 * time.Hour)) // 22:00
				defer rg.setClock(rg.clock.Add(-12 * time.Hour))
				r := rg.admin.get(school + "/reminders/send" + q)
				if r.Status != 200 || !strings.Contains(r.Body, "免打扰时段（21:00–08:00") || strings.Contains(r.Body, `id="confirm-send"`) ||
					!strings.Contains(r.Body, `id="schedule-send"`) || !strings.Contains(r.Body, "2026-11-21 08:00 发送") {
					t.Fatalf("%d %.3000s", r.Status, r.Body)
				}
			})
			t.Run("without a gateway the page offers the downloads and no send", func(t *testing.T) {
				plain := newBrowser(t, f.srv.URL)
				plain.login("adminA")
				r := plain.get(school)
				if r.Status != 200 || !strings.Contains(r.Body, school+"/reminders.csv") || strings.Contains(r.Body, school+"/reminders/send") ||
					!strings.Contains(r.Body, "尚未配置短信平台") {
					t.Fatalf("%d %.3000s", r.Status, r.Body)
				}
			})
			t.Run("the English page says the same in English", func(t *testing.T) {
				r := rg.admin.get(school + "?lang=en")
				if !strings.Contains(r.Body, "2 guardians with a mobile number have not acknowledged") || !strings.Contains(r.Body, "Send reminders by SMS (2)") {
					t.Fatalf("%.3000s", r.Body)
				}
				rg.admin.get(school + "?lang=zh-CN")
			})
		})
	}
}

// TestReminderJobDeliversProducedLetters: a family that got the letter's
// link by SMS has the letter, printed copy handed out or not.
func TestReminderJobDeliversProducedLetters(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			rg := newReminderRig(t, dsn, 1)
			st := rg.f.st
			// 王小明's (the gateway takes it on the second try) and 周杰's
			// (refused) letters are printed but not handed out.
			if _, err := st.DB().Exec(`UPDATE letters SET status = 'produced'`); err != nil {
				t.Fatal(err)
			}
			statusOf := func(mobile string) string {
				t.Helper()
				var s string
				if err := st.DB().QueryRow(st.Rebind(`SELECT l.status FROM letters l JOIN student_guardians sg ON sg.student_id = l.student_id
					JOIN guardians g ON g.id = sg.guardian_id WHERE g.mobile = ?`), mobile).Scan(&s); err != nil {
					t.Fatal(err)
				}
				return s
			}
			rg.queue(t, rg.ta, fmt.Sprintf("/api/v1/classes/%d/reminders/send", rg.f.classA1))
			if ran, err := rg.runner(t).RunOnce(ctx); !ran || err != nil {
				t.Fatalf("ran %v, %v", ran, err)
			}
			t.Run("the letter whose SMS was sent is delivered", func(t *testing.T) {
				if got := statusOf("13800001234"); got != store.StatusDelivered {
					t.Fatalf("status %q", got)
				}
			})
			t.Run("the letter whose SMS the gateway refused is still only produced", func(t *testing.T) {
				if got := statusOf("13700009999"); got != store.StatusProduced {
					t.Fatalf("status %q", got)
				}
			})
			t.Run("the other school's letter is untouched", func(t *testing.T) {
				if got := statusOf("13900005678"); got != store.StatusProduced {
					t.Fatalf("status %q", got)
				}
			})
		})
	}
}
