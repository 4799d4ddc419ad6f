package main

import (
	"bytes"
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

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
		got := countDemo(t, st)
		if run == 1 {
			first = got
			t.Run("the demo district has two schools, every age group, a campaign with letters and acknowledgements", func(t *testing.T) {
				if got.schools != 2 || got.campaigns != 1 || got.users != 5 {
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
				srv := (&webFixture{cfg: cfg}).serve(t, st)
				for _, u := range []string{demoCenter, "east-admin", "west-teacher"} {
					b := newBrowser(t, srv.URL)
					if r := b.post("/login", url.Values{"username": {u}, "password": {demoPassword}}); r.Status != 303 {
						t.Errorf("%s: %d", u, r.Status)
					}
				}
				b := newBrowser(t, srv.URL)
				b.post("/login", url.Values{"username": {demoCenter}, "password": {demoPassword}})
				if p := b.get("/overview"); p.Status != 200 || !strings.Contains(p.Body, "城东实验学校") || !strings.Contains(p.Body, demoCampaignName) {
					t.Errorf("overview %d", p.Status)
				}
			})
		}
		st.Close()
	}
}
