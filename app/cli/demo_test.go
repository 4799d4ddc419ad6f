package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jiashu/app/internal/browsertest"
	"jiashu/grade"
	"jiashu/store"
)

// demoCounts are what a newcomer sees in the demo district.
type demoCounts struct {
	schools, classes, students, users, campaigns, letters, acked int
	groups                                                       map[grade.AgeGroup]bool
	channels                                                     map[string]int
}

func countDemo(t *testing.T, st *store.Store) demoCounts {
	t.Helper()
	ctx := context.Background()
	d := demoCounts{groups: map[grade.AgeGroup]bool{}, channels: map[string]int{}}
	schools, _ := st.Schools(ctx)
	d.schools = len(schools)
	users, _ := st.Users(ctx)
	d.users = len(users)
	camps, _ := st.Campaigns(ctx)
	d.campaigns = len(camps)
	for _, sc := range schools {
		classes, _ := st.Classes(ctx, sc.ID)
		d.classes += len(classes)
		for _, cl := range classes {
			d.students += cl.ActiveStudents
			d.groups[grade.DefaultMapping().Of(cl.Grade)] = true
			for _, cp := range camps {
				ls, _ := st.CampaignLetters(ctx, cp.ID, cl.ID)
				d.letters += len(ls)
				for _, l := range ls {
					if l.AcknowledgedAt != nil {
						d.acked++
						d.channels[l.AckChannel]++
					}
				}
			}
		}
	}
	return d
}

func TestDemo(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.Demo = true
	dsn := demoDSN(cfg)
	if filepath.Dir(dsn) != cfg.DataDir || filepath.Base(dsn) == "jiashu.db" {
		t.Fatalf("the demo database %s is not its own file in the data folder", dsn)
	}
	ctx := context.Background()
	var first demoCounts
	for run := 1; run <= 2; run++ {
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := seedDemo(ctx, st, cfg, &out); err != nil {
			t.Fatal(err)
		}
		if vs, _ := st.ContentVersions(ctx); len(vs) != 2 || vs[0].State != store.ContentInReview || vs[0].AuthorName != demoCenter {
			t.Errorf("the demo's content: %+v", vs)
		}
		if !strings.Contains(out.String(), demoReviewer) {
			t.Errorf("the reviewer account is not printed: %s", out.String())
		}
		got := countDemo(t, st)
		if run == 1 {
			first = got
			t.Run("the demo district has two schools, every age group, a campaign with letters and acknowledgements", func(t *testing.T) {
				if got.schools != 2 || got.campaigns != 1 || got.users != 6 {
					t.Errorf("schools %d, campaigns %d, users %d", got.schools, got.campaigns, got.users)
				}
				if len(got.groups) != 4 {
					t.Errorf("age groups %v", got.groups)
				}
				if got.students < 600 || got.letters != got.students {
					t.Errorf("%d students, %d letters", got.students, got.letters)
				}
				if got.acked < got.letters/4 || got.acked > got.letters*9/10 || len(got.channels) != 4 {
					t.Errorf("%d of %d acknowledged, channels %v", got.acked, got.letters, got.channels)
				}
				for _, ds := range demoSchools() {
					u, _ := st.UserByUsername(context.Background(), ds.teacher)
					if cls, _ := st.TeacherClasses(context.Background(), u.ID); len(cls) != 1 {
						t.Errorf("%s teaches %d classes", ds.teacher, len(cls))
					}
				}
				if !strings.Contains(out.String(), demoPassword) || !strings.Contains(out.String(), "east-admin") {
					t.Errorf("the accounts are not printed: %s", out.String())
				}
			})
		} else {
			t.Run("starting the demo again adds nothing", func(t *testing.T) {
				if got.schools != first.schools || got.students != first.students || got.users != first.users ||
					got.campaigns != first.campaigns || got.letters != first.letters || got.acked != first.acked {
					t.Errorf("second start: %+v, first: %+v", got, first)
				}
			})
			t.Run("the printed accounts sign in", func(t *testing.T) {
				srv := serveTest(t, cfg, st)
				for _, u := range []string{demoCenter, "east-admin", "west-teacher"} {
					if c, _ := signIn(t, srv.URL, u, demoPassword); c != 303 {
						t.Errorf("%s: %d", u, c)
					}
				}
				c, client := signIn(t, srv.URL, demoCenter, demoPassword)
				res, err := client.Get(srv.URL + "/overview")
				if c != 303 || err != nil {
					t.Fatal(c, err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 || !strings.Contains(string(body), "城东实验学校") || !strings.Contains(string(body), demoCampaignName) {
					t.Errorf("overview %d", res.StatusCode)
				}
			})
			t.Run("the demo's overview in Chromium, for the eye", func(t *testing.T) {
				if testing.Short() {
					t.Skip("short")
				}
				ctx := browsertest.Chromium(t, 90*time.Second, chromedp.WindowSize(1280, 900))
				srv := serveTest(t, cfg, st)
				shots := browsertest.Artifacts(t, "admin")
				save := func(name string) chromedp.Action[chromedp.Void] {
					return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
						png, err := chromedp.FullScreenshot(100)(ctx, tg)
						if err != nil {
							return chromedp.Void{}, err
						}
						return chromedp.Void{}, os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
					}
				}
				err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")),
					chromedp.SendKeys(chromedp.CSS("#username"), demoCenter), chromedp.SendKeys(chromedp.CSS("#password"), demoPassword))
				if err == nil {
					_, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("form.form button[type=submit]")))
				}
				if err == nil {
					err = chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/overview"), chromedp.WaitVisible(chromedp.CSS("#reach")), save("demo-overview"),
						chromedp.Click(chromedp.CSS("#reach tbody a")), chromedp.WaitVisible(chromedp.CSS("#reach")), save("demo-overview-school"))
				}
				if err != nil {
					t.Fatal(err)
				}
				rows, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#reach tbody")))
				if err != nil || strings.Count(rows, "班") < demoClasses {
					t.Fatalf("class rows %q %v", rows, err)
				}
			})
		}
		st.Close()
	}
}
