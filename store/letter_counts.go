package store

import (
	"context"
	"fmt"
)

// LetterCounts counts, in a campaign (narrowed to a school or class by
// scope), the active students of its schools and those with a letter: the
// families a reminder can reach are among the second; the others have no
// letter yet (尚未生成家书) and are counted, never listed for reminding.
func (s *Store) LetterCounts(ctx context.Context, scope ReminderScope) (students, letters int, err error) {
	q := `SELECT COUNT(*), COUNT(l.id) FROM students st
		JOIN campaign_schools cs ON cs.school_id = st.school_id AND cs.campaign_id = ?
		LEFT JOIN letters l ON l.student_id = st.id AND l.campaign_id = cs.campaign_id
		WHERE st.active = TRUE`
	args := []any{scope.CampaignID}
	if scope.SchoolID != 0 {
		q += ` AND st.school_id = ?`
		args = append(args, scope.SchoolID)
	}
	if scope.ClassID != 0 {
		q += ` AND st.class_id = ?`
		args = append(args, scope.ClassID)
	}
	if err := s.db.QueryRowContext(ctx, s.Rebind(q), args...).Scan(&students, &letters); err != nil {
		return 0, 0, fmt.Errorf("store: letters of campaign %d: %w", scope.CampaignID, err)
	}
	return students, letters, nil
}
