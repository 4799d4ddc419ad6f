package web

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"jiashu/app/internal/browsertest"
)

// TestClassMeetingInChromium: the teacher records the class meeting from
// the class page's card, on a phone and on a desktop; the school's
// overview shows the day beside the letters' reach. Screenshots of both
// sizes; axe-core finds no WCAG 2 A/AA violation.
func TestClassMeetingInChromium(t *testing.T) {
	t.Parallel()
	ctx := browsertest.WithAxe(t, staffChromium(t))
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	base := meetingServer(t, f)
	shots := artifacts(t, "class-meeting")
	page := browserPage{t: t, ctx: ctx, base: base, shots: shots}
	classURL := base + "/classes/" + itoa(f.classA1)
	sizes := []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1280, 900}}

	page.login("ta")
	t.Run("the meeting card offers the kit and a day to record", func(t *testing.T) {
		for _, sz := range sizes {
			err := chromedp.Do(ctx, chromedp.EmulateViewport(sz.w, sz.h), chromedp.Navigate(classURL+"#meeting"),
				chromedp.WaitVisible(chromedp.CSS("#meeting")), page.viewShot("01-card-pending-"+sz.name))
			if err != nil {
				t.Fatal(err)
			}
			browsertest.Axe(t, ctx, "class page, meeting pending, "+sz.name)
		}
		if got := page.text("#meeting"); !strings.Contains(got, "下载教案（小学低年级）") || !strings.Contains(got, "登记“班会已开展”") {
			t.Errorf("card: %q", got)
		}
	})
	t.Run("recording the day shows it held", func(t *testing.T) {
		err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#meeting-date"), "2026-11-20"))
		if err == nil {
			_, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#meeting-save")))
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, sz := range sizes {
			err := chromedp.Do(ctx, chromedp.EmulateViewport(sz.w, sz.h), chromedp.WaitVisible(chromedp.CSS("#meeting-held")),
				chromedp.ScrollIntoView(chromedp.CSS("#meeting")), page.viewShot("02-card-held-"+sz.name))
			if err != nil {
				t.Fatal(err)
			}
			browsertest.Axe(t, ctx, "class page, meeting held, "+sz.name)
		}
		if got := page.text("#meeting"); !strings.Contains(got, "班会已开展") || !strings.Contains(got, "2026年11月20日") {
			t.Errorf("card after recording: %q", got)
		}
	})
	t.Run("the school's overview shows the day beside the reach", func(t *testing.T) {
		signOut(t, page)
		page.login("adminA")
		for _, sz := range sizes {
			err := chromedp.Do(ctx, chromedp.EmulateViewport(sz.w, sz.h), chromedp.Navigate(base+"/overview/schools/"+itoa(f.schoolA)),
				chromedp.WaitVisible(chromedp.CSS("#reach")), chromedp.ScrollIntoView(chromedp.CSS("#reach")), page.viewShot("03-overview-"+sz.name))
			if err != nil {
				t.Fatal(err)
			}
			browsertest.Axe(t, ctx, "school overview, "+sz.name)
		}
		if got := page.text("#reach"); !strings.Contains(got, "11月20日") || !strings.Contains(got, "未开") {
			t.Errorf("overview table: %q", got)
		}
	})
	t.Run("the district's overview counts the classes that held it", func(t *testing.T) {
		signOut(t, page)
		page.login("district")
		for _, sz := range sizes {
			err := chromedp.Do(ctx, chromedp.EmulateViewport(sz.w, sz.h), chromedp.Navigate(base+"/overview"),
				chromedp.WaitVisible(chromedp.CSS("#reach")), page.fullShot("04-district-overview-"+sz.name))
			if err != nil {
				t.Fatal(err)
			}
			browsertest.Axe(t, ctx, "district overview, "+sz.name)
		}
		if got := page.text("#reach"); !strings.Contains(got, "1/2 班") {
			t.Errorf("district table: %q", got)
		}
	})
	t.Run("the school page lists a kit per age group", func(t *testing.T) {
		for _, sz := range sizes {
			err := chromedp.Do(ctx, chromedp.EmulateViewport(sz.w, sz.h), chromedp.Navigate(base+"/schools/"+itoa(f.schoolA)+"#lessons"),
				chromedp.WaitVisible(chromedp.CSS("#lessons")), chromedp.ScrollIntoView(chromedp.CSS("#lessons")), page.viewShot("05-school-kits-"+sz.name))
			if err != nil {
				t.Fatal(err)
			}
			browsertest.Axe(t, ctx, "school page, "+sz.name)
		}
		if got := page.text("#lessons"); !strings.Contains(got, "小学低年级") || !strings.Contains(got, "小学高年级") || strings.Contains(got, "初中") {
			t.Errorf("kits: %q", got)
		}
	})
}

// signOut forgets the browser's session, as signing out does.
func signOut(t *testing.T, p browserPage) {
	t.Helper()
	if _, err := chromedp.Call(p.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
}
