package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Campaign is a publicity campaign (宣传活动): one letter per student of the
// participating schools.
type Campaign struct {
	ID          int64
	Name        string // unique
	Term        string // e.g. 2026年秋季学期
	AckDeadline string // "2026-10-15" or "" for none
	QuizEnabled bool
	CreatedAt   time.Time
	// StartedAt is when the campaign last started (zero for a draft): a
	// school's pages tell their users of a campaign started since they
	// last looked (app/campaign Notices).
	StartedAt time.Time
	SchoolIDs []int64           // participating schools
	Templates map[string]string // age group → letter template reference
	State     string            // CampaignDraft, CampaignRunning or CampaignClosed (campaign_life.go)
	Purged    bool              // its personal data was purged (campaign_purges)
	// ContentVersionID is the approved content version the campaign's
	// letters and parent pages come from (content_campaigns.go); 0 at
	// creation pins the newest approved one.
	ContentVersionID int64
	// OpeningName and Opening are the campaign's opening line (寒假将至，…),
	// printed first in every letter and on the parents' page: one of the
	// openings of an approved content version, by name, with its text as
	// approved (campaign_opening.go). Both "" for none.
	OpeningName, Opening string
}

const campaignCols = `c.id, c.name, c.term, c.ack_deadline, c.quiz_enabled, c.created_at, c.state,
	EXISTS (SELECT 1 FROM campaign_purges pg WHERE pg.campaign_id = c.id), c.started_at, c.opening_name, c.opening`

func scanCampaign(row interface{ Scan(...any) error }) (Campaign, error) {
	var c Campaign
	var started sql.NullTime
	err := row.Scan(&c.ID, &c.Name, &c.Term, &c.AckDeadline, &c.QuizEnabled, &c.CreatedAt, &c.State, &c.Purged, &started,
		&c.OpeningName, &c.Opening)
	c.CreatedAt = c.CreatedAt.UTC()
	if started.Valid {
		c.StartedAt = started.Time.UTC()
	}
	return c, err
}

// DefaultCampaignName is the name of the campaign created for a school that
// has none: the autumn term runs from August to January, the spring term
// from February to July.
func DefaultCampaignName(now time.Time) (name, term string) {
	year, season := now.Year(), "秋季"
	switch {
	case now.Month() == time.January:
		year--
	case now.Month() < time.August:
		season = "春季"
	}
	return fmt.Sprintf("%d年%s反诈家书", year, season), fmt.Sprintf("%d年%s学期", year, season)
}

// checkText refuses control characters in the campaign's texts (the
// templates may hold line breaks).
func (c Campaign) checkText() error {
	if err := checkTexts("campaign_name", c.Name, "campaign_term", c.Term, "ack_deadline", c.AckDeadline,
		"opening_name", c.OpeningName, "opening", c.Opening); err != nil {
		return err
	}
	for group, tpl := range c.Templates {
		if err := CheckText("template_"+group, tpl, true); err != nil {
			return err
		}
	}
	return nil
}

// CreateCampaign adds c with its schools and templates and returns it as
// stored, running unless c.State says draft. A taken name violates the
// unique constraint.
func (s *Store) CreateCampaign(ctx context.Context, c Campaign) (Campaign, error) {
	c.Name = strings.TrimSpace(c.Name)
	if err := c.checkText(); err != nil {
		return Campaign{}, err
	}
	if c.State == "" {
		c.State = CampaignRunning
	}
	if c.State != CampaignDraft && c.State != CampaignRunning {
		return Campaign{}, fmt.Errorf("store: create campaign %q: state %q: %w", c.Name, c.State, ErrCampaignState)
	}
	var id int64
	now := s.Now()
	var started any
	if c.State == CampaignRunning {
		started = now
	}
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.Rebind(`INSERT INTO campaigns
			(name, term, ack_deadline, quiz_enabled, created_at, state, started_at, opening_name, opening)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			c.Name, c.Term, c.AckDeadline, c.QuizEnabled, now, c.State, started, c.OpeningName, c.Opening).Scan(&id)
		if err != nil {
			return err
		}
		if err := s.addCampaignSchools(ctx, tx, id, c.SchoolIDs); err != nil {
			return err
		}
		if err := s.pinContent(ctx, tx, id, c.ContentVersionID); err != nil {
			return err
		}
		for group, tpl := range c.Templates {
			if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO campaign_templates (campaign_id, age_group, template) VALUES (?, ?, ?)`), id, group, tpl); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Campaign{}, fmt.Errorf("store: create campaign %q: %w", c.Name, err)
	}
	return s.Campaign(ctx, id)
}

func (s *Store) addCampaignSchools(ctx context.Context, tx *sql.Tx, campaignID int64, schoolIDs []int64) error {
	for _, sid := range schoolIDs {
		if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO campaign_schools (campaign_id, school_id) VALUES (?, ?) ON CONFLICT DO NOTHING`), campaignID, sid); err != nil {
			return err
		}
	}
	return nil
}

// AddCampaignSchools makes schools take part in a campaign; adding a school
// twice is harmless.
func (s *Store) AddCampaignSchools(ctx context.Context, campaignID int64, schoolIDs ...int64) error {
	err := s.Tx(ctx, func(tx *sql.Tx) error { return s.addCampaignSchools(ctx, tx, campaignID, schoolIDs) })
	if err != nil {
		return fmt.Errorf("store: add schools to campaign %d: %w", campaignID, err)
	}
	return nil
}

// Campaign returns the campaign with id, its schools and templates.
func (s *Store) Campaign(ctx context.Context, id int64) (Campaign, error) {
	return s.campaign(ctx, s.db, id)
}

func (s *Store) campaign(ctx context.Context, q queryer, id int64) (Campaign, error) {
	c, err := scanCampaign(q.QueryRowContext(ctx, s.Rebind(`SELECT `+campaignCols+` FROM campaigns c WHERE c.id = ?`), id))
	if err != nil {
		return Campaign{}, notFound(err, fmt.Sprintf("campaign %d", id))
	}
	return s.campaignDetails(ctx, q, c)
}

// CampaignByName returns the campaign called name.
func (s *Store) CampaignByName(ctx context.Context, name string) (Campaign, error) {
	name = strings.TrimSpace(name)
	c, err := scanCampaign(s.db.QueryRowContext(ctx, s.Rebind(`SELECT `+campaignCols+` FROM campaigns c WHERE c.name = ?`), name))
	if err != nil {
		return Campaign{}, notFound(err, fmt.Sprintf("campaign %q", name))
	}
	return s.campaignDetails(ctx, s.db, c)
}

// Campaigns lists all campaigns, newest first, without schools and
// templates.
func (s *Store) Campaigns(ctx context.Context) ([]Campaign, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+campaignCols+` FROM campaigns c ORDER BY c.created_at DESC, c.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: campaigns: %w", err)
	}
	defer rows.Close()
	var out []Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, fmt.Errorf("store: campaigns: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// campaignDetails adds the campaign's schools and templates, read through q.
func (s *Store) campaignDetails(ctx context.Context, q queryer, c Campaign) (Campaign, error) {
	rows, err := q.QueryContext(ctx, s.Rebind(`SELECT school_id FROM campaign_schools WHERE campaign_id = ?`), c.ID)
	if err != nil {
		return Campaign{}, fmt.Errorf("store: campaign %d schools: %w", c.ID, err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return Campaign{}, fmt.Errorf("store: campaign %d schools: %w", c.ID, err)
		}
		c.SchoolIDs = append(c.SchoolIDs, id)
	}
	rows.Close()
	sort.Slice(c.SchoolIDs, func(i, j int) bool { return c.SchoolIDs[i] < c.SchoolIDs[j] })
	if c.ContentVersionID, err = s.campaignContent(ctx, q, c.ID); err != nil {
		return Campaign{}, err
	}
	rows, err = q.QueryContext(ctx, s.Rebind(`SELECT age_group, template FROM campaign_templates WHERE campaign_id = ?`), c.ID)
	if err != nil {
		return Campaign{}, fmt.Errorf("store: campaign %d templates: %w", c.ID, err)
	}
	defer rows.Close()
	c.Templates = map[string]string{}
	for rows.Next() {
		var g, t string
		if err := rows.Scan(&g, &t); err != nil {
			return Campaign{}, fmt.Errorf("store: campaign %d templates: %w", c.ID, err)
		}
		c.Templates[g] = t
	}
	return c, rows.Err()
}

// DefaultCampaign returns the default campaign of the current term
// (DefaultCampaignName), creating it when missing, with the school
// enrolled: what a school's letters go into when it takes part in no
// campaign yet. Which campaign a school's pages show is the app's rule
// (campaign.Choose), not the store's.
func (s *Store) DefaultCampaign(ctx context.Context, schoolID int64) (Campaign, error) {
	var id int64
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.defaultCampaign(ctx, tx, schoolID)
		return err
	})
	if err != nil {
		return Campaign{}, fmt.Errorf("store: default campaign of school %d: %w", schoolID, err)
	}
	return s.Campaign(ctx, id)
}

// defaultCampaign is DefaultCampaign inside tx; it returns the campaign's
// id.
func (s *Store) defaultCampaign(ctx context.Context, tx *sql.Tx, schoolID int64) (int64, error) {
	var id int64
	name, term := DefaultCampaignName(s.Now())
	if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO campaigns (name, term, ack_deadline, quiz_enabled, created_at, started_at)
		VALUES (?, ?, '', TRUE, ?, ?) ON CONFLICT (name) DO NOTHING`), name, term, s.Now(), s.Now()); err != nil {
		return 0, err
	}
	if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT id FROM campaigns WHERE name = ?`), name).Scan(&id); err != nil {
		return 0, err
	}
	if err := s.pinContentIfNone(ctx, tx, id); err != nil {
		return 0, err
	}
	return id, s.addCampaignSchools(ctx, tx, id, []int64{schoolID})
}
