package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Alerts people can trust (issue 22): the education center edits an
// alert's text and campaigns and withdraws it, each audited; every change
// bumps the alerts_version of the campaigns it concerns, which the parent
// page reads with the letter, so every instance shows the change on the
// next view (app/parent/alerts.go).

// ErrAlertWithdrawn: a withdrawn alert changes no more.
var ErrAlertWithdrawn = errors.New("store: the alert was withdrawn")

// setAlertCampaigns makes campaigns the alert's, and bumps the alerts
// version of those it had and those it has.
func (s *Store) setAlertCampaigns(ctx context.Context, tx *sql.Tx, alertID int64, campaigns []AlertCampaign) error {
	if err := s.bumpAlerts(ctx, tx, alertID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.Rebind(`DELETE FROM alert_campaigns WHERE alert_id = ?`), alertID); err != nil {
		return err
	}
	for _, ac := range campaigns {
		if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO alert_campaigns (alert_id, campaign_id) VALUES (?, ?) ON CONFLICT DO NOTHING`), alertID, ac.ID); err != nil {
			return err
		}
	}
	return s.bumpAlerts(ctx, tx, alertID)
}

// bumpAlerts tells the parent pages of the alert's campaigns that their
// alerts changed.
func (s *Store) bumpAlerts(ctx context.Context, tx *sql.Tx, alertID int64) error {
	_, err := tx.ExecContext(ctx, s.Rebind(`UPDATE campaigns SET alerts_version = alerts_version + 1
		WHERE id IN (SELECT campaign_id FROM alert_campaigns WHERE alert_id = ?)`), alertID)
	return err
}

// UpdateAlert changes alert a.ID's title, text and campaigns to a's,
// audited as userID. A campaign added must be running (ErrAlertCampaign);
// one it already had may have ended since. A withdrawn alert is
// ErrAlertWithdrawn.
func (s *Store) UpdateAlert(ctx context.Context, a Alert, userID int64) (Alert, error) {
	if len(a.Campaigns) == 0 {
		return Alert{}, ErrAlertCampaign
	}
	if err := checkTexts("alert_title", a.Title); err != nil {
		return Alert{}, err
	}
	if err := CheckText("alert_text", a.Body, true); err != nil {
		return Alert{}, err
	}
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		old, err := s.lockedAlert(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		had := map[int64]bool{}
		rows, err := tx.QueryContext(ctx, s.Rebind(`SELECT campaign_id FROM alert_campaigns WHERE alert_id = ?`), a.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			had[id] = true
		}
		rows.Close()
		names, err := s.alertCampaignNames(ctx, tx, a.Campaigns, had)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE alerts SET title = ?, body = ?, updated_at = ?, updated_by = ? WHERE id = ?`),
			a.Title, a.Body, s.Now(), nullID(userID), a.ID); err != nil {
			return err
		}
		if err := s.setAlertCampaigns(ctx, tx, a.ID, a.Campaigns); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, userID, "alert_edited", fmt.Sprintf("alert %d 「%s」 → 「%s」 for %s", a.ID, old.Title, a.Title, strings.Join(names, "、")))
	})
	if err != nil {
		return Alert{}, fmt.Errorf("store: edit alert %d: %w", a.ID, err)
	}
	return s.Alert(ctx, a.ID)
}

// alertCampaignNames checks the campaigns an alert is to be for: each must
// exist and run, unless the alert already had it (had); it returns their
// names.
func (s *Store) alertCampaignNames(ctx context.Context, tx *sql.Tx, campaigns []AlertCampaign, had map[int64]bool) ([]string, error) {
	today := s.today()
	var names []string
	for _, ac := range campaigns {
		c, err := scanCampaign(tx.QueryRowContext(ctx, s.Rebind(`SELECT `+campaignCols+` FROM campaigns c WHERE c.id = ?`), ac.ID))
		if err != nil {
			return nil, notFound(err, fmt.Sprintf("campaign %d", ac.ID))
		}
		if !had[c.ID] && c.Phase(today) != CampaignRunning {
			return nil, fmt.Errorf("campaign %q: %w", c.Name, ErrAlertCampaign)
		}
		names = append(names, c.Name)
	}
	return names, nil
}

// WithdrawAlert takes alert id off the parents' pages of its campaigns,
// audited as userID; the alert stays listed, withdrawn. Withdrawing it
// again is ErrAlertWithdrawn.
func (s *Store) WithdrawAlert(ctx context.Context, id, userID int64) (Alert, error) {
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		a, err := s.lockedAlert(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE alerts SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ?`), s.Now(), nullID(userID), id); err != nil {
			return err
		}
		if err := s.bumpAlerts(ctx, tx, id); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, userID, "alert_withdrawn", fmt.Sprintf("alert %d 「%s」", id, a.Title))
	})
	if err != nil {
		return Alert{}, fmt.Errorf("store: withdraw alert %d: %w", id, err)
	}
	return s.Alert(ctx, id)
}

// lockedAlert reads alert id in tx for a change: not found, or withdrawn
// (ErrAlertWithdrawn), refuses it.
func (s *Store) lockedAlert(ctx context.Context, tx *sql.Tx, id int64) (Alert, error) {
	q := `SELECT ` + alertCols + ` FROM alerts a WHERE a.id = ?`
	if s.dialect == Postgres {
		q += ` FOR UPDATE`
	}
	a, err := scanAlert(tx.QueryRowContext(ctx, s.Rebind(q), id))
	if err != nil {
		return Alert{}, notFound(err, fmt.Sprintf("alert %d", id))
	}
	if a.Withdrawn() {
		return Alert{}, ErrAlertWithdrawn
	}
	return a, nil
}

// CampaignFamilies counts the families of campaigns ids: their letters
// (one a child), whose parents' pages an alert for them reaches.
func (s *Store) CampaignFamilies(ctx context.Context, ids []int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	var n int
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) FROM letters WHERE campaign_id IN `+placeholders(1, len(ids))), args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: families of campaigns: %w", err)
	}
	return n, nil
}
