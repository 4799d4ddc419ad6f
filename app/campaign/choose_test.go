package campaign

import (
	"errors"
	"slices"
	"strings"
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

func TestChooseKeepsThePageOnTheCampaignItWasAbout(t *testing.T) {
	t.Parallel()
	const today = "2026-11-20"
	for _, tc := range []struct {
		name    string
		list    []store.Campaign
		ask     Ask
		want    int64
		several []int64
	}{
		{"the campaign the request names", newestFirst, Ask{Want: 5, Remembered: 1, Holding: []int64{2}}, 5, nil},
		{"else the one the user last worked in", newestFirst, Ask{Remembered: 1, Holding: []int64{2}}, 1, nil},
		{"a remembered campaign that has ended is not kept", newestFirst, Ask{Remembered: 5, Holding: []int64{1}}, 1, nil},
		{"a remembered campaign no longer the school's is forgotten", newestFirst, Ask{Remembered: 99}, 2, nil},
		{"else the running campaign whose letters the class holds, though a newer one runs", newestFirst, Ask{Holding: []int64{1}}, 1, nil},
		{"letters of a closed or purged campaign decide nothing", newestFirst, Ask{Holding: []int64{5, 3}}, 2, nil},
		{"of several held, the first started, and all of them listed", newestFirst, Ask{Holding: []int64{1, 2}}, 1, []int64{2, 1}},
		{"holding none: the newest running; closed, past their deadline and purged ones passed over", newestFirst, Ask{}, 2, nil},
		{"a deadline not yet passed keeps a campaign running", newestFirst[1:], Ask{}, 4, nil},
		{"with none running, the newest", newestFirst[:3], Ask{}, 5, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			today := today
			if tc.name == "a deadline not yet passed keeps a campaign running" {
				today = "2026-10-31"
			}
			ch, err := Choose(tc.list, tc.ask, today)
			if err != nil || !ch.OK || ch.Campaign.ID != tc.want {
				t.Fatalf("Choose = %d (%v, %v), want %d", ch.Campaign.ID, ch.OK, err, tc.want)
			}
			var got []int64
			for _, c := range ch.Several {
				got = append(got, c.ID)
			}
			if !slices.Equal(got, tc.several) {
				t.Errorf("Several = %v, want %v", got, tc.several)
			}
			if (ch.Refusal("本班") != nil) != (tc.several != nil) {
				t.Errorf("Refusal = %v with %d held", ch.Refusal("本班"), len(tc.several))
			}
		})
	}
	if ch, err := Choose(nil, Ask{}, today); ch.OK || err != nil {
		t.Error("a school in no campaign has one chosen")
	}
	if _, err := Choose(newestFirst, Ask{Want: 99}, today); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a campaign asked for that is not the school's: %v, want not found", err)
	}
}

func TestTheAPIIsAskedToNameOneOfSeveralCampaigns(t *testing.T) {
	t.Parallel()
	ch, _ := Choose(newestFirst, Ask{Holding: []int64{1, 2}}, "2026-11-20")
	p := problem.As(ch.Refusal("三年级2班"))
	if p == nil || p.Code != problem.Conflict || p.ReasonCode() != "campaign_required" || len(p.Choices) != 2 {
		t.Fatalf("refusal %+v", p)
	}
	if !strings.Contains(p.Message, "秋季（2）") || !strings.Contains(p.Message, "春季（1）") || !strings.HasPrefix(p.Message, "三年级2班") {
		t.Errorf("message %q does not name the class and both campaigns", p.Message)
	}
}

func TestANoticeNamesOnlyCampaignsStartedSinceTheUserCameAndNotSeen(t *testing.T) {
	t.Parallel()
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	list := []store.Campaign{
		{ID: 4, Name: "新活动", State: store.CampaignRunning, StartedAt: day(15)},
		{ID: 3, Name: "已看过", State: store.CampaignRunning, StartedAt: day(14)},
		{ID: 2, Name: "已结束", State: store.CampaignClosed, StartedAt: day(13)},
		{ID: 1, Name: "本页", State: store.CampaignRunning, StartedAt: day(12)},
		{ID: 0, Name: "早于账号", State: store.CampaignRunning, StartedAt: day(1)},
	}
	got := Notices(list, list[3], map[int64]bool{3: true}, day(10), "2026-11-20")
	if len(got) != 1 || got[0].ID != 4 {
		t.Errorf("notices %v, want only the new campaign", got)
	}
	if got := Notices(list, list[0], nil, day(10), "2026-11-20"); len(got) != 0 {
		t.Errorf("a page on the newest campaign announces older ones: %v", got)
	}
	if r := Running(list, "2026-11-20"); len(r) != 4 || r[0].ID != 0 || r[3].ID != 4 {
		t.Errorf("running, first started first: %v", r)
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
