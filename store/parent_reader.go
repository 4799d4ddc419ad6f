package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// ParentReader serves the parent page's lookup by token. A view reads the
// letter and its student; what the page shows of the letter's campaign,
// class and school (names, quiz, deadline, content version, school
// details, class meeting) is the same for every letter of a class, so the
// whole lookup (parentLetterSelect) runs once per class and campaign and
// its answer is kept as the class's part. The view's query also reads
// parent_generation, which triggers bump on any change to those rows
// (migration 070): a part older than the generation is dropped, so a
// change made through any instance shows on the next view.
//
// Profiles of parent page views under load showed the seven-table join as
// a quarter of the process's time. A column added to parentLetterSelect
// that differs by letter or student must be read by letterQuery as well
// and set in ByToken (TestParentReaderShowsChangesMadeThroughAnotherInstance
// compares the two lookups).
type ParentReader struct {
	letter, whole *sql.Stmt

	mu    sync.RWMutex
	gen   int64
	parts map[partKey]classPart
}

// partKey identifies the shared part of a letter's page.
type partKey struct{ campaign, class, school int64 }

// classPart is a letter of the class as the whole lookup read it, and
// its campaign's content version.
type classPart struct {
	p               ParentLetter
	campaignVersion int64
}

// parentPartsMax bounds the kept parts (a class each): past it they are
// dropped and read again.
const parentPartsMax = 20000

// letterQuery reads what differs by letter and student, the keys of the
// shared part and the generation.
const letterQuery = `SELECT l.id, l.campaign_id, l.student_id, l.token, l.status, st.name, l.produced_at,
	l.first_opened_at, l.last_opened_at, l.acknowledged_at, l.ack_channel, l.ack_relation, l.quiz_answers, l.quiz_score,
	COALESCE(l.content_version_id, 0), st.class_id, st.school_id, g.n
	FROM letters l
	JOIN students st ON st.id = l.student_id
	CROSS JOIN parent_generation g
	WHERE l.token = ? AND g.id = 1`

// NewParentReader prepares the parent page's lookups. Close it when done.
func (s *Store) NewParentReader(ctx context.Context) (*ParentReader, error) {
	letter, err := s.db.PrepareContext(ctx, s.Rebind(letterQuery))
	if err != nil {
		return nil, fmt.Errorf("store: prepare parent lookup: %w", err)
	}
	whole := strings.Replace(parentLetterSelect, "\n\tFROM letters l", ", COALESCE(ca.content_version_id, 0)\n\tFROM letters l", 1)
	if whole == parentLetterSelect {
		letter.Close()
		return nil, fmt.Errorf("store: parent lookup: no FROM letters l in parentLetterSelect")
	}
	stmt, err := s.db.PrepareContext(ctx, s.Rebind(whole+` WHERE l.token = ?`))
	if err != nil {
		letter.Close()
		return nil, fmt.Errorf("store: prepare parent lookup: %w", err)
	}
	return &ParentReader{letter: letter, whole: stmt}, nil
}

// ByToken returns what ParentLetterByToken returns, the campaign's, class's
// and school's part from what it keeps when that is current.
func (r *ParentReader) ByToken(ctx context.Context, token string) (ParentLetter, error) {
	var own ParentLetter
	var first, last, acked sql.NullTime
	var score sql.NullInt64
	var k partKey
	var gen, ownVersion int64
	err := r.letter.QueryRowContext(ctx, token).Scan(&own.LetterID, &own.CampaignID, &own.StudentID, &own.Token, &own.Status,
		&own.StudentName, &own.ProducedAt, &first, &last, &acked, &own.AckChannel, &own.AckRelation, &own.QuizAnswers, &score,
		&ownVersion, &k.class, &k.school, &gen)
	if err != nil {
		return ParentLetter{}, notFound(err, "letter by token")
	}
	k.campaign = own.CampaignID
	r.mu.RLock()
	part, ok := r.parts[k]
	ok = ok && r.gen == gen
	r.mu.RUnlock()
	if !ok {
		// The whole lookup, after the generation was read: whatever
		// committed before that is seen by this later statement.
		var p ParentLetter
		var campaignVersion int64
		p, err = scanParentLetter(extraColumn{r.whole.QueryRowContext(ctx, token), &campaignVersion})
		if err != nil {
			return ParentLetter{}, notFound(err, "letter by token")
		}
		r.keep(k, gen, classPart{p, campaignVersion})
		return p, nil
	}
	p := part.p
	p.LetterID, p.CampaignID, p.StudentID, p.Token, p.Status = own.LetterID, own.CampaignID, own.StudentID, own.Token, own.Status
	p.StudentName, p.ProducedAt = own.StudentName, own.ProducedAt.UTC()
	p.FirstOpenedAt, p.LastOpenedAt, p.AcknowledgedAt = utcOrZero(first), utcOrZero(last), utcOrZero(acked)
	p.AckChannel, p.AckRelation, p.QuizAnswers = own.AckChannel, own.AckRelation, own.QuizAnswers
	p.QuizScore, p.QuizAnswered = int(score.Int64), score.Valid
	p.ContentVersionID = ownVersion
	if ownVersion == 0 {
		p.ContentVersionID = part.campaignVersion
	}
	return p, nil
}

// keep keeps part for k as read at generation gen, unless the kept parts
// are newer.
func (r *ParentReader) keep(k partKey, gen int64, part classPart) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if gen < r.gen {
		return
	}
	if gen > r.gen || len(r.parts) >= parentPartsMax {
		r.parts, r.gen = nil, gen
	}
	if r.parts == nil {
		r.parts = map[partKey]classPart{}
	}
	r.parts[k] = part
}

// extraColumn scans one more column after those its caller asks for.
type extraColumn struct {
	row  *sql.Row
	dest any
}

func (e extraColumn) Scan(dest ...any) error { return e.row.Scan(append(dest, e.dest)...) }

// Close releases the prepared statements.
func (r *ParentReader) Close() error {
	return errors.Join(r.letter.Close(), r.whole.Close())
}
