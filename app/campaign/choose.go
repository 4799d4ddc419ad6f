package campaign

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"jiashu/problem"
	"jiashu/store"
)

// Which campaign a page shows (issue 22: no page switches campaign on its
// own). A district runs several campaigns, sometimes at once for the same
// school; a page about one campaign must not jump to the newest one the
// day the center starts it, or a teacher ticks slips against letters never
// handed out. Choose is the one rule, asked by every page of a school or
// class, the center's overview, the API, the command line and the jobs.

// Ask is what a request knows when it picks a campaign.
type Ask struct {
	// Want is the campaign the request names (?campaign=, a form's field); 0
	// for none.
	Want int64
	// Remembered is the campaign the user last worked in for this school
	// (store.RememberedCampaigns); 0 for none, and always 0 for the API
	// and the command line.
	Remembered int64
	// Holding lists the campaigns whose letters the class (or school, or
	// district) holds: store.CampaignProgress.Holding.
	Holding []int64
}

// Choice is the campaign chosen.
type Choice struct {
	Campaign store.Campaign
	OK       bool // false when the school takes part in no campaign
	// Several lists the running campaigns whose letters are held, newest
	// first, when the request named none, the user remembered none and
	// there are more than one: a page shows the one first started
	// (Campaign) beside the others; the API asks which (Refusal).
	Several []store.Campaign
}

// Choose picks, among list (a school's campaigns newest first, drafts left
// out, as store.SchoolCampaigns lists them; or the district's), on day
// today:
//
//  1. the campaign the request names — one of list, or store.ErrNotFound;
//  2. else the one the user last worked in, while it is still running;
//  3. else the running campaign whose letters are held; of several, the
//     first started (Several lists them all);
//  4. else the newest running campaign (a class holding no letters yet
//     starts with the newest), else the newest one.
func Choose(list []store.Campaign, a Ask, today string) (Choice, error) {
	find := func(id int64) int {
		return slices.IndexFunc(list, func(c store.Campaign) bool { return c.ID == id })
	}
	running := func(c store.Campaign) bool { return c.Phase(today) == store.CampaignRunning }
	if a.Want != 0 {
		if i := find(a.Want); i >= 0 {
			return Choice{Campaign: list[i], OK: true}, nil
		}
		return Choice{}, store.ErrNotFound
	}
	if i := find(a.Remembered); a.Remembered != 0 && i >= 0 && running(list[i]) {
		return Choice{Campaign: list[i], OK: true}, nil
	}
	var held []store.Campaign
	for _, c := range list {
		if running(c) && slices.Contains(a.Holding, c.ID) {
			held = append(held, c)
		}
	}
	switch {
	case len(held) == 1:
		return Choice{Campaign: held[0], OK: true}, nil
	case len(held) > 1:
		return Choice{Campaign: held[len(held)-1], OK: true, Several: held}, nil
	}
	if i := slices.IndexFunc(list, running); i >= 0 {
		return Choice{Campaign: list[i], OK: true}, nil
	}
	if len(list) > 0 {
		return Choice{Campaign: list[0], OK: true}, nil
	}
	return Choice{}, nil
}

// Refusal is the API's answer to a choice it cannot make alone: the class
// (or school) holds letters of several running campaigns and the request
// named none — a problem.Conflict listing them (problem.Error.Choices), so
// the caller names one with ?campaign=. nil when the choice is clear.
func (ch Choice) Refusal(of string) error {
	if len(ch.Several) == 0 {
		return nil
	}
	var names []string
	p := &problem.Error{Code: problem.Conflict, Reason: "campaign_required", Key: "campaign.error.several"}
	for _, c := range ch.Several {
		p.Choices = append(p.Choices, problem.Choice{ID: c.ID, Name: c.Name})
		names = append(names, fmt.Sprintf("%s（%d）", c.Name, c.ID))
	}
	p.Args = []any{of, len(ch.Several), strings.Join(names, "、")}
	p.Message = fmt.Sprintf("%s在 %d 个进行中的宣传活动里都有家书，请用 campaign 参数指定其中一个：%s", p.Args...)
	return p
}

// Notices are the running campaigns of list that started after the one
// shown and after the user's account was made (since), and that the user
// has not been shown nor dismissed (seen): "新的宣传活动已开始：…", with a
// link, never in place of the page's campaign.
func Notices(list []store.Campaign, shown store.Campaign, seen map[int64]bool, since time.Time, today string) []store.Campaign {
	var out []store.Campaign
	for _, c := range list {
		if c.ID != shown.ID && !seen[c.ID] && c.Phase(today) == store.CampaignRunning && c.StartedAt.After(since) && c.StartedAt.After(shown.StartedAt) {
			out = append(out, c)
		}
	}
	return out
}

// Running lists the campaigns of list running on day today, first started
// first: a school's campaigns side by side, each its own line or tab, in
// an order a new one does not disturb.
func Running(list []store.Campaign, today string) []store.Campaign {
	var out []store.Campaign
	for _, c := range list {
		if c.Phase(today) == store.CampaignRunning {
			out = append(out, c)
		}
	}
	slices.Reverse(out)
	return out
}

// IDs are the ids of list.
func IDs(list []store.Campaign) []int64 {
	out := make([]int64, 0, len(list))
	for _, c := range list {
		out = append(out, c.ID)
	}
	return out
}

// Current is the school's campaign as Choose picks it without a request
// or a user (the command line, a job started without one), with its
// schools, templates and content version; ok is false when it takes part
// in none. The school's letters decide; letters of several running
// campaigns are a refusal naming them (Choice.Refusal).
func Current(ctx context.Context, st *store.Store, schoolID int64) (store.Campaign, bool, error) {
	list, err := st.SchoolCampaigns(ctx, schoolID)
	if err != nil {
		return store.Campaign{}, false, err
	}
	ids := IDs(Running(list, st.Today()))
	progress, err := st.SchoolCampaignProgress(ctx, schoolID, ids)
	if err != nil {
		return store.Campaign{}, false, err
	}
	ch, err := Choose(list, Ask{Holding: progress.Holding(ids)}, st.Today())
	if err != nil || !ch.OK {
		return store.Campaign{}, false, err
	}
	if err := ch.Refusal("本校"); err != nil {
		return store.Campaign{}, false, err
	}
	c, err := st.Campaign(ctx, ch.Campaign.ID)
	return c, err == nil, err
}

// CurrentOrDefault is the school's current campaign, or the default
// campaign of the term (store.DefaultCampaign, created with the school
// enrolled) when it takes part in none: where a school's letters go.
func CurrentOrDefault(ctx context.Context, st *store.Store, schoolID int64) (store.Campaign, error) {
	c, ok, err := Current(ctx, st, schoolID)
	if err != nil || ok {
		return c, err
	}
	return st.DefaultCampaign(ctx, schoolID)
}
