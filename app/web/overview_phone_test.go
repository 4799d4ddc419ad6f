package web

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"jiashu/app/internal/browsertest"

	"jiashu/app/campaign"
	"jiashu/store"
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

// bigDistrict seeds a district of schools×12 classes of perClass students:
// an earlier campaign every family acknowledged, and the current one with
// letters for nine students in ten, a third of them acknowledged over ten
// days. It returns the current campaign and the first school.
func bigDistrict(t *testing.T, st *store.Store, schools, perClass int) (current, school int64) {
	t.Helper()
	ctx := context.Background()
	var all []int64
	var schoolIDs []int64
	for i := range schools {
		sc, _, err := st.EnsureSchool(ctx, fmt.Sprintf("第%d实验学校", i+1))
		if err != nil {
			t.Fatal(err)
		}
		schoolIDs = append(schoolIDs, sc.ID)
		var classes []store.Class
		for g := 1; g <= 12; g++ {
			cl, err := st.EnsureClass(ctx, sc.ID, g, 1, fmt.Sprintf("%d年级1班", g))
			if err != nil {
				t.Fatal(err)
			}
			classes = append(classes, cl)
		}
		err = st.Tx(ctx, func(tx *sql.Tx) error {
			for _, cl := range classes {
				g := cl.Grade
				for k := range perClass {
					var id int64
					if err := tx.QueryRowContext(ctx, st.Rebind(`INSERT INTO students (school_id, class_id, number, name, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`),
						sc.ID, cl.ID, fmt.Sprintf("%02d%02d", g, k), fmt.Sprintf("学生%d-%d", g, k), st.Now()).Scan(&id); err != nil {
						return err
					}
					all = append(all, id)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	earlier, err := st.CreateCampaign(ctx, store.Campaign{Name: "开学季防诈", SchoolIDs: schoolIDs})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.IssueLetters(ctx, earlier.ID, all); err != nil {
		t.Fatal(err)
	}
	cur, err := st.CreateCampaign(ctx, store.Campaign{Name: "寒假前防诈", QuizEnabled: true, SchoolIDs: schoolIDs})
	if err != nil {
		t.Fatal(err)
	}
	now, err := st.IssueLetters(ctx, cur.ID, all[:len(all)*9/10])
	if err != nil {
		t.Fatal(err)
	}
	day := func(i int) time.Time { return time.Date(2026, 11, 1+i%10, 19, 0, 0, 0, campaign.ChinaTime) }
	if _, err := st.DB().ExecContext(ctx, st.Rebind(`UPDATE letters SET status = 'acknowledged', acknowledged_at = ?, ack_channel = 'qr' WHERE campaign_id = ?`),
		day(0), earlier.ID); err != nil {
		t.Fatal(err)
	}
	for i, l := range now {
		if i%3 == 0 {
			if _, err := st.Acknowledge(ctx, store.Ack{LetterID: l.ID, Channel: store.ChannelQR, At: day(i)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return cur.ID, schoolIDs[0]
}

// TestOverviewsFitFourPhoneScreens: a district of 24 schools (288 classes):
// before the first tap, the district's and a school's overview are at most
// four screens tall on a phone (4 × 844 px at 390 px wide) — summaries
// first, long tables folded — while a desktop shows every table. Both sizes
// are saved as screenshots; a test of layout, not of time.
func TestOverviewsFitFourPhoneScreens(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			ctx := browsertest.WithAxe(t, newChromium(t, 4*time.Minute, chromedp.WindowSize(1280, 900)))
			f := newWebFixture(t, dsn)
			current, school := bigDistrict(t, f.st, 24, 2)
			p := browserPage{t: t, ctx: ctx, base: f.srv.URL, shots: artifacts(t, "overview-phone-"+name)}
			p.login("district")
			for _, page := range []struct{ path, name, table string }{
				{fmt.Sprintf("/overview?campaign=%d", current), "district", "#reach"},
				{fmt.Sprintf("/overview/schools/%d?campaign=%d", school, current), "school", "#reach"},
			} {
				lookAt(t, p, page.path, page.name)
				err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(p.base+page.path),
					chromedp.WaitVisible(chromedp.CSS("main")))
				if err != nil {
					t.Fatal(err)
				}
				height, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollHeight`))
				if height > 4*844 {
					t.Errorf("%s overview on a phone: %d px, more than four screens (%d px)", page.name, height, 4*844)
				}
				if shown, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('`+page.table+`').checkVisibility()`)); shown {
					t.Errorf("%s overview: the long table is not folded on a phone", page.name)
				}
				unfolded, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('details').forEach(d => d.open = true), document.documentElement.scrollHeight`))
				t.Logf("%s overview on a phone: %d px (every fold open: %d px)", page.name, height, unfolded)
				err = chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(p.base+page.path), chromedp.WaitVisible(chromedp.CSS(page.table)))
				if err != nil {
					t.Errorf("%s overview: the table is not shown on a desktop: %v", page.name, err)
				}
			}
		})
	}
}
