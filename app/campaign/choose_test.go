package campaign

import (
	"errors"
	"testing"
	"time"

	"jiashu/problem"
	"jiashu/store"
)

// newestFirst are a school's campaigns as store.SchoolCampaigns lists them.
var newestFirst = []store.Campaign{
	{ID: 5, Name: "期末专项", State: store.CampaignClosed, CreatedAt: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)},
	{ID: 4, Name: "寒假前", State: store.CampaignRunning, AckDeadline: "2026-11-01"},
	{ID: 3, Name: "开学季", State: store.CampaignRunning, Purged: true},
	{ID: 2, Name: "秋季", State: store.CampaignRunning, AckDeadline: "2026-12-31"},
	{ID: 1, Name: "春季", State: store.CampaignRunning},
}

func TestChooseTakesTheNewestRunningCampaign(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		list  []store.Campaign
		today string
		want  int64
	}{
		{"closed, past its deadline and purged ones are passed over", newestFirst, "2026-11-20", 2},
		{"a deadline not yet passed keeps a campaign running", newestFirst, "2026-10-31", 4},
		{"with none running, the newest", newestFirst[:3], "2026-11-20", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := Choose(tc.list, tc.today)
			if !ok || c.ID != tc.want {
				t.Errorf("Choose = %d (%v), want %d", c.ID, ok, tc.want)
			}
		})
	}
	if _, ok := Choose(nil, "2026-11-20"); ok {
		t.Error("a school in no campaign has one chosen")
	}
}

func TestShownPrefersTheAskedThenTheRememberedCampaign(t *testing.T) {
	t.Parallel()
	const today = "2026-11-20"
	for _, tc := range []struct {
		name             string
		want, remembered int64
		shown            int64
	}{
		{"the campaign asked for", 5, 1, 5},
		{"else the one the user last chose", 0, 1, 1},
		{"a remembered campaign no longer the school's is forgotten", 0, 99, 2},
		{"else the default", 0, 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ok, err := Shown(newestFirst, tc.want, tc.remembered, today)
			if err != nil || !ok || c.ID != tc.shown {
				t.Errorf("Shown = %d %v %v, want %d", c.ID, ok, err, tc.shown)
			}
		})
	}
	if _, _, err := Shown(newestFirst, 99, 0, today); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a campaign asked for that is not the school's: %v, want not found", err)
	}
}

func TestAPurgedOrClosedCampaignMakesNoMoreLettersOrTexts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		c      store.Campaign
		reason string
	}{
		{store.Campaign{State: store.CampaignRunning, Purged: true}, "campaign_purged"},
		{store.Campaign{State: store.CampaignClosed}, "campaign_closed"},
		{store.Campaign{State: store.CampaignRunning, AckDeadline: "2020-01-01"}, ""}, // late families may still be chased
	} {
		err := CheckOpen(tc.c)
		if p := problem.As(err); (p == nil) != (tc.reason == "") || p != nil && (p.Code != problem.Conflict || p.Reason != tc.reason || p.Message == "") {
			t.Errorf("%+v: %v, want %q", tc.c, err, tc.reason)
		}
	}
}
