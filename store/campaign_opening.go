package store

import (
	"context"
	"database/sql"
	"fmt"
)

// A campaign's opening line (issue 19, migration 030): the use case
// (app/campaign) picks it from an approved content version's openings and
// checks that every letter still fits; the store records the choice and
// who made it.

// SetCampaignOpening records the opening named name with its text (both
// "" for none) on campaign id, audited as userID (0: the command line),
// with the content version it was approved in.
func (s *Store) SetCampaignOpening(ctx context.Context, id int64, name, text string, version, userID int64) (Campaign, error) {
	if err := checkTexts("opening_name", name, "opening", text); err != nil {
		return Campaign{}, err
	}
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.Rebind(`UPDATE campaigns SET opening_name = ?, opening = ? WHERE id = ?`), name, text, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound(sql.ErrNoRows, fmt.Sprintf("campaign %d", id))
		}
		detail := fmt.Sprintf("campaign %d: 无开头语", id)
		if name != "" {
			detail = fmt.Sprintf("campaign %d: 开头语“%s”（内容第%d版）：%s", id, name, version, text)
		}
		_, err = tx.ExecContext(ctx, s.Rebind(`INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)`),
			s.Now(), nullID(userID), "campaign_opening_set", cleanLogText(detail))
		return err
	})
	if err != nil {
		return Campaign{}, fmt.Errorf("store: set opening of campaign %d: %w", id, err)
	}
	return s.Campaign(ctx, id)
}
