package web

import (
	"context"
	"io"
	"jiashu/app/internal/browsertest"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// newChromium starts a headless Chromium for a test (browsertest.Chromium).
func newChromium(t *testing.T, timeout time.Duration, opts ...chromedp.ExecAllocatorOption) context.Context {
	return browsertest.Chromium(t, timeout, opts...)
}

// staffChromium is a desktop-sized browser for the staff pages.
func staffChromium(t *testing.T) context.Context {
	t.Helper()
	return newChromium(t, 90*time.Second, chromedp.WindowSize(1280, 900))
}

// needPoppler skips t, with one line, when poppler's pdftotext is missing.
// Call it with the t of the test (or subtest) that reads the PDF — never a
// parent's from inside a subtest.
func needPoppler(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
}

// artifacts is the folder for a test's screenshots and downloads
// (browsertest.Artifacts).
func artifacts(t *testing.T, sub string) string { return browsertest.Artifacts(t, sub) }

// browserPage bundles what the browser tests do on the staff pages.
type browserPage struct {
	t     *testing.T
	ctx   context.Context
	base  string // the server's URL
	shots string // folder of the screenshots
}

// fullShot saves a screenshot of the whole page as name.png.
func (p browserPage) fullShot(name string) chromedp.Action[chromedp.Void] {
	return p.saveShot(name, chromedp.FullScreenshot(100))
}

// viewShot saves only what the screen shows, as a person sees it on a phone.
func (p browserPage) viewShot(name string) chromedp.Action[chromedp.Void] {
	return p.saveShot(name, chromedp.CaptureScreenshot())
}

func (p browserPage) saveShot(name string, capture chromedp.Action[[]byte]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		png, err := capture(ctx, tg)
		if err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.Void{}, os.WriteFile(filepath.Join(p.shots, name+".png"), png, 0o644)
	}
}

// text is the visible text of the first element matching sel.
func (p browserPage) text(sel string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// login signs user in through the login form; before, if set, runs on the
// filled-in form before it is sent (a screenshot, say).
func (p browserPage) login(user string, before ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	err := chromedp.Do(p.ctx,
		chromedp.Navigate(p.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), user),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
	)
	if err == nil && len(before) > 0 {
		err = chromedp.Do(p.ctx, before...)
	}
	if err == nil {
		_, err = chromedp.RunResponse(p.ctx, chromedp.Click(chromedp.CSS("form.form button[type=submit]")))
	}
	if err != nil {
		p.t.Fatalf("login %s: %v", user, err)
	}
}

// download fetches href with the browser's cookies (Chromium headless does
// not hand downloads to the test) and keeps the body as name in the shots
// folder.
func (p browserPage) download(href, name string) (*http.Response, []byte) {
	p.t.Helper()
	cookies, err := chromedp.Call(p.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{p.base}})
	if err != nil {
		p.t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, p.base+href, nil)
	for _, c := range cookies.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p.shots, name), data, 0o644); err != nil {
		p.t.Fatal(err)
	}
	return res, data
}

// clickDownload clicks sel, which downloads a file (a form whose POST
// answers an attachment, as 生成家书 does), waits until Chromium has saved
// it and returns its bytes, kept as name in the shots folder.
func (p browserPage) clickDownload(sel, name string) []byte {
	p.t.Helper()
	dir := p.t.TempDir()
	done := make(chan string, 1)
	// The events come to the session that asked for them (the page's);
	// the browser's own is listened to as well.
	saved := func(ev any) {
		if e, ok := ev.(*cdpbrowser.EventDownloadProgress); ok && e.State == cdpbrowser.DownloadProgressStateCompleted {
			select {
			case done <- e.GUID:
			default:
			}
		}
	}
	for _, listen := range []func(context.Context, func(any)) error{chromedp.Listen, chromedp.ListenBrowser} {
		if err := listen(p.ctx, saved); err != nil {
			p.t.Fatal(err)
		}
	}
	events := true
	if _, err := chromedp.Call(p.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &events}); err != nil {
		p.t.Fatal(err)
	}
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		p.t.Fatal(err)
	}
	var guid string
	select {
	case guid = <-done:
	case <-p.ctx.Done():
		p.t.Fatalf("no download after clicking %s", sel)
	}
	data, err := os.ReadFile(filepath.Join(dir, guid))
	if err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p.shots, name), data, 0o644); err != nil {
		p.t.Fatal(err)
	}
	return data
}

// look waits for sel on the open page, shoots it whole at 1280×900 and at
// 390×844 (name-1280.png, name-390.png) and checks it with axe.
func (p browserPage) look(t *testing.T, name, sel string) {
	t.Helper()
	err := chromedp.Do(p.ctx, chromedp.WaitVisible(chromedp.CSS(sel)), p.fullShot(name+"-1280"),
		chromedp.EmulateViewport(390, 844), p.fullShot(name+"-390"), chromedp.EmulateViewport(1280, 900))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	browsertest.Axe(t, p.ctx, name)
}
