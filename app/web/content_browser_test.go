package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jiashu/app/internal/browsertest"
	"jiashu/store"
)

// TestContentReviewInChromium: the center edits a letter, previews it (the
// real PDF and the parent page), submits it; a reviewer returns it with a
// comment; the center edits and resubmits; the reviewer approves; a
// campaign created afterwards prints the new text. Every page is shot at
// 1280×900 and 390×844 and checked with axe.
func TestContentReviewInChromium(t *testing.T) {
	t.Parallel()
	ctx := browsertest.WithAxe(t, staffChromium(t))
	needPoppler(t) // the previews and the printed letters are read with pdftotext
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	base := f.srv.URL
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#username"))); err != nil {
		t.Fatal(err)
	}
	browsertest.Axe(t, ctx, "login")
	page := browserPage{t: t, ctx: ctx, base: base, shots: artifacts(t, "content")}
	click := func(sel string) {
		t.Helper()
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	logout := func() {
		t.Helper()
		click(".nav button")
	}
	const sentence = "第二版：谨防“AI换脸借钱”，请您提醒家里老人。"
	var versionURL string

	t.Run("the center writes a draft and previews the real PDF and the parent page", func(t *testing.T) {
		page.login("district")
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/content")); err != nil {
			t.Fatal(err)
		}
		page.look(t, "01-content-list", "#versions")
		click("#create-draft")
		page.look(t, "02-editor", "#text")
		err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const t = document.querySelector('#text');
			t.value = t.value.replace('感谢您对学校工作的支持，让我们家校携手，守护孩子平安长大！', '`+sentence+`'); })()`))
		if err != nil {
			t.Fatal(err)
		}
		click("#save-preview")
		page.look(t, "03-editor-preview", "#preview")
		if got := page.text("#preview-stats"); !strings.Contains(got, "连同回执印在一页") || !strings.Contains(got, "分钟") {
			t.Errorf("preview stats: %q", got)
		}
		if got := page.text("#placeholders"); !strings.Contains(got, "{派出所}") {
			t.Errorf("placeholders: %q", got)
		}
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		versionURL = strings.TrimSuffix(loc[:strings.Index(loc, "/edit")], "/")
		res, body := page.download(strings.TrimPrefix(versionURL, base)+"/preview.html?age=primary-lower", "preview-parent.html")
		if res.StatusCode != 200 || !strings.Contains(string(body), sentence) {
			t.Errorf("the parent page preview: %d, has the sentence: %v", res.StatusCode, strings.Contains(string(body), sentence))
		}
		res, pdf := page.download(strings.TrimPrefix(versionURL, base)+"/preview.pdf?age=primary-lower", "preview.pdf")
		if res.StatusCode != 200 || !strings.Contains(pdfText(t, pdf), "AI换脸借钱") {
			t.Errorf("the PDF preview: %d", res.StatusCode)
		}
	})
	t.Run("the method form shows which letters use a method", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(versionURL+"/edit?file=methods.txt&method=fake-teacher")); err != nil {
			t.Fatal(err)
		}
		page.look(t, "04-method-form", "#method-form")
		if got := page.text("#methods"); !strings.Contains(got, "用于：小学低年级") {
			t.Errorf("methods: %.300q", got)
		}
	})
	t.Run("the center submits; the author is offered no approval", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(versionURL)); err != nil {
			t.Fatal(err)
		}
		click("#submit-review")
		page.look(t, "05-version-submitted", "#not-yours")
		if got := page.text("#state"); got != "待审核" {
			t.Errorf("state %q", got)
		}
		logout()
	})
	t.Run("a reviewer compares and returns it with a comment", func(t *testing.T) {
		page.login("reviewer")
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#queue"))); err != nil {
			t.Fatal(err)
		}
		page.look(t, "06-review-queue", "#queue")
		if err := chromedp.Do(ctx, chromedp.Navigate(versionURL+"/diff")); err != nil {
			t.Fatal(err)
		}
		page.look(t, "07-diff", ".file-diff")
		if got := page.text(".file-diff"); !strings.Contains(got, "AI换脸借钱") {
			t.Errorf("diff: %.300q", got)
		}
		err := chromedp.Do(ctx, chromedp.Navigate(versionURL), chromedp.WaitVisible(chromedp.CSS("#comment")),
			chromedp.SendKeys(chromedp.CSS("#comment"), "“AI换脸借钱”请写明：先挂断，再用自己存的号码打回去核实。"))
		if err != nil {
			t.Fatal(err)
		}
		page.look(t, "08-review", "#review")
		click("#return")
		if got := page.text("#state"); got != "已退回" {
			t.Errorf("state %q", got)
		}
		logout()
	})
	t.Run("the center sees the comment, edits and resubmits", func(t *testing.T) {
		page.login("district")
		if err := chromedp.Do(ctx, chromedp.Navigate(versionURL)); err != nil {
			t.Fatal(err)
		}
		page.look(t, "09-returned", "#review-comment")
		if got := page.text("#review-comment"); !strings.Contains(got, "先挂断") {
			t.Errorf("comment %q", got)
		}
		click("#edit")
		err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const t = document.querySelector('#text');
			t.value = t.value.replace('请您提醒家里老人。', '先挂断，再打回去核实。'); })()`))
		if err != nil {
			t.Fatal(err)
		}
		click("#save-preview")
		if err := chromedp.Do(ctx, chromedp.Navigate(versionURL)); err != nil {
			t.Fatal(err)
		}
		click("#submit-review")
		logout()
	})
	t.Run("another account approves", func(t *testing.T) {
		page.login("reviewer")
		if err := chromedp.Do(ctx, chromedp.Navigate(versionURL), chromedp.WaitVisible(chromedp.CSS("#approve"))); err != nil {
			t.Fatal(err)
		}
		click("#approve")
		page.look(t, "10-approved", "#history")
		if got := page.text("#state"); got != "已审核" {
			t.Errorf("state %q", got)
		}
		logout()
	})
	t.Run("a new campaign's letter prints the approved text", func(t *testing.T) {
		if _, err := f.st.CreateCampaign(context.Background(), store.Campaign{Name: "寒假前反诈家书", QuizEnabled: true, SchoolIDs: []int64{f.schoolA}}); err != nil {
			t.Fatal(err)
		}
		page.login("ta")
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/classes/"+itoa(f.classA1)), chromedp.WaitVisible(chromedp.CSS("#generate-letters"))); err != nil {
			t.Fatal(err)
		}
		pdf := page.clickDownload("#generate-letters", "new-campaign.pdf")
		if text := pdfText(t, pdf); !strings.Contains(text, "再打回去核实") {
			t.Errorf("the new campaign's letter: %.300s", text)
		}
		logout()
	})
	t.Run("the school administrator's details page", func(t *testing.T) {
		page.login("adminA")
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/schools/"+itoa(f.schoolA)+"/details")); err != nil {
			t.Fatal(err)
		}
		page.look(t, "11-school-details", "#details-form")
	})
}
