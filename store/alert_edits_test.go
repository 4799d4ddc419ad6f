package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestAlertsAreEditedAndWithdrawnAndThePagesKnowAtOnce(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		center, _ := s.CreateUser(ctx, User{Username: "center", Role: RoleDistrictAdmin})
		sc := mustSchool(t, s, "撤回小学")
		cl, err := s.EnsureClass(ctx, sc.ID, 3, 1, "三年级1班")
		if err != nil {
			t.Fatal(err)
		}
		one, _ := s.CreateCampaign(ctx, Campaign{Name: "冬季", SchoolIDs: []int64{sc.ID}})
		two, _ := s.CreateCampaign(ctx, Campaign{Name: "春季", SchoolIDs: []int64{sc.ID}})
		var sid int64
		if err := s.db.QueryRowContext(ctx, s.Rebind(`INSERT INTO students (school_id, class_id, number, name, updated_at) VALUES (?, ?, 'S1', '学生', ?) RETURNING id`),
			sc.ID, cl.ID, s.Now()).Scan(&sid); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.ExecContext(ctx, s.Rebind(`INSERT INTO letters (campaign_id, student_id, token, status, produced_at) VALUES (?, ?, 'WDRW00000001', 'delivered', ?)`),
			one.ID, sid, s.Now()); err != nil {
			t.Fatal(err)
		}
		version := func() int64 {
			t.Helper()
			p, err := s.ParentLetterByToken(ctx, "WDRW00000001")
			if err != nil {
				t.Fatal(err)
			}
			return p.AlertsVersion
		}
		v0 := version()
		a, err := s.CreateAlert(ctx, Alert{ContentVersionID: 1, MethodID: "m", Title: "新手法", Body: "手法\n防范", CreatedBy: center.ID,
			Campaigns: []AlertCampaign{{ID: one.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		v1 := version()
		if v1 == v0 {
			t.Error("a new alert leaves the campaign's alerts version as it was")
		}
		if n, err := s.CampaignFamilies(ctx, []int64{one.ID, two.ID}); err != nil || n != 1 {
			t.Errorf("families %d %v", n, err)
		}
		edited, err := s.UpdateAlert(ctx, Alert{ID: a.ID, Title: "新手法（更正）", Body: "改过的手法\n防范", Campaigns: []AlertCampaign{{ID: one.ID}, {ID: two.ID}}}, center.ID)
		if err != nil {
			t.Fatal(err)
		}
		if edited.Title != "新手法（更正）" || len(edited.Campaigns) != 2 || edited.UpdatedAt.IsZero() || version() == v1 {
			t.Errorf("edited %+v", edited)
		}
		if list, _ := s.CampaignAlerts(ctx, two.ID); len(list) != 1 || list[0].Body != "改过的手法\n防范" {
			t.Errorf("the added campaign's alerts %+v", list)
		}
		v2 := version()
		if _, err := s.WithdrawAlert(ctx, a.ID, center.ID); err != nil {
			t.Fatal(err)
		}
		if version() == v2 {
			t.Error("a withdrawal leaves the alerts version as it was")
		}
		for _, c := range []int64{one.ID, two.ID} {
			if list, _ := s.CampaignAlerts(ctx, c); len(list) != 0 {
				t.Errorf("campaign %d still shows the withdrawn alert", c)
			}
		}
		if all, _ := s.Alerts(ctx); len(all) != 1 || !all[0].Withdrawn() || all[0].WithdrawnBy != center.ID {
			t.Errorf("the withdrawn alert is not listed as such: %+v", all)
		}
		if _, err := s.WithdrawAlert(ctx, a.ID, center.ID); !errors.Is(err, ErrAlertWithdrawn) {
			t.Errorf("withdrawn twice: %v", err)
		}
		if _, err := s.UpdateAlert(ctx, Alert{ID: a.ID, Title: "x", Body: "y", Campaigns: []AlertCampaign{{ID: one.ID}}}, center.ID); !errors.Is(err, ErrAlertWithdrawn) {
			t.Errorf("a withdrawn alert edited: %v", err)
		}
		var actions string
		rows, _ := s.db.QueryContext(ctx, `SELECT action FROM audit_log WHERE action LIKE 'alert_%' ORDER BY id`)
		for rows.Next() {
			var act string
			rows.Scan(&act)
			actions += act + " "
		}
		rows.Close()
		if actions != "alert_created alert_edited alert_withdrawn " {
			t.Errorf("audit: %q", actions)
		}
	})
}

func TestCampaignMemoryAndProgress(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		u, _ := s.CreateUser(ctx, User{Username: "t1", Role: RoleTeacher})
		sc := mustSchool(t, s, "记忆小学")
		cl, _ := s.EnsureClass(ctx, sc.ID, 3, 1, "三年级1班")
		other, _ := s.EnsureClass(ctx, sc.ID, 4, 1, "四年级1班")
		one, _ := s.CreateCampaign(ctx, Campaign{Name: "一", SchoolIDs: []int64{sc.ID}})
		two, _ := s.CreateCampaign(ctx, Campaign{Name: "二", SchoolIDs: []int64{sc.ID}})
		if _, err := s.CreateCampaign(ctx, Campaign{Name: "草稿", State: CampaignDraft, SchoolIDs: []int64{sc.ID}}); err != nil {
			t.Fatal(err)
		}
		if one.StartedAt.IsZero() {
			t.Error("a running campaign has no start")
		}
		for i, class := range []int64{cl.ID, cl.ID, other.ID} {
			var sid int64
			if err := s.db.QueryRowContext(ctx, s.Rebind(`INSERT INTO students (school_id, class_id, number, name, updated_at) VALUES (?, ?, ?, '学生', ?) RETURNING id`),
				sc.ID, class, fmt.Sprintf("N%d", i), s.Now()).Scan(&sid); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				if _, err := s.db.ExecContext(ctx, s.Rebind(`INSERT INTO letters (campaign_id, student_id, token, status, produced_at) VALUES (?, ?, 'MEMO00000001', 'produced', ?)`),
					one.ID, sid, s.Now()); err != nil {
					t.Fatal(err)
				}
			}
		}
		p, err := s.ClassCampaignProgress(ctx, cl.ID)
		if err != nil || len(p) != 2 || p[one.ID].Students != 2 || p[one.ID].Letters != 1 || p[one.ID].Undelivered != 1 || p[two.ID].Letters != 0 {
			t.Fatalf("class progress %+v %v", p, err)
		}
		if held := p.Holding([]int64{one.ID, two.ID}); len(held) != 1 || held[0] != one.ID {
			t.Errorf("holding %v", held)
		}
		sp, err := s.SchoolCampaignProgress(ctx, sc.ID, []int64{one.ID, two.ID})
		if err != nil || sp[one.ID].Students != 3 || sp[one.ID].Letters != 1 {
			t.Errorf("school progress %+v %v", sp, err)
		}
		if with, err := s.CampaignsWithLetters(ctx, []int64{one.ID, two.ID}); err != nil || len(with) != 1 || with[0] != one.ID {
			t.Errorf("with letters %v %v", with, err)
		}
		m, err := s.RememberedCampaigns(ctx, u.ID, sc.ID)
		if err != nil || m.Last != 0 || len(m.Seen) != 0 {
			t.Fatalf("a new user remembers %+v %v", m, err)
		}
		for _, id := range []int64{one.ID, two.ID} {
			if err := s.RememberCampaign(ctx, u.ID, sc.ID, id); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.DismissCampaign(ctx, u.ID, one.ID); err != nil {
			t.Fatal(err)
		}
		if m, _ = s.RememberedCampaigns(ctx, u.ID, sc.ID); m.Last != two.ID || !m.Seen[one.ID] || !m.Seen[two.ID] {
			t.Errorf("memory %+v", m)
		}
		if m, _ = s.RememberedCampaigns(ctx, u.ID, 0); m.Last != 0 {
			t.Errorf("the district scope remembers the school's: %+v", m)
		}
		closed, _ := s.SetCampaignState(ctx, two.ID, CampaignClosed)
		again, _ := s.SetCampaignState(ctx, two.ID, CampaignRunning)
		if !again.StartedAt.After(closed.StartedAt) && !again.StartedAt.Equal(closed.StartedAt) {
			t.Errorf("reopening does not restart: %v → %v", closed.StartedAt, again.StartedAt)
		}
	})
}
