package store

import (
	"context"
	"fmt"
)

// MarkDelivered records that the class's printed letters of a campaign were
// handed to the students: letters still 'produced' become 'delivered'. A
// letter already opened or acknowledged keeps its status. It returns how
// many letters changed.
func (s *Store) MarkDelivered(ctx context.Context, campaignID, classID int64) (int, error) {
	res, err := s.db.ExecContext(ctx, s.Rebind(`UPDATE letters SET status = 'delivered'
		WHERE campaign_id = ? AND status = 'produced'
		AND student_id IN (SELECT id FROM students WHERE class_id = ? AND active)`), campaignID, classID)
	if err != nil {
		return 0, fmt.Errorf("store: mark letters of class %d delivered: %w", classID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: mark letters of class %d delivered: %w", classID, err)
	}
	return int(n), nil
}
