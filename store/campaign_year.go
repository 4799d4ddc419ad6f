package store

import (
	"context"
	"fmt"
	"time"
)

// The overview across campaigns (issue 11): reach and quiz results of each
// campaign over the school year, for the district or one school, and the
// families reached in an earlier campaign but not in the current one.

// CampaignYearRow is one campaign's figures, for the district or a school.
type CampaignYearRow struct {
	CampaignID   int64
	Name         string
	CreatedAt    time.Time
	Students     int // active students of its schools (at the purge, for a purged campaign)
	Acknowledged int
	QuizAnswered int
	QuizScoreSum int
}

// CampaignYear lists the campaigns (drafts left out) created since since,
// oldest first, with their figures; schoolID 0 is the whole district, else
// only the campaigns that school takes part in and its own figures. A
// purged campaign counts from the figures its purge kept.
func (s *Store) CampaignYear(ctx context.Context, schoolID int64, since time.Time) ([]CampaignYearRow, error) {
	school, args := "", []any{}
	if schoolID != 0 {
		school = ` AND st.school_id = ?`
	}
	live := `SELECT c.id, c.name, c.created_at,
		(SELECT COUNT(*) FROM students st JOIN campaign_schools cs ON cs.school_id = st.school_id
			WHERE cs.campaign_id = c.id AND st.active = TRUE` + school + `),
		(SELECT COUNT(l.acknowledged_at) FROM letters l JOIN students st ON st.id = l.student_id
			WHERE l.campaign_id = c.id AND st.active = TRUE` + school + `),
		(SELECT COUNT(l.quiz_score) FROM letters l JOIN students st ON st.id = l.student_id
			WHERE l.campaign_id = c.id AND st.active = TRUE` + school + `),
		(SELECT COALESCE(SUM(l.quiz_score), 0) FROM letters l JOIN students st ON st.id = l.student_id
			WHERE l.campaign_id = c.id AND st.active = TRUE` + school + `),
		EXISTS (SELECT 1 FROM campaign_purges p WHERE p.campaign_id = c.id)
		FROM campaigns c WHERE c.state <> 'draft' AND c.created_at >= ?`
	if schoolID != 0 {
		args = append(args, schoolID, schoolID, schoolID, schoolID)
	}
	args = append(args, since.UTC())
	if schoolID != 0 {
		live += ` AND EXISTS (SELECT 1 FROM campaign_schools cs WHERE cs.campaign_id = c.id AND cs.school_id = ?)`
		args = append(args, schoolID)
	}
	rows, err := s.db.QueryContext(ctx, s.Rebind(live+` ORDER BY c.created_at, c.id`), args...)
	if err != nil {
		return nil, fmt.Errorf("store: campaigns of the year: %w", err)
	}
	var out []CampaignYearRow
	var purged []int
	for rows.Next() {
		var r CampaignYearRow
		var p bool
		if err := rows.Scan(&r.CampaignID, &r.Name, &r.CreatedAt, &r.Students, &r.Acknowledged, &r.QuizAnswered, &r.QuizScoreSum, &p); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: campaigns of the year: %w", err)
		}
		r.CreatedAt = r.CreatedAt.UTC()
		if p {
			purged = append(purged, len(out))
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: campaigns of the year: %w", err)
	}
	for _, i := range purged {
		figs, _, err := s.PurgedFigures(ctx, out[i].CampaignID, schoolID)
		if err != nil {
			return nil, err
		}
		r := &out[i]
		r.Students, r.Acknowledged, r.QuizAnswered, r.QuizScoreSum = 0, 0, 0, 0
		for _, f := range figs {
			r.Students += f.Students
			r.Acknowledged += f.Acknowledged
			r.QuizAnswered += f.QuizAnswered
			r.QuizScoreSum += f.QuizScoreSum
		}
	}
	return out, nil
}

// LapsedFamily is a student whose family acknowledged an earlier campaign's
// letter but not the current campaign's.
type LapsedFamily struct {
	StudentID       int64
	Number, Name    string
	ClassID         int64
	ClassName       string
	SchoolID        int64
	SchoolName      string
	EarlierCampaign string // the latest earlier campaign the family acknowledged
}

// LapsedFamilies lists, by school, class and student number, at most limit
// active students of the current campaign's schools (schoolID 0: all,
// else that one) whose letter in current is not acknowledged though the
// family acknowledged a letter of a campaign created before it; total
// counts them all. Those reminders can reach: a family with no letter in
// current yet is not listed but counted in noLetter (尚未生成家书).
func (s *Store) LapsedFamilies(ctx context.Context, current, schoolID int64, limit int) (list []LapsedFamily, total, noLetter int, err error) {
	q := `SELECT st.id, st.number, st.name, c.id, c.name, sc.id, sc.name,
		EXISTS (SELECT 1 FROM letters lh WHERE lh.student_id = st.id AND lh.campaign_id = cur.id),
		(SELECT ca.name FROM letters le JOIN campaigns ca ON ca.id = le.campaign_id
			WHERE le.student_id = st.id AND le.acknowledged_at IS NOT NULL AND (ca.created_at < cur.created_at OR ca.created_at = cur.created_at AND ca.id < cur.id)
			ORDER BY ca.created_at DESC, ca.id DESC LIMIT 1)
		FROM students st
		JOIN classes c ON c.id = st.class_id
		JOIN schools sc ON sc.id = st.school_id
		JOIN campaigns cur ON cur.id = ?
		JOIN campaign_schools cs ON cs.campaign_id = cur.id AND cs.school_id = st.school_id
		WHERE st.active = TRUE
		AND NOT EXISTS (SELECT 1 FROM letters ln WHERE ln.student_id = st.id AND ln.campaign_id = cur.id AND ln.acknowledged_at IS NOT NULL)
		AND EXISTS (SELECT 1 FROM letters le JOIN campaigns ca ON ca.id = le.campaign_id
			WHERE le.student_id = st.id AND le.acknowledged_at IS NOT NULL AND (ca.created_at < cur.created_at OR ca.created_at = cur.created_at AND ca.id < cur.id))`
	args := []any{current}
	if schoolID != 0 {
		q += ` AND st.school_id = ?`
		args = append(args, schoolID)
	}
	rows, err := s.db.QueryContext(ctx, s.Rebind(q+` ORDER BY sc.name, c.grade, c.number, st.number`), args...)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("store: lapsed families of campaign %d: %w", current, err)
	}
	defer rows.Close()
	for rows.Next() {
		var f LapsedFamily
		var hasLetter bool
		if err := rows.Scan(&f.StudentID, &f.Number, &f.Name, &f.ClassID, &f.ClassName, &f.SchoolID, &f.SchoolName, &hasLetter, &f.EarlierCampaign); err != nil {
			return nil, 0, 0, fmt.Errorf("store: lapsed families of campaign %d: %w", current, err)
		}
		if !hasLetter {
			noLetter++
			continue
		}
		total++
		if len(list) < limit {
			list = append(list, f)
		}
	}
	return list, total, noLetter, rows.Err()
}
