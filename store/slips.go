package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Paper slips (回执): the class's students with their letter, and the
// slips a teacher ticks as returned, recorded as paper acknowledgements.

// SlipRow is one student of a class on the paper-slip page: the letter of
// the campaign and how (if at all) it was acknowledged.
type SlipRow struct {
	StudentID      int64
	Number         string
	Name           string
	LetterID       int64 // 0 when no letter was produced for the student
	Status         string
	AcknowledgedAt time.Time
	AckChannel     string
	AckEnteredBy   int64
}

// Paper says whether the row's acknowledgement is a paper slip (which the
// teacher may undo) rather than the family's own.
func (r SlipRow) Paper() bool { return r.AckChannel == ChannelPaper }

// ClassSlips lists the active students of a class by student number with
// their letter of the campaign.
func (s *Store) ClassSlips(ctx context.Context, campaignID, classID int64) ([]SlipRow, error) {
	return s.classSlips(ctx, s.db, campaignID, classID)
}

func (s *Store) classSlips(ctx context.Context, q queryer, campaignID, classID int64) ([]SlipRow, error) {
	rows, err := q.QueryContext(ctx, s.Rebind(`SELECT st.id, st.number, st.name,
		COALESCE(l.id, 0), COALESCE(l.status, ''), l.acknowledged_at, COALESCE(l.ack_channel, ''), COALESCE(l.ack_entered_by, 0)
		FROM students st
		LEFT JOIN letters l ON l.student_id = st.id AND l.campaign_id = ?
		WHERE st.class_id = ? AND st.active = TRUE
		ORDER BY st.number, st.id`), campaignID, classID)
	if err != nil {
		return nil, fmt.Errorf("store: slips of class %d: %w", classID, err)
	}
	defer rows.Close()
	var out []SlipRow
	for rows.Next() {
		var r SlipRow
		var acked sql.NullTime
		if err := rows.Scan(&r.StudentID, &r.Number, &r.Name, &r.LetterID, &r.Status, &acked, &r.AckChannel, &r.AckEnteredBy); err != nil {
			return nil, fmt.Errorf("store: slips of class %d: %w", classID, err)
		}
		if acked.Valid {
			r.AcknowledgedAt = acked.Time.UTC()
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: slips of class %d: %w", classID, err)
	}
	return out, nil
}

// SlipChanges counts what SetPaperSlips changed.
type SlipChanges struct {
	Added   int // paper acknowledgements recorded
	Removed int // paper acknowledgements undone
}

// SetPaperSlips makes the paper acknowledgements of a class's letters in a
// campaign match returned, the students whose slips the teacher ticked, in
// one transaction: a ticked student whose letter is not acknowledged gets a
// paper acknowledgement entered by userID; an unticked student whose
// acknowledgement is on paper loses it (a mistaken tick). A family's own
// online acknowledgement is never touched, ticked or not.
func (s *Store) SetPaperSlips(ctx context.Context, campaignID, classID, userID int64, returned []int64) (SlipChanges, error) {
	var ch SlipChanges
	ticked := make(map[int64]bool, len(returned))
	for _, id := range returned {
		ticked[id] = true
	}
	now := s.Now()
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.Rebind(`SELECT l.id, st.id, l.acknowledged_at IS NOT NULL, l.ack_channel, l.first_opened_at IS NOT NULL
			FROM letters l JOIN students st ON st.id = l.student_id
			WHERE l.campaign_id = ? AND st.class_id = ?`), campaignID, classID)
		if err != nil {
			return err
		}
		type letterState struct {
			id      int64
			acked   bool
			channel string
			opened  bool
		}
		var add []int64
		var undo []letterState
		for rows.Next() {
			var l letterState
			var studentID int64
			if err := rows.Scan(&l.id, &studentID, &l.acked, &l.channel, &l.opened); err != nil {
				rows.Close()
				return err
			}
			switch {
			case ticked[studentID] && !l.acked:
				add = append(add, l.id)
			case !ticked[studentID] && l.acked && l.channel == ChannelPaper:
				undo = append(undo, l)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(add) > 0 {
			err := s.execIn(ctx, tx, `UPDATE letters SET status = 'acknowledged', acknowledged_at = ?, ack_channel = 'paper',
				ack_relation = '', ack_entered_by = ? WHERE acknowledged_at IS NULL AND id IN (…)`, []any{now, userID}, add)
			if err != nil {
				return err
			}
		}
		for _, l := range undo {
			// The slip came home, so the letter was at least delivered.
			status := StatusDelivered
			if l.opened {
				status = StatusOpened
			}
			if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE letters SET status = ?, acknowledged_at = NULL, ack_channel = '',
				ack_relation = '', ack_entered_by = NULL WHERE id = ? AND ack_channel = 'paper'`), status, l.id); err != nil {
				return err
			}
		}
		ch = SlipChanges{Added: len(add), Removed: len(undo)}
		return nil
	})
	if err != nil {
		return SlipChanges{}, fmt.Errorf("store: paper slips of class %d: %w", classID, err)
	}
	return ch, nil
}
