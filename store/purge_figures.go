package store

import (
	"context"
	"fmt"
)

// ClassFigures are the figures of one class kept by a campaign's purge:
// the overview's Reach as it stood then, and what else a report may show.
type ClassFigures struct {
	Reach
	Delivered       int // letters handed out or seen (status past produced)
	QuizAnswered    int // acknowledgements with quiz answers
	QuizScoreSum    int // sum of their scores (average = QuizScoreSum / QuizAnswered)
	RemindersSent   int
	RemindersFailed int
}

// PurgedFigures returns the kept per-class figures of a purged campaign,
// for one school (schoolID != 0) or all; ok is false when the campaign has
// not been purged (read its letters instead). Rows come in school, grade,
// class order; the school's name is read now.
func (s *Store) PurgedFigures(ctx context.Context, campaignID, schoolID int64) (rows []ClassFigures, ok bool, err error) {
	return s.purgedFigures(ctx, s.db, campaignID, schoolID)
}

func (s *Store) purgedFigures(ctx context.Context, db queryer, campaignID, schoolID int64) (rows []ClassFigures, ok bool, err error) {
	if _, ok, err = s.campaignPurge(ctx, db, campaignID); err != nil || !ok {
		return nil, ok, err
	}
	q := `SELECT f.school_id, sc.name, f.class_id, f.class_name, f.grade, f.number, f.students, f.produced,
		f.opened, f.acknowledged, f.ack_qr, f.ack_sms, f.ack_typed, f.ack_paper,
		f.delivered, f.quiz_answered, f.quiz_score_sum, f.reminders_sent, f.reminders_failed
		FROM campaign_class_figures f JOIN schools sc ON sc.id = f.school_id
		WHERE f.campaign_id = ?`
	args := []any{campaignID}
	if schoolID != 0 {
		q += ` AND f.school_id = ?`
		args = append(args, schoolID)
	}
	q += ` ORDER BY sc.name, f.grade, f.number, f.class_id`
	r, err := db.QueryContext(ctx, s.Rebind(q), args...)
	if err != nil {
		return nil, true, fmt.Errorf("store: figures of campaign %d: %w", campaignID, err)
	}
	defer r.Close()
	for r.Next() {
		f := ClassFigures{Reach: Reach{Classes: 1}}
		if err := r.Scan(&f.SchoolID, &f.SchoolName, &f.ClassID, &f.ClassName, &f.Grade, &f.Number, &f.Students, &f.Produced,
			&f.Opened, &f.Acknowledged, &f.QR, &f.SMS, &f.Typed, &f.Paper,
			&f.Delivered, &f.QuizAnswered, &f.QuizScoreSum, &f.RemindersSent, &f.RemindersFailed); err != nil {
			return nil, true, fmt.Errorf("store: figures of campaign %d: %w", campaignID, err)
		}
		rows = append(rows, f)
	}
	if err := r.Err(); err != nil {
		return nil, true, fmt.Errorf("store: figures of campaign %d: %w", campaignID, err)
	}
	return rows, true, nil
}

// PurgedReach is PurgedFigures as the overview's per-class Reach rows, the
// same rows reachRows reads from letters, so the reach code can use it in
// place of the letters for a purged campaign:
//
//	if rows, ok, err := s.PurgedReach(ctx, campaignID, schoolID); err != nil || ok {
//		return rows, err
//	}
func (s *Store) PurgedReach(ctx context.Context, campaignID, schoolID int64) ([]Reach, bool, error) {
	figs, ok, err := s.PurgedFigures(ctx, campaignID, schoolID)
	if err != nil || !ok {
		return nil, ok, err
	}
	out := make([]Reach, len(figs))
	for i, f := range figs {
		out[i] = f.Reach
	}
	return out, true, nil
}
