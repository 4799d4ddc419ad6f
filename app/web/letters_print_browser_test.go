package web

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jiashu/app/internal/browsertest"
)

// TestLettersPrintInChromium: the teacher's class page with the
// large-print option and the letters to check, the roster preview of a
// rare name and a 2,000-character one, and the center's banner while the
// base URL leads nowhere — at a phone's and a desktop's width, axe clean.
func TestLettersPrintInChromium(t *testing.T) {
	t.Parallel()
	ctx := browsertest.WithAxe(t, staffChromium(t))
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	f.addGuardedStudent(t, f.schoolA, f.classA1, "A0003", "孙小满", "奶奶")
	f.addGuardedStudent(t, f.schoolA, f.classA1, "A0004", strings.Repeat("长", 2000), "父亲")
	f.addGuardedStudent(t, f.schoolA, f.classA1, "A0005", "王\U00030000", "母亲")
	f.cfg.BaseURL, f.cfg.BaseURLGiven = "http://localhost:8080", false
	f.srv = f.serve(t, f.st)
	shots := artifacts(t, "letters-print")
	page := browserPage{t: t, ctx: ctx, base: f.srv.URL, shots: shots}
	both := func(t *testing.T, name string) {
		t.Helper()
		err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), page.fullShot(name+"-1280"),
			chromedp.EmulateViewport(390, 844), page.viewShot(name+"-390"), page.fullShot(name+"-390-full"),
			chromedp.EmulateViewport(1280, 900))
		if err != nil {
			t.Fatal(err)
		}
		browsertest.Axe(t, ctx, name)
	}

	t.Run("the teacher's class page offers large print and lists the letters to check", func(t *testing.T) {
		page.login("ta")
		if err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+"/classes/"+itoa(f.classA1)), chromedp.WaitVisible(chromedp.CSS("#letters-form"))); err != nil {
			t.Fatal(err)
		}
		both(t, "01-class")
		form := page.text("#letters-form")
		if !strings.Contains(form, "生成家书") || !strings.Contains(form, "全班用大字版") {
			t.Errorf("download form %q", form)
		}
		main := page.text("main")
		for _, want := range []string{"本班有 1 名学生的第一监护人是祖辈", "大字版", "打印前请核对（2 处）", "太长了"} {
			if !strings.Contains(main, want) {
				t.Errorf("class page lacks %q", want)
			}
		}
		if strings.Contains(main, "公网地址") {
			t.Errorf("a teacher sees the center's banner")
		}
	})
	t.Run("the roster preview keeps a rare name and flags a 2,000-character one", func(t *testing.T) {
		roster := filepath.Join(t.TempDir(), "三年级2班.csv")
		csv := "学号,姓名,性别,家长姓名,与学生关系,家长手机\n" +
			"A0101,𠮷祥,男,𠮷大山,父亲,13800001111\n" +
			"A0102," + strings.Repeat("名", 2000) + ",女,陈红,母亲,13800002222\n" +
			"A0103,李安,女,李建,父亲,13800003333\n"
		if err := os.WriteFile(roster, []byte(csv), 0o600); err != nil {
			t.Fatal(err)
		}
		err := chromedp.Do(ctx,
			chromedp.Navigate(f.srv.URL+"/classes/"+itoa(f.classA1)+"/roster"),
			chromedp.WaitVisible(chromedp.CSS("#file")),
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{roster}),
			chromedp.Click(chromedp.CSS(`form[enctype] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS("#preview")),
		)
		if err != nil {
			t.Fatal(err)
		}
		both(t, "02-roster-preview")
		preview := page.text("#preview")
		if !strings.Contains(preview, "超过 20 个字") {
			t.Errorf("preview does not flag the 2,000-character name: %.600s", preview)
		}
		if strings.Contains(preview, "𠮷") && strings.Contains(preview, "字库里没有") {
			t.Errorf("preview calls 𠮷 unprintable: %.600s", preview)
		}
	})
	t.Run("the center sees the banner on every page", func(t *testing.T) {
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(".nav button"))); err != nil {
			t.Fatal(err)
		}
		page.login("district")
		if err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+"/classes/"+itoa(f.classA1)), chromedp.WaitVisible(chromedp.CSS("#base-url-warning"))); err != nil {
			t.Fatal(err)
		}
		both(t, "03-center-banner")
		if got := page.text("#base-url-warning"); !strings.Contains(got, "http://localhost:8080") || !strings.Contains(got, "JIASHU_BASE_URL") {
			t.Errorf("banner %q", got)
		}
	})
	t.Run("the job page counts the large-print letters and lists the checks", func(t *testing.T) {
		admin := newBrowser(t, f.srv.URL)
		admin.login("adminA")
		r := admin.post("/schools/"+itoa(f.schoolA)+"/letters", url.Values{})
		runJobs(t, testRunner(t, f, "w"))
		if err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+r.Location), chromedp.WaitVisible(chromedp.CSS("#letters-counts"))); err != nil {
			t.Fatal(err)
		}
		both(t, "04-job")
		if got := page.text("#letters-counts"); !strings.Contains(got, "大字版 1 封") {
			t.Errorf("job counts %q", got)
		}
	})
}
