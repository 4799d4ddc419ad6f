package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"jiashu/store"
)

// TestFailedSMSJobShownAsFailed: a reminders job in which a text failed is
// red on its page with the gateway's reason, and its retry sends to the
// failed guardian only (never a second text to the one who got it).
func TestFailedSMSJobShownAsFailed(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			rg := newReminderRig(t, dsn, 2)
			j := rg.queue(t, rg.ta, fmt.Sprintf("/api/v1/classes/%d/reminders/send", rg.f.classA1))
			if ran, err := rg.runner(t).RunOnce(ctx); !ran || err != nil {
				t.Fatalf("ran %v, %v", ran, err)
			}
			page := rg.ta.get(fmt.Sprintf("/jobs/%d", j.ID)).Body
			for _, want := range []string{`class="alert alert-error" role="alert" id="outcome"`, "有 1 条短信没有送达家长手机", `id="failure-reasons"`,
				"短信网关不接受这条短信", "只重发失败的 1 条"} {
				if !strings.Contains(page, want) {
					t.Errorf("job page lacks %q", want)
				}
			}
			// The raw code stays in the audit (and the log), not on the page.
			if strings.Contains(page, "HTTP 400") {
				t.Error("the job page shows the raw code")
			}
			if log, _ := rg.f.st.AuditLog(ctx, 20); !auditHas(log, "reminders_sent", "HTTP 400") {
				t.Errorf("the audit lacks the raw code: %+v", log)
			}
			if strings.Contains(page, "alert-ok") {
				t.Error("a job with failures is shown in green")
			}

			delete(rg.gw.refused, "13700009999")
			before := rg.gw.acceptedBy()
			r := rg.ta.post(fmt.Sprintf("/jobs/%d/retry-failed", j.ID), url.Values{})
			if r.Status != 303 {
				t.Fatalf("retry: %d %s", r.Status, r.Body)
			}
			if ran, err := rg.runner(t).RunOnce(ctx); !ran || err != nil {
				t.Fatalf("ran %v, %v", ran, err)
			}
			after := rg.gw.acceptedBy()
			if after["13700009999"] != 1 || after["13800001234"] != before["13800001234"] {
				t.Fatalf("accepted before %v, after %v", before, after)
			}
			var next apiJob
			json.Unmarshal([]byte(rg.ta.get("/api/v1"+r.Location).Body), &next)
			if next.Reminders == nil || next.Reminders.Sent != 1 || next.Reminders.Failed != 0 || next.Reminders.Undelivered != 0 {
				t.Fatalf("retry job %+v", next)
			}
			if page := rg.ta.get(r.Location).Body; !strings.Contains(page, "alert-ok") {
				t.Error("the retry that sent everything is not shown as done")
			}
		})
	}
}

// TestClassSendAsksFirstAndKeepsItsCampaign: the class page's send goes
// through a confirmation page like the school's and campaign's, whose form
// keeps the campaign the page showed.
func TestClassSendAsksFirstAndKeepsItsCampaign(t *testing.T) {
	t.Parallel()
	rg := newReminderRig(t, webDSNs(t)["sqlite"], 2)
	slips := rg.ta.get(fmt.Sprintf("/classes/%d/slips?campaign=%d", rg.f.classA1, rg.camp)).Body
	confirm := fmt.Sprintf("/classes/%d/reminders/send?campaign=%d", rg.f.classA1, rg.camp)
	if !strings.Contains(slips, `href="`+confirm+`"`) || strings.Contains(slips, `method="post" action="/classes/`+itoa(rg.f.classA1)+`/reminders/send`) {
		t.Fatal("the class page sends without asking")
	}
	r := rg.ta.get(confirm)
	if r.Status != 200 || !strings.Contains(r.Body, `action="`+strings.ReplaceAll(confirm, "&", "&amp;")+`"`) {
		t.Fatalf("confirmation page %d %.1500s", r.Status, r.Body)
	}
}

// auditHas says whether the log has an entry of action whose detail holds text.
func auditHas(log []store.AuditEntry, action, text string) bool {
	for _, e := range log {
		if e.Action == action && strings.Contains(e.Detail, text) {
			return true
		}
	}
	return false
}
