package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jiashu/store"
)

// TestSchoolAdminInChromium: the school administrator starts the school's
// letters as a background job, watches the page (which reloads itself)
// until it is done, and downloads a ZIP with a PDF per class; then the
// center's pages. Screenshots of the main pages go to the artifacts.
func TestSchoolAdminInChromium(t *testing.T) {
	t.Parallel()
	ctx := staffChromium(t)
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	bg := context.Background()
	// A fuller school: students in both classes of 阳光小学, a few families
	// who have acknowledged.
	for i, name := range []string{"张子轩", "刘雨桐", "陈思远", "杨欣怡"} {
		f.addStudent(t, f.schoolA, f.classA2, "A02"+itoa(int64(i)), name, "1390000000"+itoa(int64(i)))
	}
	camp, err := f.st.CreateCampaign(bg, store.Campaign{Name: "2026年秋季反诈家书", Term: "2026年秋季学期", AckDeadline: "2026-10-15",
		QuizEnabled: true, SchoolIDs: []int64{f.schoolA, f.schoolB}})
	if err != nil {
		t.Fatal(err)
	}
	for _, cl := range []int64{f.classA1, f.classA2, f.classB1} {
		sts, _ := f.st.Students(bg, cl)
		ids := make([]int64, len(sts))
		for i, s := range sts {
			ids[i] = s.ID
		}
		ls, err := f.st.IssueLetters(bg, camp.ID, ids)
		if err != nil {
			t.Fatal(err)
		}
		if cl != f.classA1 {
			f.st.Acknowledge(bg, store.Ack{LetterID: ls[0].ID, Channel: store.ChannelQR, Relation: "母亲"})
		}
	}
	// Another instance's job runner on the same database.
	runner := testRunner(t, f, "browser-test")
	runner.Poll = 200 * time.Millisecond
	rctx, stop := context.WithCancel(bg)
	done := make(chan struct{})
	go func() { runner.Run(rctx); close(done) }()
	t.Cleanup(func() { stop(); <-done })

	shots := artifacts(t, "admin")
	base := f.srv.URL
	page := browserPage{t: t, ctx: ctx, base: base, shots: shots}
	shot, text := page.fullShot, page.text

	t.Run("the school administrator sees the school's classes and teachers", func(t *testing.T) {
		page.login("adminA")
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/school"), chromedp.WaitVisible(chromedp.CSS("#classes")), shot("01-school-admin")); err != nil {
			t.Fatal(err)
		}
		if got := text("main"); !strings.Contains(got, "三年级2班") || !strings.Contains(got, "tb老师") || strings.Contains(got, "初一1班") {
			t.Fatalf("school page: %.500q", got)
		}
	})
	var jobURL string
	t.Run("the school's letters job runs to the end while the page refreshes itself", func(t *testing.T) {
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#start-letters"))); err != nil {
			t.Fatal(err)
		}
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		if !jobPath.MatchString(strings.TrimPrefix(loc, base)) {
			t.Fatalf("after starting: %s", loc)
		}
		jobURL = loc
		// No script on the page: only its <meta refresh> brings the result.
		wctx, cancel := context.WithTimeout(ctx, 45*time.Second)
		defer cancel()
		if err := chromedp.Do(wctx, chromedp.WaitVisible(chromedp.CSS("#download"))); err != nil {
			t.Fatalf("the job page never showed the download: %v", err)
		}
		if err := chromedp.Do(ctx, shot("02-school-letters-done")); err != nil {
			t.Fatal(err)
		}
		if got := text("#job"); !strings.Contains(got, "已生成完毕：2 个班级") {
			t.Fatalf("job page: %q", got)
		}
	})
	t.Run("the download is a ZIP with a PDF per class", func(t *testing.T) {
		href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#download"), "href"))
		if err != nil || !strings.HasSuffix(href.Value, "/download") {
			t.Fatalf("download link %+v %v", href, err)
		}
		res, data := page.download(href.Value, "school-letters.zip")
		names := zipPDFs(t, data)
		if res.StatusCode != 200 || len(names) != 2 || !contains(names, "三年级2班.pdf") || !contains(names, "五年级3班.pdf") {
			t.Fatalf("status %d, entries %v", res.StatusCode, names)
		}
		if !strings.Contains(res.Header.Get("Content-Disposition"), ".zip") {
			t.Errorf("disposition %q", res.Header.Get("Content-Disposition"))
		}
	})
	t.Run("on a phone the school page stays readable", func(t *testing.T) {
		err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/school"),
			chromedp.WaitVisible(chromedp.CSS("#classes")), shot("03-school-admin-phone"), chromedp.EmulateViewport(1280, 900))
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("the center's pages", func(t *testing.T) {
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(".nav button"))); err != nil {
			t.Fatal(err)
		}
		page.login("district")
		err := chromedp.Do(ctx,
			chromedp.Navigate(base+"/district"), chromedp.WaitVisible(chromedp.CSS("#schools")), shot("04-center"),
			chromedp.Navigate(base+"/overview"), chromedp.WaitVisible(chromedp.CSS("#reach")), shot("05-center-overview"),
		)
		if err != nil {
			t.Fatal(err)
		}
		// 阳光小学 has 1 of 7 families, 明德中学 1 of 1: 阳光小学 is further behind.
		rows := text("#reach tbody")
		if i, j := strings.Index(rows, "阳光小学"), strings.Index(rows, "明德中学"); i < 0 || j < 0 || i > j {
			t.Fatalf("overview rows: %q", rows)
		}
		// A job of 明德中学 that another instance is working on, half done.
		running, err := f.st.CreateJob(bg, store.Job{Kind: store.JobSchoolLetters, SchoolID: f.schoolB, CampaignID: camp.ID})
		if err == nil {
			_, _, err = f.st.ClaimJob(bg, "elsewhere", time.Hour)
		}
		if err == nil {
			err = f.st.JobProgress(bg, running.ID, "elsewhere", 5, 12, time.Hour)
		}
		if err != nil {
			t.Fatal(err)
		}
		err = chromedp.Do(ctx,
			chromedp.Navigate(base+"/jobs/"+itoa(running.ID)), chromedp.WaitVisible(chromedp.CSS("progress")), shot("07-job-running"),
			chromedp.Navigate(base+"/campaigns/"+itoa(camp.ID)), chromedp.WaitVisible(chromedp.CSS("#settings")), shot("06-center-campaign"),
			// The district may open the school's job too.
			chromedp.Navigate(jobURL), chromedp.WaitVisible(chromedp.CSS("#download")),
			// A new school administrator's account: the one-time password, once.
			chromedp.Navigate(base+"/district"), chromedp.WaitVisible(chromedp.CSS("#a-username")),
			chromedp.SendKeys(chromedp.CSS("#a-display"), "李明"), chromedp.SendKeys(chromedp.CSS("#a-username"), "liming"),
		)
		if err == nil {
			_, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#new-admin button")))
		}
		if err == nil {
			err = chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("code.secret")), shot("08-account-created"))
		}
		if err != nil {
			t.Fatal(err)
		}
	})
}
