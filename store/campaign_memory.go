package store

import (
	"context"
	"database/sql"
	"fmt"
)

// What a user's pages remember of campaigns (issue 22): the campaign the
// user last worked in, per school (the scope; 0 for the center's
// district-wide pages), which a page about one campaign keeps until the
// user picks another; and the campaigns the user has been shown or whose
// notice they dismissed, so a campaign started since is announced once
// ("新的宣传活动已开始") rather than shown in its place.

// CampaignMemory is what a user's pages remember in one scope.
type CampaignMemory struct {
	Last int64          // the campaign last worked in; 0 for none
	Seen map[int64]bool // campaigns shown to the user or whose notice they dismissed
}

// RememberedCampaigns reads what user's pages remember in scope.
func (s *Store) RememberedCampaigns(ctx context.Context, userID, scopeID int64) (CampaignMemory, error) {
	m := CampaignMemory{Seen: map[int64]bool{}}
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT campaign_id FROM campaign_memory WHERE user_id = ? AND scope_id = ?`),
		userID, scopeID).Scan(&m.Last)
	if err != nil && err != sql.ErrNoRows {
		return m, fmt.Errorf("store: campaign memory of user %d: %w", userID, err)
	}
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT campaign_id FROM campaign_seen WHERE user_id = ?`), userID)
	if err != nil {
		return m, fmt.Errorf("store: campaigns seen by user %d: %w", userID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return m, fmt.Errorf("store: campaigns seen by user %d: %w", userID, err)
		}
		m.Seen[id] = true
	}
	return m, rows.Err()
}

// RememberCampaign records that user worked in campaign in scope: the
// campaign their pages of scope show from now on, and one they have seen.
func (s *Store) RememberCampaign(ctx context.Context, userID, scopeID, campaignID int64) error {
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO campaign_memory (user_id, scope_id, campaign_id, at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id, scope_id) DO UPDATE SET campaign_id = excluded.campaign_id, at = excluded.at`),
			userID, scopeID, campaignID, now); err != nil {
			return err
		}
		return s.seeCampaign(ctx, tx, userID, campaignID)
	})
	if err != nil {
		return fmt.Errorf("store: remember campaign %d for user %d: %w", campaignID, userID, err)
	}
	return nil
}

// DismissCampaign records that user has seen campaign's notice.
func (s *Store) DismissCampaign(ctx context.Context, userID, campaignID int64) error {
	err := s.Tx(ctx, func(tx *sql.Tx) error { return s.seeCampaign(ctx, tx, userID, campaignID) })
	if err != nil {
		return fmt.Errorf("store: dismiss campaign %d for user %d: %w", campaignID, userID, err)
	}
	return nil
}

func (s *Store) seeCampaign(ctx context.Context, tx *sql.Tx, userID, campaignID int64) error {
	_, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO campaign_seen (user_id, campaign_id, at) VALUES (?, ?, ?)
		ON CONFLICT (user_id, campaign_id) DO NOTHING`), userID, campaignID, s.Now())
	return err
}

// CampaignProgress is how far a class, or a school, got in each campaign
// it takes part in, by campaign id: its active students, their letters,
// the letters not yet handed out and the acknowledged ones. A campaign
// whose letters the class or school holds has Letters > 0.
type CampaignProgress map[int64]ClassProgress

// Holding lists the campaigns of ids whose letters are held (Letters > 0).
func (p CampaignProgress) Holding(ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if p[id].Letters > 0 {
			out = append(out, id)
		}
	}
	return out
}

// ClassCampaignProgress is the progress of class classID in every
// campaign of its school that is not a draft, in one query.
func (s *Store) ClassCampaignProgress(ctx context.Context, classID int64) (CampaignProgress, error) {
	return s.campaignProgress(ctx, s.db, `st.class_id = ?`, classID)
}

// SchoolCampaignProgress is the progress of school schoolID in its
// campaigns of ids (the running ones, say), in one query.
func (s *Store) SchoolCampaignProgress(ctx context.Context, schoolID int64, ids []int64) (CampaignProgress, error) {
	if len(ids) == 0 {
		return CampaignProgress{}, nil
	}
	where, args := `st.school_id = ? AND cs.campaign_id IN `+placeholders(1, len(ids)), []any{schoolID}
	for _, id := range ids {
		args = append(args, id)
	}
	return s.campaignProgress(ctx, s.db, where, args...)
}

func (s *Store) campaignProgress(ctx context.Context, q queryer, where string, args ...any) (CampaignProgress, error) {
	rows, err := q.QueryContext(ctx, s.Rebind(`SELECT cs.campaign_id, COUNT(*), COUNT(l.id),
		SUM(CASE WHEN l.status = 'produced' THEN 1 ELSE 0 END),
		SUM(CASE WHEN l.acknowledged_at IS NOT NULL THEN 1 ELSE 0 END)
		FROM students st
		JOIN campaign_schools cs ON cs.school_id = st.school_id
		JOIN campaigns c ON c.id = cs.campaign_id AND c.state <> 'draft'
		LEFT JOIN letters l ON l.student_id = st.id AND l.campaign_id = cs.campaign_id
		WHERE st.active = TRUE AND `+where+` GROUP BY cs.campaign_id`), args...)
	if err != nil {
		return nil, fmt.Errorf("store: campaign progress: %w", err)
	}
	defer rows.Close()
	out := CampaignProgress{}
	for rows.Next() {
		var id int64
		var p ClassProgress
		if err := rows.Scan(&id, &p.Students, &p.Letters, &p.Undelivered, &p.Acknowledged); err != nil {
			return nil, fmt.Errorf("store: campaign progress: %w", err)
		}
		out[id] = p
	}
	return out, rows.Err()
}

// CampaignsWithLetters lists those of ids that have any letter: whose
// letters the district holds (the center's pages).
func (s *Store) CampaignsWithLetters(ctx context.Context, ids []int64) ([]int64, error) {
	var out []int64
	for _, id := range ids {
		var has bool
		if err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT EXISTS (SELECT 1 FROM letters WHERE campaign_id = ?)`), id).Scan(&has); err != nil {
			return nil, fmt.Errorf("store: letters of campaign %d: %w", id, err)
		}
		if has {
			out = append(out, id)
		}
	}
	return out, nil
}
