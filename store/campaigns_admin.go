package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// UpdateCampaign changes a campaign's name, term, deadline, quiz switch,
// templates and participating schools to those of c. Schools that have
// letters in the campaign stay (their letters and acknowledgements must
// keep counting); others not listed are removed.
func (s *Store) UpdateCampaign(ctx context.Context, c Campaign) (Campaign, error) {
	c.Name = strings.TrimSpace(c.Name)
	if err := c.checkText(); err != nil {
		return Campaign{}, err
	}
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.Rebind(`UPDATE campaigns SET name = ?, term = ?, ack_deadline = ?, quiz_enabled = ? WHERE id = ?`),
			c.Name, c.Term, c.AckDeadline, c.QuizEnabled, c.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound(sql.ErrNoRows, fmt.Sprintf("campaign %d", c.ID))
		}
		keep := map[int64]bool{}
		for _, id := range c.SchoolIDs {
			keep[id] = true
		}
		rows, err := tx.QueryContext(ctx, s.Rebind(`SELECT cs.school_id FROM campaign_schools cs WHERE cs.campaign_id = ?
			AND NOT EXISTS (SELECT 1 FROM letters l JOIN students st ON st.id = l.student_id
				WHERE l.campaign_id = cs.campaign_id AND st.school_id = cs.school_id)`), c.ID)
		if err != nil {
			return err
		}
		var drop []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			if !keep[id] {
				drop = append(drop, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range drop {
			if _, err := tx.ExecContext(ctx, s.Rebind(`DELETE FROM campaign_schools WHERE campaign_id = ? AND school_id = ?`), c.ID, id); err != nil {
				return err
			}
		}
		if err := s.addCampaignSchools(ctx, tx, c.ID, c.SchoolIDs); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.Rebind(`DELETE FROM campaign_templates WHERE campaign_id = ?`), c.ID); err != nil {
			return err
		}
		for group, tpl := range c.Templates {
			if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO campaign_templates (campaign_id, age_group, template) VALUES (?, ?, ?)`), c.ID, group, tpl); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Campaign{}, fmt.Errorf("store: update campaign %d: %w", c.ID, err)
	}
	return s.Campaign(ctx, c.ID)
}

// SchoolCampaigns lists the campaigns school takes part in, newest first;
// drafts are the education center's own and are left out.
func (s *Store) SchoolCampaigns(ctx context.Context, schoolID int64) ([]Campaign, error) {
	return s.schoolCampaigns(ctx, s.db, schoolID)
}

func (s *Store) schoolCampaigns(ctx context.Context, q queryer, schoolID int64) ([]Campaign, error) {
	rows, err := q.QueryContext(ctx, s.Rebind(`SELECT `+campaignCols+` FROM campaigns c
		JOIN campaign_schools cs ON cs.campaign_id = c.id WHERE cs.school_id = ? AND c.state <> 'draft'
		ORDER BY c.created_at DESC, c.id DESC`), schoolID)
	if err != nil {
		return nil, fmt.Errorf("store: campaigns of school %d: %w", schoolID, err)
	}
	defer rows.Close()
	var out []Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, fmt.Errorf("store: campaigns of school %d: %w", schoolID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SchoolTeachers maps each class of a school to the users assigned to
// teach it.
func (s *Store) SchoolTeachers(ctx context.Context, schoolID int64) (map[int64][]int64, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT tc.class_id, tc.user_id FROM teacher_classes tc
		JOIN classes c ON c.id = tc.class_id WHERE c.school_id = ? ORDER BY tc.class_id, tc.user_id`), schoolID)
	if err != nil {
		return nil, fmt.Errorf("store: teachers of school %d: %w", schoolID, err)
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var class, user int64
		if err := rows.Scan(&class, &user); err != nil {
			return nil, fmt.Errorf("store: teachers of school %d: %w", schoolID, err)
		}
		out[class] = append(out[class], user)
	}
	return out, rows.Err()
}
