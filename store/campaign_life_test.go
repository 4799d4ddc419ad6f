package store

import (
	"context"
	"errors"
	"testing"
)

func TestCampaignLife(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		sc := mustSchool(t, s, "实验小学")
		spring, err := s.CreateCampaign(ctx, Campaign{Name: "开学季", SchoolIDs: []int64{sc.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if spring.State != CampaignRunning || spring.Phase(s.Today()) != CampaignRunning {
			t.Fatalf("a campaign made without a state runs: %q", spring.State)
		}

		t.Run("a draft is not shown to the school and changes nothing", func(t *testing.T) {
			draft, err := s.CreateCampaign(ctx, Campaign{Name: "寒假前", State: CampaignDraft, SchoolIDs: []int64{sc.ID}})
			if err != nil {
				t.Fatal(err)
			}
			list, _ := s.SchoolCampaigns(ctx, sc.ID)
			if len(list) != 1 || list[0].ID != spring.ID {
				t.Fatalf("school sees %+v, want only the running campaign", list)
			}
			if _, err := s.SetCampaignState(ctx, draft.ID, CampaignClosed); !errors.Is(err, ErrCampaignState) {
				t.Fatalf("closing a draft: %v", err)
			}
			started, err := s.SetCampaignState(ctx, draft.ID, CampaignRunning)
			if err != nil || started.Phase(s.Today()) != CampaignRunning {
				t.Fatalf("start: %+v %v", started, err)
			}
			if list, _ := s.SchoolCampaigns(ctx, sc.ID); len(list) != 2 {
				t.Fatalf("two running campaigns side by side, got %d", len(list))
			}
			closed, err := s.SetCampaignState(ctx, draft.ID, CampaignClosed)
			if err != nil || closed.Phase(s.Today()) != CampaignClosed {
				t.Fatalf("close: %+v %v", closed, err)
			}
		})

		t.Run("a passed deadline closes a campaign", func(t *testing.T) {
			c := Campaign{AckDeadline: "2026-08-31", State: CampaignRunning}
			if got := c.Phase("2026-09-01"); got != CampaignClosed {
				t.Fatalf("phase %q", got)
			}
			if got := c.Phase("2026-08-31"); got != CampaignRunning {
				t.Fatalf("on the deadline day: %q", got)
			}
			c.Purged = true
			if got := c.Phase("2026-08-31"); got != CampaignPurged {
				t.Fatalf("purged: %q", got)
			}
		})
	})
}
