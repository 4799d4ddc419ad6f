package campaign

import (
	"context"
	"slices"

	"jiashu/store"
)

// Choose is the campaign a school's pages show when none is asked for,
// among the school's campaigns (newest first, drafts left out:
// store.SchoolCampaigns) on day today: its newest running campaign, else
// its newest one. ok is false when the school takes part in none. This is
// the one rule: the class and school pages, the overview, the letters and
// the command line all ask it.
func Choose(list []store.Campaign, today string) (c store.Campaign, ok bool) {
	if i := slices.IndexFunc(list, func(c store.Campaign) bool { return c.Phase(today) == store.CampaignRunning }); i >= 0 {
		return list[i], true
	}
	if len(list) > 0 {
		return list[0], true
	}
	return store.Campaign{}, false
}

// Shown is the campaign a page shows: want when the request names one (it
// must be one of list: store.ErrNotFound, a problem.NotFound, otherwise), else remembered (the
// one the user last chose for the school) while it is still one of list,
// else Choose's.
func Shown(list []store.Campaign, want, remembered int64, today string) (store.Campaign, bool, error) {
	find := func(id int64) int {
		return slices.IndexFunc(list, func(c store.Campaign) bool { return c.ID == id })
	}
	if want != 0 {
		if i := find(want); i >= 0 {
			return list[i], true, nil
		}
		return store.Campaign{}, false, store.ErrNotFound
	}
	if i := find(remembered); remembered != 0 && i >= 0 {
		return list[i], true, nil
	}
	c, ok := Choose(list, today)
	return c, ok, nil
}

// Current is the school's campaign as Choose picks it, with its schools,
// templates and content version; ok is false when it takes part in none.
func Current(ctx context.Context, st *store.Store, schoolID int64) (store.Campaign, bool, error) {
	list, err := st.SchoolCampaigns(ctx, schoolID)
	if err != nil {
		return store.Campaign{}, false, err
	}
	c, ok := Choose(list, st.Today())
	if !ok {
		return c, false, nil
	}
	c, err = st.Campaign(ctx, c.ID)
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
