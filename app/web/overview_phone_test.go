package web

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestOverviewOnPhoneAndPaper reads the district overview as the center's
// staff do away from a desk: at phone width (390 px) the table rows become
// cards whose values line up in one column whatever the label's length
// (English labels are long), and nothing is cut off; printed, no table is
// clipped at the paper's edge.
func TestOverviewOnPhoneAndPaper(t *testing.T) {
	t.Parallel()
	f := newReachFixture(t, t.TempDir()+"/phone.db")
	p := browserPage{t: t, ctx: staffChromium(t), base: f.srv.URL, shots: artifacts(t, "overview")}
	p.login("district")
	// Per stacked table: the distinct left edges of the values (the text
	// after the label), and whether any table is wider than its box.
	const valueLefts = `Array.from(document.querySelectorAll('table.stack')).map(tb => {
		const xs = new Set();
		tb.querySelectorAll('td').forEach(td => {
			const r = document.createRange(); r.selectNodeContents(td);
			const rects = Array.from(r.getClientRects()).filter(q => q.width > 0);
			if (rects.length) xs.add(Math.round(Math.min(...rects.map(q => q.left))));
		});
		return tb.closest('section').id + ':' + Array.from(xs).sort().join(',');
	})`
	const clipped = `Array.from(document.querySelectorAll('.table-wrap')).filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.closest('section').id)`
	for _, lang := range []string{"zh-CN", "en"} {
		t.Run(lang+": values line up and nothing is cut off at 390 px", func(t *testing.T) {
			err := chromedp.Do(p.ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
				chromedp.Navigate(p.base+"/overview?lang="+lang+"&campaign="+itoa(f.campaign)),
				chromedp.WaitVisible(chromedp.CSS("#per-day svg")), p.fullShot("04-district-phone-"+lang))
			if err != nil {
				t.Fatal(err)
			}
			lefts, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](valueLefts))
			if err != nil || len(lefts) == 0 {
				t.Fatalf("no stacked tables: %v", err)
			}
			for _, l := range lefts {
				// Two columns of values (the compact overview, issue 11): each
				// column's values start at one place.
				if xs := strings.Split(l[strings.Index(l, ":")+1:], ","); len(xs) > 2 {
					t.Errorf("values of %s start at %d different places (x = %v): labels push them about", l[:strings.Index(l, ":")], len(xs), xs)
				}
			}
			if cut, _ := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](clipped)); len(cut) > 0 {
				t.Errorf("tables wider than the phone (cut off, scrolling sideways): %v", cut)
			}
		})
	}
	t.Run("printed, no table is cut off at the paper's edge", func(t *testing.T) {
		if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatal(err)
		}
		err := chromedp.Do(p.ctx, chromedp.EmulateViewport(794, 1123),
			chromedp.Navigate(p.base+"/overview?campaign="+itoa(f.campaign)),
			chromedp.WaitVisible(chromedp.CSS("#per-day svg")), p.fullShot("05-district-print"))
		if err != nil {
			t.Fatal(err)
		}
		if cut, _ := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](clipped)); len(cut) > 0 {
			t.Errorf("tables cut off on paper: %v", cut)
		}
	})
	t.Run("a printed campaign shows its figures, not an empty settings heading", func(t *testing.T) {
		err := chromedp.Do(p.ctx, chromedp.Navigate(p.base+"/campaigns/"+itoa(f.campaign)),
			chromedp.WaitVisible(chromedp.CSS("#letters")), p.fullShot("06-campaign-print"))
		if err != nil {
			t.Fatal(err)
		}
		if shown, _ := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector('#settings')).display !== 'none'`)); shown {
			t.Error("the settings card is printed: its form is hidden on paper, leaving a bare heading")
		}
	})
}
