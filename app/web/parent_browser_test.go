package web

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"jiashu/letters"
	"jiashu/store"
)

// parentChromium is a phone in WeChat's in-app browser, which identifies
// itself with this user agent.
func parentChromium(t *testing.T) context.Context {
	t.Helper()
	return newChromium(t, 60*time.Second, chromedp.UserAgent("Mozilla/5.0 (Linux; Android 13; V2183A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0 Mobile Safari/537.36 MicroMessenger/8.0.47"))
}

// TestParentFlowInChromium walks a parent through the whole flow on a
// phone-sized screen with JavaScript switched off: open the SMS link, read,
// acknowledge as grandparent, answer the quiz, see the thanks page.
func TestParentFlowInChromium(t *testing.T) {
	t.Parallel()
	ctx := parentChromium(t)
	f := newParentFixture(t, "")
	ts := httptest.NewServer(f.h)
	defer ts.Close()
	dir := artifacts(t, "parent")
	tok := f.tokens[0]

	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	step := func(what string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, a); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	shot := func(what string) []byte {
		t.Helper()
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", what, err)
		}
		return b
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	step("type the code from the slip", chromedp.Steps(chromedp.Navigate(ts.URL+"/a"), chromedp.WaitVisible(css(`#code`)),
		chromedp.SendKeys(css(`#code`), strings.ToLower(store.FormatToken(f.tokens[1]))), chromedp.Click(css(`form button`)),
		chromedp.WaitVisible(css(`header.who`))))
	if h := text(`header.who`); !strings.Contains(h, "李*") {
		t.Fatalf("typed code opened %q", h)
	}
	step("back to the code form", chromedp.Steps(chromedp.Navigate(ts.URL+"/a"), chromedp.WaitVisible(css(`#code`))))
	codeScreen := shot("code")
	step("open the SMS link", chromedp.Steps(chromedp.Navigate(ts.URL+"/a/"+strings.ToLower(tok)+"?c=s"), chromedp.WaitVisible(css(`header.who`))))
	header := text(`header.who`)
	letterShot := shot("letter")
	formShot, err := chromedp.Run(ctx, chromedp.Screenshot(css(`#ack`)))
	if err != nil {
		t.Fatal(err)
	}
	firstScreen, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	step("acknowledge as grandparent", chromedp.Steps(
		chromedp.Click(css(`input[value="祖父母"]`)), chromedp.Click(css(`#ack button`)), chromedp.WaitVisible(css(`input[name="q2"]`))))
	key := quizKey(t, letters.PrimaryLower)
	step("answer the quiz", chromedp.Steps(
		chromedp.Click(css(`input[name="q0"][value="`+key[0:1]+`"]`)), chromedp.Click(css(`input[name="q1"][value="`+key[1:2]+`"]`)),
		chromedp.Click(css(`input[name="q2"][value="`+key[2:3]+`"]`))))
	quizShot := shot("quiz")
	step("submit the quiz", chromedp.Steps(chromedp.Click(css(`form button`)), chromedp.WaitVisible(css(`.help`))))
	thanks := text(`main`)
	thanksShot := shot("thanks")
	for name, shot := range map[string][]byte{"parent-code.png": codeScreen, "parent-letter.png": letterShot, "parent-ack-form.png": formShot, "parent-letter-first-screen.png": firstScreen, "parent-quiz.png": quizShot, "parent-thanks.png": thanksShot} {
		if err := os.WriteFile(filepath.Join(dir, name), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(header, "王*明") || !strings.Contains(header, "阳光实验小学") {
		t.Errorf("header %q", header)
	}
	for _, want := range []string{"谢谢您", "3 / 3", "96110", "国家反诈中心"} {
		if !strings.Contains(thanks, want) {
			t.Errorf("thanks page lacks %q", want)
		}
	}
	l, err := f.st.ParentLetterByToken(context.Background(), tok)
	if err != nil || !l.Acknowledged() || l.AckRelation != "祖父母" || l.AckChannel != "sms" || l.QuizScore != 3 {
		t.Fatalf("record %+v %v", l, err)
	}
}

// TestPaperSlipsInChromium: the teacher ticks a returned slip on a phone,
// saves once, and sees it recorded.
func TestPaperSlipsInChromium(t *testing.T) {
	t.Parallel()
	ctx := parentChromium(t)
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	camp, _ := seedLetters(t, f)
	dir := artifacts(t, "parent")
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+"/login"),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), "ta"),
		chromedp.SendKeys(css("#password"), testPassword),
	)
	if err == nil {
		_, err = chromedp.RunResponse(ctx, chromedp.Click(css("form.form button[type=submit]")))
	}
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	slips := f.srv.URL + "/classes/" + strconv.FormatInt(f.classA1, 10) + "/slips"
	if err := chromedp.Do(ctx, chromedp.Navigate(slips), chromedp.WaitVisible(css(`input[name="returned"]`)),
		chromedp.Click(css(`input[name="returned"][value="`+strconv.FormatInt(f.studentA1, 10)+`"]`))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(css(`form[action$="/slips"] button[type=submit]`))); err != nil {
		t.Fatal(err)
	}
	notice, err := chromedp.Run(ctx, chromedp.Text(css(`.alert-ok`)))
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "teacher-slips.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(notice, "新登记 1 份") {
		t.Errorf("notice %q", notice)
	}
	if row := slipOf(t, f, camp, f.classA1, f.studentA1); !row.Paper() {
		t.Fatalf("%+v", row)
	}
}
