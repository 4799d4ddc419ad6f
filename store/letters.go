package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Letter is the Letter to Parents of one student in one campaign. Its Token
// (stored without dashes; print it with FormatToken) is what the QR code
// and the typeable code on the receipt slip carry.
type Letter struct {
	ID             int64
	CampaignID     int64
	StudentID      int64
	Token          string
	Status         string // StatusProduced … StatusAcknowledged
	ProducedAt     time.Time
	FirstOpenedAt  *time.Time
	LastOpenedAt   *time.Time
	AcknowledgedAt *time.Time
	AckChannel     string // ChannelQR, ChannelSMS, ChannelTyped, ChannelPaper or ""
	AckRelation    string // 父亲, 母亲 … as the parent chose
	QuizAnswers    string
	QuizScore      *int
	AckEnteredBy   int64 // the user who entered a paper slip; 0 otherwise
}

// LetterCols is the column list scanLetter reads, for store files that
// select letters joined with other tables (aliased l).
const LetterCols = `l.id, l.campaign_id, l.student_id, l.token, l.status, l.produced_at, l.first_opened_at,
	l.last_opened_at, l.acknowledged_at, l.ack_channel, l.ack_relation, l.quiz_answers, l.quiz_score, l.ack_entered_by`

// ScanLetter reads the LetterCols columns from row.
func ScanLetter(row interface{ Scan(...any) error }) (Letter, error) {
	var l Letter
	var status string
	var first, last, acked sql.NullTime
	var score, by sql.NullInt64
	err := row.Scan(&l.ID, &l.CampaignID, &l.StudentID, &l.Token, &status, &l.ProducedAt, &first, &last, &acked,
		&l.AckChannel, &l.AckRelation, &l.QuizAnswers, &score, &by)
	l.Status = status
	l.ProducedAt = l.ProducedAt.UTC()
	l.FirstOpenedAt, l.LastOpenedAt, l.AcknowledgedAt = timePtr(first), timePtr(last), timePtr(acked)
	if score.Valid {
		v := int(score.Int64)
		l.QuizScore = &v
	}
	l.AckEnteredBy = by.Int64
	return l, err
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// token draws a new token from the store's randomness.
func (s *Store) token() (string, error) {
	s.randMu.Lock()
	defer s.randMu.Unlock()
	return newToken(s.rand)
}

// IssueLetters returns the letters of the students in a campaign, in the
// order of studentIDs, creating the missing ones with a fresh token and
// status produced. A student's letter and token never change once issued,
// so re-printing a letter prints the same code.
func (s *Store) IssueLetters(ctx context.Context, campaignID int64, studentIDs []int64) ([]Letter, error) {
	var uniq []int64
	seen := map[int64]bool{}
	for _, id := range studentIDs {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	found := map[int64]Letter{}
	err := s.Tx(ctx, func(tx *sql.Tx) error { return s.issueLetters(ctx, tx, campaignID, uniq, found) })
	if err != nil {
		return nil, fmt.Errorf("store: issue letters of campaign %d: %w", campaignID, err)
	}
	out := make([]Letter, 0, len(studentIDs))
	for _, id := range studentIDs {
		out = append(out, found[id])
	}
	return out, nil
}

// issueLetters adds to found the campaign's letters of studentIDs (no
// repeats), creating the missing ones in tx.
func (s *Store) issueLetters(ctx context.Context, tx *sql.Tx, campaignID int64, studentIDs []int64, found map[int64]Letter) error {
	if err := s.loadLetters(ctx, tx, campaignID, studentIDs, found); err != nil {
		return err
	}
	// A token collision (odds ~2^-59 per pair) makes ON CONFLICT skip the
	// row; the next round gives that student another token.
	for round := 0; round < 5; round++ {
		var missing []int64
		for _, id := range studentIDs {
			if _, ok := found[id]; !ok {
				missing = append(missing, id)
			}
		}
		if len(missing) == 0 {
			return nil
		}
		now := s.Now()
		args := make([]any, 0, len(missing)*5)
		for _, id := range missing {
			tok, err := s.token()
			if err != nil {
				return err
			}
			args = append(args, campaignID, id, tok, StatusProduced, now)
		}
		if err := s.insertRows(ctx, tx, "letters", `campaign_id bigint, student_id bigint, token text, status text, produced_at timestamptz`,
			` ON CONFLICT DO NOTHING`, args); err != nil {
			return err
		}
		if err := s.loadLetters(ctx, tx, campaignID, missing, found); err != nil {
			return err
		}
	}
	return fmt.Errorf("could not find unused tokens")
}

// loadLetters adds to found the campaign's letters of studentIDs.
func (s *Store) loadLetters(ctx context.Context, q queryer, campaignID int64, studentIDs []int64, found map[int64]Letter) error {
	const per = maxBatchParams - 1
	for start := 0; start < len(studentIDs); start += per {
		chunk := studentIDs[start:min(start+per, len(studentIDs))]
		args := make([]any, 0, len(chunk)+1)
		args = append(args, campaignID)
		for _, id := range chunk {
			args = append(args, id)
		}
		rows, err := q.QueryContext(ctx, s.Rebind(`SELECT `+LetterCols+` FROM letters l WHERE l.campaign_id = ? AND l.student_id IN `+placeholders(1, len(chunk))), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			l, err := ScanLetter(rows)
			if err != nil {
				rows.Close()
				return err
			}
			found[l.StudentID] = l
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// CampaignLetters returns the campaign's letters of a class's students
// (transferred ones included), by student number.
func (s *Store) CampaignLetters(ctx context.Context, campaignID, classID int64) ([]Letter, error) {
	return s.campaignLetters(ctx, s.db, campaignID, classID)
}

func (s *Store) campaignLetters(ctx context.Context, q queryer, campaignID, classID int64) ([]Letter, error) {
	rows, err := q.QueryContext(ctx, s.Rebind(`SELECT `+LetterCols+` FROM letters l
		JOIN students st ON st.id = l.student_id
		WHERE l.campaign_id = ? AND st.class_id = ? ORDER BY st.number, st.id`), campaignID, classID)
	if err != nil {
		return nil, fmt.Errorf("store: letters of class %d: %w", classID, err)
	}
	defer rows.Close()
	var out []Letter
	for rows.Next() {
		l, err := ScanLetter(rows)
		if err != nil {
			return nil, fmt.Errorf("store: letters of class %d: %w", classID, err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// LetterView is a letter with what the parent page shows around it.
type LetterView struct {
	Letter   Letter
	Student  Student // without guardians
	Class    Class   // ActiveStudents not filled
	School   School
	Campaign Campaign // without schools and templates
}

// LetterByToken finds a letter by its stored token (see NormalizeToken for
// what a parent typed) with its student, class, school and campaign, in one
// query: the parent page's only read.
func (s *Store) LetterByToken(ctx context.Context, token string) (LetterView, error) {
	var v LetterView
	row := s.db.QueryRowContext(ctx, s.Rebind(`SELECT `+LetterCols+`, `+studentCols+`,
		c.id, c.school_id, c.grade, c.number, c.name, c.head_teacher,
		sc.id, sc.name, sc.created_at,
		ca.id, ca.name, ca.term, ca.ack_deadline, ca.quiz_enabled, ca.created_at
		FROM letters l
		JOIN students st ON st.id = l.student_id
		JOIN classes c ON c.id = st.class_id
		JOIN schools sc ON sc.id = st.school_id
		JOIN campaigns ca ON ca.id = l.campaign_id
		WHERE l.token = ?`), token)
	var status string
	var first, last, acked sql.NullTime
	var score, by sql.NullInt64
	l, st, c, sc, ca := &v.Letter, &v.Student, &v.Class, &v.School, &v.Campaign
	err := row.Scan(&l.ID, &l.CampaignID, &l.StudentID, &l.Token, &status, &l.ProducedAt, &first, &last, &acked,
		&l.AckChannel, &l.AckRelation, &l.QuizAnswers, &score, &by,
		&st.ID, &st.SchoolID, &st.ClassID, &st.Number, &st.Name, &st.Gender, &st.BirthDate, &st.Active, &st.UpdatedAt,
		&c.ID, &c.SchoolID, &c.Grade, &c.Number, &c.Name, &c.HeadTeacher,
		&sc.ID, &sc.Name, &sc.CreatedAt,
		&ca.ID, &ca.Name, &ca.Term, &ca.AckDeadline, &ca.QuizEnabled, &ca.CreatedAt)
	if err != nil {
		return LetterView{}, notFound(err, "letter")
	}
	l.Status = status
	l.ProducedAt = l.ProducedAt.UTC()
	l.FirstOpenedAt, l.LastOpenedAt, l.AcknowledgedAt = timePtr(first), timePtr(last), timePtr(acked)
	if score.Valid {
		n := int(score.Int64)
		l.QuizScore = &n
	}
	l.AckEnteredBy = by.Int64
	st.UpdatedAt = st.UpdatedAt.UTC()
	sc.CreatedAt = sc.CreatedAt.UTC()
	ca.CreatedAt = ca.CreatedAt.UTC()
	return v, nil
}
