package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// New-scam alerts (issue 9, 及时公布最新犯罪手法): the education center
// turns a method of an approved content version into an alert for one or
// more running campaigns. The method's title and text are copied when the
// alert is made, so it never changes afterwards; the parent page of every
// family of those campaigns shows it at the top, and it may be sent as a
// reminder text.

// ErrAlertCampaign: an alert is only for running campaigns.
var ErrAlertCampaign = errors.New("store: an alert needs one or more running campaigns")

// Alert is one new-scam alert.
type Alert struct {
	ID               int64
	ContentVersionID int64
	MethodID         string
	Title            string
	Body             string // 手法 and 防范 of the method, as plain text
	CreatedBy        int64
	CreatedAt        time.Time
	// UpdatedAt is when its text or campaigns were last edited (zero:
	// never); WithdrawnAt when it was withdrawn (zero: it stands on the
	// parents' pages), by WithdrawnBy.
	UpdatedAt   time.Time
	WithdrawnAt time.Time
	WithdrawnBy int64
	Campaigns   []AlertCampaign
}

// Withdrawn says whether the alert was taken off the parents' pages.
func (a Alert) Withdrawn() bool { return !a.WithdrawnAt.IsZero() }

// AlertCampaign is a campaign an alert is for, with how many of its
// letters were opened since the alert was made (letters.last_opened_at ≥
// the alert's time: a family that opened the page more than once counts
// once, and one that opened it only before the alert does not count).
type AlertCampaign struct {
	ID      int64
	Name    string
	Letters int
	Opened  int
}

// CreateAlert records a as a new alert for its campaigns (all running),
// audited as a.CreatedBy. The version must be approved (not retired).
func (s *Store) CreateAlert(ctx context.Context, a Alert) (Alert, error) {
	if len(a.Campaigns) == 0 {
		return Alert{}, ErrAlertCampaign
	}
	a.CreatedAt = s.Now()
	today := s.today()
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var state string
		if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT state FROM content_versions WHERE id = ?`), a.ContentVersionID).Scan(&state); err != nil {
			return notFound(err, fmt.Sprintf("content version %d", a.ContentVersionID))
		}
		if ContentState(state) != ContentApproved {
			return ErrContentNotApproved
		}
		names := make([]string, 0, len(a.Campaigns))
		for i, ac := range a.Campaigns {
			c, err := scanCampaign(tx.QueryRowContext(ctx, s.Rebind(`SELECT `+campaignCols+` FROM campaigns c WHERE c.id = ?`), ac.ID))
			if err != nil {
				return notFound(err, fmt.Sprintf("campaign %d", ac.ID))
			}
			if c.Phase(today) != CampaignRunning {
				return fmt.Errorf("campaign %q: %w", c.Name, ErrAlertCampaign)
			}
			a.Campaigns[i].Name = c.Name
			names = append(names, c.Name)
		}
		if err := tx.QueryRowContext(ctx, s.Rebind(`INSERT INTO alerts (content_version_id, method_id, title, body, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), a.ContentVersionID, a.MethodID, a.Title, a.Body, nullID(a.CreatedBy), a.CreatedAt).Scan(&a.ID); err != nil {
			return err
		}
		if err := s.setAlertCampaigns(ctx, tx, a.ID, a.Campaigns); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)`),
			a.CreatedAt, nullID(a.CreatedBy), "alert_created", cleanLogText(fmt.Sprintf("alert %d: method %s 「%s」 of version %d for %s",
				a.ID, a.MethodID, a.Title, a.ContentVersionID, strings.Join(names, "、"))))
		return err
	})
	if err != nil {
		return Alert{}, fmt.Errorf("store: create alert: %w", err)
	}
	return a, nil
}

const alertCols = `a.id, a.content_version_id, a.method_id, a.title, a.body, COALESCE(a.created_by, 0), a.created_at,
	a.updated_at, a.withdrawn_at, COALESCE(a.withdrawn_by, 0)`

func scanAlert(row interface{ Scan(...any) error }) (Alert, error) {
	var a Alert
	var updated, withdrawn sql.NullTime
	err := row.Scan(&a.ID, &a.ContentVersionID, &a.MethodID, &a.Title, &a.Body, &a.CreatedBy, &a.CreatedAt,
		&updated, &withdrawn, &a.WithdrawnBy)
	a.CreatedAt = a.CreatedAt.UTC()
	if updated.Valid {
		a.UpdatedAt = updated.Time.UTC()
	}
	if withdrawn.Valid {
		a.WithdrawnAt = withdrawn.Time.UTC()
	}
	return a, err
}

// Alerts lists every alert, newest first, with its campaigns and how many
// of their letters were opened since.
func (s *Store) Alerts(ctx context.Context) ([]Alert, error) {
	out, err := s.queryAlerts(ctx, `SELECT `+alertCols+` FROM alerts a ORDER BY a.id DESC`)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Campaigns, err = s.alertCampaigns(ctx, out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Alert returns one alert with its campaigns.
func (s *Store) Alert(ctx context.Context, id int64) (Alert, error) {
	a, err := scanAlert(s.db.QueryRowContext(ctx, s.Rebind(`SELECT `+alertCols+` FROM alerts a WHERE a.id = ?`), id))
	if err != nil {
		return Alert{}, notFound(err, fmt.Sprintf("alert %d", id))
	}
	a.Campaigns, err = s.alertCampaigns(ctx, a)
	return a, err
}

// CampaignAlerts lists the alerts of a campaign that stand, newest first
// (without their campaigns): what its parent pages show. A withdrawn alert
// is not among them.
func (s *Store) CampaignAlerts(ctx context.Context, campaignID int64) ([]Alert, error) {
	return s.queryAlerts(ctx, `SELECT `+alertCols+` FROM alerts a JOIN alert_campaigns ac ON ac.alert_id = a.id
		WHERE ac.campaign_id = ? AND a.withdrawn_at IS NULL ORDER BY a.id DESC`, campaignID)
}

func (s *Store) queryAlerts(ctx context.Context, q string, args ...any) ([]Alert, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: alerts: %w", err)
	}
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			return nil, fmt.Errorf("store: alerts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// alertCampaigns returns the campaigns of a with their letters and the
// letters opened since a was made.
func (s *Store) alertCampaigns(ctx context.Context, a Alert) ([]AlertCampaign, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT c.id, c.name,
		(SELECT COUNT(*) FROM letters l WHERE l.campaign_id = c.id),
		(SELECT COUNT(*) FROM letters l WHERE l.campaign_id = c.id AND l.last_opened_at >= ?)
		FROM alert_campaigns ac JOIN campaigns c ON c.id = ac.campaign_id WHERE ac.alert_id = ? ORDER BY c.id`), a.CreatedAt, a.ID)
	if err != nil {
		return nil, fmt.Errorf("store: campaigns of alert %d: %w", a.ID, err)
	}
	defer rows.Close()
	var out []AlertCampaign
	for rows.Next() {
		var c AlertCampaign
		if err := rows.Scan(&c.ID, &c.Name, &c.Letters, &c.Opened); err != nil {
			return nil, fmt.Errorf("store: campaigns of alert %d: %w", a.ID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
