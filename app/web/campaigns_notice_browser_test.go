package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jiashu/app/internal/browsertest"
)

// pageWithoutCampaigns is the text of the page's main part without what
// lists the campaigns themselves — the tabs, the notices, the school year's
// comparison of its campaigns, the school's choice of which campaign's
// letters to generate (its default is checked apart): what a new campaign
// must leave as it was.
const pageWithoutCampaigns = `(() => { const m = document.querySelector('main').cloneNode(true);
	m.querySelectorAll('#campaign-pick, .campaign-notice, #year, form[action$="/letters"] > :is(label[for=campaign], select, span.muted)')
		.forEach(e => e.remove());
	return m.innerText.replace(/\s+/g, ' '); })()`

// TestASecondCampaignLeavesThePagesAsTheyWereInChromium (issue 22): a
// teacher and a school administrator have their pages open on the first
// campaign; the center starts a second one for the school; every page they
// reload reads as before — 我的班级's line of the first campaign, the class
// page, 回执登记, the school page, the school's overview — with the notice
// "新的宣传活动已开始" and the new campaign as a tab, never in place of the
// first. At 1280×900 and 390×844, axe with WCAG 2.2 AA, on both databases.
func TestASecondCampaignLeavesThePagesAsTheyWereInChromium(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			ctx := browsertest.WithAxe(t, newChromium(t, 5*time.Minute, chromedp.WindowSize(1280, 900)))
			f := newWebFixture(t, dsn)
			first, _ := seedLetters(t, f)
			p := browserPage{t: t, ctx: ctx, base: f.srv.URL, shots: artifacts(t, "second-campaign-"+name)}
			class := fmt.Sprintf("/classes/%d", f.classA1)
			pages := map[string][]string{
				"ta":     {"/classes", class, class + "/slips"},
				"adminA": {fmt.Sprintf("/schools/%d", f.schoolA), fmt.Sprintf("/overview/schools/%d", f.schoolA)},
			}
			line := fmt.Sprintf(`document.querySelector('.todo-line[data-campaign="%d"]').innerText`, first)
			before := map[string]string{}
			read := func(path string) string {
				t.Helper()
				if path == "/classes" {
					s, err := chromedp.Run(ctx, chromedp.Evaluate[string](line))
					if err != nil {
						t.Fatalf("我的班级 has no line of the first campaign: %v", err)
					}
					return s
				}
				s, err := chromedp.Run(ctx, chromedp.Evaluate[string](pageWithoutCampaigns))
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			for _, user := range []string{"ta", "adminA"} {
				signOut(t, p)
				p.login(user)
				for j, path := range pages[user] {
					got := lookAt(t, p, path, fmt.Sprintf("1-%s-%d-before", user, j))
					if !strings.Contains(got, "2026秋季防诈") {
						t.Errorf("%s before: the page does not name the first campaign", path)
					}
					before[path] = read(path)
				}
			}

			district := newBrowser(t, f.srv.URL)
			district.login("district")
			r := district.post("/campaigns", url.Values{"name": {"寒假前提醒"}, "school": {itoa(f.schoolA)}, "state": {"running"}})
			if r.Status != 303 {
				t.Fatalf("the center starts a second campaign: %d %.300s", r.Status, r.Body)
			}

			for _, user := range []string{"adminA", "ta"} {
				signOut(t, p)
				p.login(user)
				for j, path := range pages[user] {
					got := lookAt(t, p, path, fmt.Sprintf("2-%s-%d-after", user, j))
					if after := read(path); after != before[path] {
						t.Errorf("%s changed when the second campaign started:\nbefore %q\nafter  %q", path, before[path], after)
					}
					if !strings.Contains(got, "新的宣传活动已开始：寒假前提醒。") {
						t.Errorf("%s: no notice of the new campaign: %.500q", path, got)
					}
					if path != "/classes" && !strings.Contains(got, "宣传活动： 2026秋季防诈") {
						t.Errorf("%s: the page switched campaign", path)
					}
					if path == fmt.Sprintf("/schools/%d", f.schoolA) {
						picked, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('select#campaign').value`))
						if err != nil || picked != itoa(first) {
							t.Errorf("全校家书 offers campaign %q first, not the page's %d (%v)", picked, first, err)
						}
					}
				}
			}
			t.Run("the notice leads to the new campaign, as a tab beside the first", func(t *testing.T) {
				err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+class), chromedp.WaitVisible(chromedp.CSS("main")))
				has := false
				if err == nil {
					has, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('.campaign-notice a.btn') !== null`))
				}
				if err != nil || !has {
					t.Fatalf("the class page has no notice to follow (%v)", err)
				}
				click(t, p, ".campaign-notice a.btn")
				got := p.text("main")
				if !strings.Contains(got, "宣传活动： 寒假前提醒") || !strings.Contains(got, "2026秋季防诈") || strings.Contains(got, "新的宣传活动已开始") {
					t.Errorf("after following the notice: %.500q", got)
				}
				lookAt(t, p, fmt.Sprintf("%s/slips?campaign=%d", class, first), "3-ta-back-to-first")
			})
		})
	}
}
