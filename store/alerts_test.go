package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestAlertOpenedSince(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		center, _ := s.CreateUser(ctx, User{Username: "center", Role: RoleDistrictAdmin})
		sc := mustSchool(t, s, "提醒小学")
		cl, err := s.EnsureClass(ctx, sc.ID, 3, 1, "三年级1班")
		if err != nil {
			t.Fatal(err)
		}
		camp, err := s.CreateCampaign(ctx, Campaign{Name: "冬季", SchoolIDs: []int64{sc.ID}})
		if err != nil {
			t.Fatal(err)
		}
		var letters []int64
		for i := range 3 {
			var sid, lid int64
			if err := s.db.QueryRowContext(ctx, s.Rebind(`INSERT INTO students (school_id, class_id, number, name, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`),
				sc.ID, cl.ID, fmt.Sprintf("S%d", i), fmt.Sprintf("学生%d", i), s.Now()).Scan(&sid); err != nil {
				t.Fatal(err)
			}
			if err := s.db.QueryRowContext(ctx, s.Rebind(`INSERT INTO letters (campaign_id, student_id, token, status, produced_at) VALUES (?, ?, ?, 'delivered', ?) RETURNING id`),
				camp.ID, sid, fmt.Sprintf("ALRT0000000%d", i), s.Now()).Scan(&lid); err != nil {
				t.Fatal(err)
			}
			letters = append(letters, lid)
		}
		a, err := s.CreateAlert(ctx, Alert{ContentVersionID: 1, MethodID: "m", Title: "新手法", Body: "手法\n防范", CreatedBy: center.ID,
			Campaigns: []AlertCampaign{{ID: camp.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		// One family opened its page only before the alert, one after,
		// one never.
		if err := s.RecordOpens(ctx, []LetterOpen{
			{LetterID: letters[0], First: a.CreatedAt.Add(-2 * time.Hour), Last: a.CreatedAt.Add(-time.Hour)},
			{LetterID: letters[1], First: a.CreatedAt.Add(-time.Hour), Last: a.CreatedAt.Add(time.Minute)},
		}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Alert(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Campaigns) != 1 || got.Campaigns[0].Letters != 3 || got.Campaigns[0].Opened != 1 || got.Title != "新手法" {
			t.Fatalf("%+v", got)
		}
		if list, _ := s.CampaignAlerts(ctx, camp.ID); len(list) != 1 {
			t.Fatalf("campaign alerts %+v", list)
		}
		t.Run("only running campaigns, only approved versions", func(t *testing.T) {
			closed, _ := s.CreateCampaign(ctx, Campaign{Name: "已结束", SchoolIDs: []int64{sc.ID}})
			if _, err := s.SetCampaignState(ctx, closed.ID, CampaignClosed); err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateAlert(ctx, Alert{ContentVersionID: 1, MethodID: "m", Title: "x", Campaigns: []AlertCampaign{{ID: closed.ID}}}); !errors.Is(err, ErrAlertCampaign) {
				t.Errorf("closed campaign: %v", err)
			}
			draft, err := s.CreateContentDraft(ctx, center.ID, 1, "草稿", mustFiles(t, s))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateAlert(ctx, Alert{ContentVersionID: draft.ID, MethodID: "m", Title: "x", Campaigns: []AlertCampaign{{ID: camp.ID}}}); !errors.Is(err, ErrContentNotApproved) {
				t.Errorf("draft version: %v", err)
			}
			if list, _ := s.Alerts(ctx); len(list) != 1 {
				t.Errorf("%d alerts", len(list))
			}
		})
	})
}

func mustFiles(t *testing.T, s *Store) map[string]string {
	t.Helper()
	files, err := s.ContentFiles(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	return files
}
