package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ParentReader serves the parent page's lookup by token. A view reads the
// letter and its student with prepared statements; what the page shows of
// the letter's campaign, class and school (names, quiz, deadline, content
// version, school details, class meeting) is the same for every letter of
// a class, so it is read once per class and campaign and kept. The view's
// query also reads parent_generation, which triggers bump on any change to
// those rows (migration 070): a kept part older than the generation is
// dropped, so a change made through any instance shows on the next view.
// Profiles of parent page views under load showed the seven-table join as
// most of a view's time in the database.
type ParentReader struct {
	letter, context *sql.Stmt

	mu    sync.RWMutex
	gen   int64
	parts map[partKey]letterPart
}

// partKey identifies the shared part of a letter's page.
type partKey struct{ campaign, class, school int64 }

// letterPart is that part: the fields of ParentLetter read from the
// campaign, class, school, school details and class meeting.
type letterPart struct {
	className, headTeacher, schoolName, campaignName, ackDeadline string
	grade                                                         int
	quizEnabled                                                   bool
	contentVersionID                                              int64
	schoolPhone, feeRule, policeStation, policePhone, meetingDay  string
}

// parentPartsMax bounds the kept parts (a class each): past it they are
// dropped and read again.
const parentPartsMax = 20000

// NewParentReader prepares the parent page's lookups. Close it when done.
func (s *Store) NewParentReader(ctx context.Context) (*ParentReader, error) {
	letter, err := s.db.PrepareContext(ctx, s.Rebind(`SELECT l.id, l.campaign_id, l.student_id, l.token, l.status,
		st.name, st.class_id, st.school_id, l.produced_at,
		l.first_opened_at, l.last_opened_at, l.acknowledged_at, l.ack_channel, l.ack_relation, l.quiz_answers, l.quiz_score,
		COALESCE(l.content_version_id, 0), g.n
		FROM letters l
		JOIN students st ON st.id = l.student_id
		CROSS JOIN parent_generation g
		WHERE l.token = ? AND g.id = 1`))
	if err != nil {
		return nil, fmt.Errorf("store: prepare parent lookup: %w", err)
	}
	part, err := s.db.PrepareContext(ctx, s.Rebind(`SELECT c.name, c.grade, c.head_teacher, sc.name,
		ca.name, ca.quiz_enabled, ca.ack_deadline, COALESCE(ca.content_version_id, 0),
		COALESCE(sd.phone, ''), COALESCE(sd.fee_rule, ''), COALESCE(sd.police_station, ''), COALESCE(sd.police_phone, ''),
		COALESCE(cm.held_on, '')
		FROM classes c
		JOIN schools sc ON sc.id = ?
		JOIN campaigns ca ON ca.id = ?
		LEFT JOIN school_details sd ON sd.school_id = sc.id
		LEFT JOIN class_meetings cm ON cm.campaign_id = ca.id AND cm.class_id = c.id
		WHERE c.id = ?`))
	if err != nil {
		letter.Close()
		return nil, fmt.Errorf("store: prepare parent lookup: %w", err)
	}
	return &ParentReader{letter: letter, context: part}, nil
}

// ByToken returns what ParentLetterByToken returns, the campaign's, class's
// and school's part from what it keeps when that is current.
func (r *ParentReader) ByToken(ctx context.Context, token string) (ParentLetter, error) {
	var p ParentLetter
	var first, last, acked sql.NullTime
	var score sql.NullInt64
	var k partKey
	var gen, ownVersion int64
	err := r.letter.QueryRowContext(ctx, token).Scan(&p.LetterID, &p.CampaignID, &p.StudentID, &p.Token, &p.Status,
		&p.StudentName, &k.class, &k.school, &p.ProducedAt,
		&first, &last, &acked, &p.AckChannel, &p.AckRelation, &p.QuizAnswers, &score, &ownVersion, &gen)
	if err != nil {
		return ParentLetter{}, notFound(err, "letter by token")
	}
	for _, t := range []struct {
		v  sql.NullTime
		to *time.Time
	}{{first, &p.FirstOpenedAt}, {last, &p.LastOpenedAt}, {acked, &p.AcknowledgedAt}} {
		if t.v.Valid {
			*t.to = t.v.Time.UTC()
		}
	}
	k.campaign = p.CampaignID
	part, err := r.part(ctx, k, gen)
	if err != nil {
		return ParentLetter{}, notFound(err, "letter by token")
	}
	p.ClassName, p.Grade, p.HeadTeacher, p.SchoolName = part.className, part.grade, part.headTeacher, part.schoolName
	p.CampaignName, p.QuizEnabled, p.AckDeadline = part.campaignName, part.quizEnabled, part.ackDeadline
	p.SchoolPhone, p.FeeRule, p.PoliceStation, p.PolicePhone = part.schoolPhone, part.feeRule, part.policeStation, part.policePhone
	p.MeetingDay, p.ContentVersionID = part.meetingDay, ownVersion
	if ownVersion == 0 {
		p.ContentVersionID = part.contentVersionID
	}
	p.QuizScore, p.QuizAnswered = int(score.Int64), score.Valid
	p.ProducedAt = p.ProducedAt.UTC()
	return p, nil
}

// part returns the shared part of k, read at generation gen or later.
// Reading it after the letter's row is what makes that so: whatever
// committed before gen was read is seen by the later statement.
func (r *ParentReader) part(ctx context.Context, k partKey, gen int64) (letterPart, error) {
	r.mu.RLock()
	pt, ok := r.parts[k]
	current := r.gen
	r.mu.RUnlock()
	if ok && current == gen {
		return pt, nil
	}
	err := r.context.QueryRowContext(ctx, k.school, k.campaign, k.class).Scan(&pt.className, &pt.grade, &pt.headTeacher, &pt.schoolName,
		&pt.campaignName, &pt.quizEnabled, &pt.ackDeadline, &pt.contentVersionID,
		&pt.schoolPhone, &pt.feeRule, &pt.policeStation, &pt.policePhone, &pt.meetingDay)
	if err != nil {
		return letterPart{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if gen < r.gen {
		return pt, nil // read for an older view: not kept
	}
	if gen > r.gen || len(r.parts) >= parentPartsMax {
		r.parts, r.gen = nil, gen
	}
	if r.parts == nil {
		r.parts = map[partKey]letterPart{}
	}
	r.parts[k] = pt
	return pt, nil
}

// Close releases the prepared statements.
func (r *ParentReader) Close() error {
	return errors.Join(r.letter.Close(), r.context.Close())
}
