package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// A campaign's life (issue 11): the education center drafts it, starts it
// (its schools' pages can show it from then on), and closes it — or its
// acknowledgement deadline passes; a purge (purge.go) ends it. Several
// campaigns may run at once, for different schools or overlapping; a page
// of a school shows the one it is asked for, and when none is named the
// app's default (campaign.Choose) — never a draft.
const (
	CampaignDraft   = "draft"
	CampaignRunning = "running"
	CampaignClosed  = "closed"
	// CampaignPurged is a phase only (Phase): the state stays what it was.
	CampaignPurged = "purged"
)

// ErrCampaignState: the change asked for does not fit the campaign's life
// (starting a purged campaign, closing a draft, an unknown state).
var ErrCampaignState = errors.New("store: campaign state change not allowed")

// Phase is where the campaign is in its life on day today ("YYYY-MM-DD" in
// ChinaTime): purged, draft, closed (by the center, or its deadline is
// before today) or running.
func (c Campaign) Phase(today string) string {
	switch {
	case c.Purged:
		return CampaignPurged
	case c.State == CampaignDraft:
		return CampaignDraft
	case c.State == CampaignClosed, c.AckDeadline != "" && c.AckDeadline < today:
		return CampaignClosed
	}
	return CampaignRunning
}

// today is the store clock's day in China, as deadlines are written.
func (s *Store) today() string { return s.Now().In(ChinaTime).Format("2006-01-02") }

// Today is the store clock's day in China ("YYYY-MM-DD"), the day Phase
// compares deadlines with.
func (s *Store) Today() string { return s.today() }

// SetCampaignState starts (CampaignRunning) or closes (CampaignClosed) a
// campaign: a draft or closed campaign may start (again), a running one may
// close. A purged campaign changes no more. It returns the campaign as
// stored.
func (s *Store) SetCampaignState(ctx context.Context, id int64, state string) (Campaign, error) {
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		c, err := s.campaign(ctx, tx, id)
		if err != nil {
			return err
		}
		ok := !c.Purged && (state == CampaignRunning && c.State != CampaignRunning ||
			state == CampaignClosed && c.State == CampaignRunning)
		if !ok {
			return fmt.Errorf("%s → %s: %w", c.State, state, ErrCampaignState)
		}
		if state == CampaignClosed {
			_, err = tx.ExecContext(ctx, s.Rebind(`UPDATE campaigns SET state = ?, closed_at = ? WHERE id = ?`), state, s.Now(), id)
			return err
		}
		_, err = tx.ExecContext(ctx, s.Rebind(`UPDATE campaigns SET state = ?, closed_at = NULL, started_at = ? WHERE id = ?`), state, s.Now(), id)
		return err
	})
	if err != nil {
		return Campaign{}, fmt.Errorf("store: campaign %d state: %w", id, err)
	}
	return s.Campaign(ctx, id)
}
