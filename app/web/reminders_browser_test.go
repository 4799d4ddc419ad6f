package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestSchoolRemindersInChromium: the school administrator sees the count on
// the school page, opens the confirmation, confirms with the plain form and
// lands on the job's page; one job is queued. Screenshots go to the artifacts.
func TestSchoolRemindersInChromium(t *testing.T) {
	t.Parallel()
	ctx := staffChromium(t)
	rg := newReminderRig(t, webDSNs(t)["sqlite"], 1)
	base := rg.ta.base
	page := browserPage{t: t, ctx: ctx, base: base, shots: artifacts(t, "reminders")}
	page.login("adminA")
	school := fmt.Sprintf("%s/schools/%d", base, rg.f.schoolA)
	if err := chromedp.Do(ctx, chromedp.Navigate(school), chromedp.WaitVisible(chromedp.CSS("#reminders")), page.fullShot("01-school-reminders")); err != nil {
		t.Fatal(err)
	}
	if got := page.text("#reminders"); !strings.Contains(got, "共 2 位家长（有手机号）尚未回执") || !strings.Contains(got, "发送提醒（2 条）") {
		t.Fatalf("card: %q", got)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#reminders a.btn-primary"))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#confirm-send")), page.fullShot("02-confirm")); err != nil {
		t.Fatal(err)
	}
	if n := len(reminderJobs(t, rg.f.st)); n != 0 {
		t.Fatalf("%d jobs before confirming", n)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#confirm-send"))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#job")), page.fullShot("03-job")); err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	jobs := reminderJobs(t, rg.f.st)
	if len(jobs) != 1 || !strings.HasSuffix(loc, fmt.Sprintf("/jobs/%d", jobs[0].ID)) {
		t.Fatalf("at %s with %d jobs", loc, len(jobs))
	}
}
