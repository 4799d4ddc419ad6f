package store

import (
	"context"
	"fmt"
)

// ClassProgress is where a class stands in a campaign, for the teacher's
// to-do list: its active students, their letters, the letters printed but
// not yet handed out, and the acknowledged ones.
type ClassProgress struct {
	Students     int
	Letters      int
	Undelivered  int // status still produced
	Acknowledged int
}

// ClassProgressOfSchool returns the progress of every class of a school in
// a campaign, by class id, in one query; a class without active students
// is missing from the map.
func (s *Store) ClassProgressOfSchool(ctx context.Context, campaignID, schoolID int64) (map[int64]ClassProgress, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT st.class_id, COUNT(*), COUNT(l.id),
		SUM(CASE WHEN l.status = 'produced' THEN 1 ELSE 0 END),
		SUM(CASE WHEN l.acknowledged_at IS NOT NULL THEN 1 ELSE 0 END)
		FROM students st LEFT JOIN letters l ON l.student_id = st.id AND l.campaign_id = ?
		WHERE st.school_id = ? AND st.active = TRUE GROUP BY st.class_id`), campaignID, schoolID)
	if err != nil {
		return nil, fmt.Errorf("store: progress of school %d: %w", schoolID, err)
	}
	defer rows.Close()
	out := map[int64]ClassProgress{}
	for rows.Next() {
		var id int64
		var p ClassProgress
		if err := rows.Scan(&id, &p.Students, &p.Letters, &p.Undelivered, &p.Acknowledged); err != nil {
			return nil, fmt.Errorf("store: progress of school %d: %w", schoolID, err)
		}
		out[id] = p
	}
	return out, rows.Err()
}
