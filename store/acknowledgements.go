package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Acknowledgement channels, as stored in letters.ack_channel.
const (
	ChannelQR    = "qr"    // the parent scanned the QR code on the paper letter
	ChannelSMS   = "sms"   // the parent followed the link of a reminder SMS
	ChannelTyped = "typed" // the parent typed the code from the slip at /a
	ChannelPaper = "paper" // the teacher recorded a returned paper slip
)

// Letter statuses, as stored in letters.status, in the order a letter
// normally goes through them.
const (
	StatusProduced     = "produced"
	StatusDelivered    = "delivered"
	StatusOpened       = "opened"
	StatusAcknowledged = "acknowledged"
)

// ParentLetter is everything the parent page shows about one letter, read
// by ParentLetterByToken in one indexed query.
type ParentLetter struct {
	LetterID    int64
	CampaignID  int64
	StudentID   int64
	Token       string
	Status      string
	StudentName string
	ClassName   string
	Grade       int
	HeadTeacher string
	SchoolName  string
	ProducedAt  time.Time

	CampaignName string
	QuizEnabled  bool
	AckDeadline  string // "2026-12-01" or ""

	FirstOpenedAt  time.Time // zero when never opened
	LastOpenedAt   time.Time
	AcknowledgedAt time.Time // zero when not acknowledged
	AckChannel     string
	AckRelation    string
	QuizAnswers    string // the answers as given, e.g. "BCA"; "" when none
	QuizScore      int    // valid when QuizAnswered
	QuizAnswered   bool

	// ContentVersionID is the content version the letter shows: its own
	// once the campaign has moved on, else the campaign's pinned one.
	ContentVersionID int64
	// School details the letter may print (school_details.go).
	SchoolPhone, FeeRule, PoliceStation, PolicePhone string
	// MeetingDay is the day ('YYYY-MM-DD', China) the class held its class
	// meeting in the campaign, as the printed letter says; "" when none.
	MeetingDay string
	// AlertsVersion changes whenever an alert of the campaign is made,
	// edited or withdrawn: the page's cached alert block is stale when it
	// was rendered for another version (app/parent/alerts.go).
	AlertsVersion int64
	// Opening is the campaign's opening line (campaign_opening.go), "" for none.
	Opening string
}

// Acknowledged says whether the letter has been acknowledged (online or on paper).
func (p ParentLetter) Acknowledged() bool { return !p.AcknowledgedAt.IsZero() }

const parentLetterSelect = `SELECT l.id, l.campaign_id, l.student_id, l.token, l.status,
	st.name, c.name, c.grade, c.head_teacher, sc.name, l.produced_at,
	ca.name, ca.quiz_enabled, ca.ack_deadline,
	l.first_opened_at, l.last_opened_at, l.acknowledged_at, l.ack_channel, l.ack_relation, l.quiz_answers, l.quiz_score,
	COALESCE(l.content_version_id, ca.content_version_id, 0),
	COALESCE(sd.phone, ''), COALESCE(sd.fee_rule, ''), COALESCE(sd.police_station, ''), COALESCE(sd.police_phone, ''),
	COALESCE(cm.held_on, ''), ca.alerts_version, ca.opening
	FROM letters l
	JOIN students st ON st.id = l.student_id
	JOIN classes c ON c.id = st.class_id
	JOIN schools sc ON sc.id = st.school_id
	JOIN campaigns ca ON ca.id = l.campaign_id
	LEFT JOIN school_details sd ON sd.school_id = st.school_id
	LEFT JOIN class_meetings cm ON cm.campaign_id = l.campaign_id AND cm.class_id = st.class_id`

func scanParentLetter(row interface{ Scan(...any) error }) (ParentLetter, error) {
	var p ParentLetter
	var first, last, acked sql.NullTime
	var score sql.NullInt64
	err := row.Scan(&p.LetterID, &p.CampaignID, &p.StudentID, &p.Token, &p.Status,
		&p.StudentName, &p.ClassName, &p.Grade, &p.HeadTeacher, &p.SchoolName, &p.ProducedAt,
		&p.CampaignName, &p.QuizEnabled, &p.AckDeadline,
		&first, &last, &acked, &p.AckChannel, &p.AckRelation, &p.QuizAnswers, &score,
		&p.ContentVersionID, &p.SchoolPhone, &p.FeeRule, &p.PoliceStation, &p.PolicePhone, &p.MeetingDay, &p.AlertsVersion, &p.Opening)
	if first.Valid {
		p.FirstOpenedAt = first.Time.UTC()
	}
	if last.Valid {
		p.LastOpenedAt = last.Time.UTC()
	}
	if acked.Valid {
		p.AcknowledgedAt = acked.Time.UTC()
	}
	p.QuizScore, p.QuizAnswered = int(score.Int64), score.Valid
	p.ProducedAt = p.ProducedAt.UTC()
	return p, err
}

// ParentLetterByToken returns the letter with the given token (already
// normalised by NormalizeToken) with its student, class, school and
// campaign. It reads only; opening is recorded by RecordOpens.
func (s *Store) ParentLetterByToken(ctx context.Context, token string) (ParentLetter, error) {
	p, err := scanParentLetter(s.db.QueryRowContext(ctx, s.Rebind(parentLetterSelect+` WHERE l.token = ?`), token))
	if err != nil {
		return ParentLetter{}, notFound(err, "letter by token")
	}
	return p, nil
}

// LetterOpen is one or more views of a letter's parent page: the first and
// the last of them.
type LetterOpen struct {
	LetterID    int64
	First, Last time.Time
}

// RecordOpens records page views in one transaction: the first view of a
// letter is kept, the last one updated, and a produced or delivered letter
// becomes opened. The caller batches views, since a view must not cost a
// write of its own during an evening rush.
func (s *Store) RecordOpens(ctx context.Context, opens []LetterOpen) error {
	if len(opens) == 0 {
		return nil
	}
	// Rows in id order: two instances flushing overlapping letters lock
	// them in the same order and cannot deadlock.
	sorted := slices.Clone(opens)
	slices.SortFunc(sorted, func(a, b LetterOpen) int { return cmp.Compare(a.LetterID, b.LetterID) })
	row := "(?, ?, ?)"
	if s.dialect == Postgres {
		row = "(?::bigint, ?::timestamptz, ?::timestamptz)"
	}
	const per = 500
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		for start := 0; start < len(sorted); start += per {
			chunk := sorted[start:min(start+per, len(sorted))]
			args := make([]any, 0, 3*len(chunk))
			for _, o := range chunk {
				args = append(args, o.LetterID, o.First.UTC(), o.Last.UTC())
			}
			values := strings.TrimSuffix(strings.Repeat(row+",", len(chunk)), ",")
			// One statement per chunk: a flush costs one round trip per
			// 500 letters on PostgreSQL, not one per letter.
			_, err := tx.ExecContext(ctx, s.Rebind(`WITH v (id, first_at, last_at) AS (VALUES `+values+`)
				UPDATE letters SET
				first_opened_at = COALESCE(letters.first_opened_at, v.first_at),
				last_opened_at = v.last_at,
				status = CASE WHEN letters.status IN ('produced', 'delivered') THEN 'opened' ELSE letters.status END
				FROM v WHERE letters.id = v.id`), args...)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: record %d letter opens: %w", len(opens), err)
	}
	return nil
}

// Ack is a parent's (or a teacher's, for paper) acknowledgement of a letter.
type Ack struct {
	LetterID  int64
	Channel   string // ChannelQR, ChannelSMS, ChannelTyped or ChannelPaper
	Relation  string // 父亲, 母亲, 祖父母, 外祖父母, 其他, or "" for paper
	EnteredBy int64  // the user who recorded a paper slip; 0 for parents
	At        time.Time
}

// Acknowledge records ack unless the letter is already acknowledged: the
// first acknowledgement is kept and repeats change nothing, so a parent may
// press the button twice or reload. first says whether this call recorded
// it. The statement commits before Acknowledge returns: the caller may
// answer success once it returns nil.
func (s *Store) Acknowledge(ctx context.Context, ack Ack) (first bool, err error) {
	switch ack.Channel {
	case ChannelQR, ChannelSMS, ChannelTyped, ChannelPaper:
	default:
		return false, fmt.Errorf("store: acknowledge letter %d: unknown channel %q", ack.LetterID, ack.Channel)
	}
	if err := checkTexts("relation", ack.Relation); err != nil {
		return false, err
	}
	at := ack.At.UTC()
	if ack.At.IsZero() {
		at = s.Now()
	}
	res, err := s.db.ExecContext(ctx, s.Rebind(`UPDATE letters SET
		status = 'acknowledged', acknowledged_at = ?, ack_channel = ?, ack_relation = ?, ack_entered_by = ?
		WHERE id = ? AND acknowledged_at IS NULL`),
		at, ack.Channel, ack.Relation, nullID(ack.EnteredBy), ack.LetterID)
	if err != nil {
		return false, fmt.Errorf("store: acknowledge letter %d: %w", ack.LetterID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: acknowledge letter %d: %w", ack.LetterID, err)
	}
	if n == 0 {
		// Either acknowledged before, or no such letter: tell them apart.
		var exists int
		err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT 1 FROM letters WHERE id = ?`), ack.LetterID).Scan(&exists)
		if err != nil {
			return false, notFound(err, fmt.Sprintf("letter %d", ack.LetterID))
		}
	}
	return n == 1, nil
}

// SaveQuiz records the parent's quiz answers and score for an acknowledged
// letter. The first answers are kept (the page shows the explanations right
// away, so a second try would only measure the explanations); first says
// whether this call recorded them.
func (s *Store) SaveQuiz(ctx context.Context, letterID int64, answers string, score int) (first bool, err error) {
	if err := checkTexts("quiz_answers", answers); err != nil {
		return false, err
	}
	res, err := s.db.ExecContext(ctx, s.Rebind(`UPDATE letters SET quiz_answers = ?, quiz_score = ?
		WHERE id = ? AND quiz_score IS NULL AND acknowledged_at IS NOT NULL`), answers, score, letterID)
	if err != nil {
		return false, fmt.Errorf("store: quiz of letter %d: %w", letterID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: quiz of letter %d: %w", letterID, err)
	}
	return n == 1, nil
}

// AcknowledgeBatch records several acknowledgements in one transaction
// (group commit: one WAL append or one fsync for many parents pressing the
// button in the same moment). Each is kept only if its letter was not yet
// acknowledged; first[i] says whether acks[i] was recorded. Nothing is
// recorded when it returns an error.
func (s *Store) AcknowledgeBatch(ctx context.Context, acks []Ack) (first []bool, err error) {
	first = make([]bool, len(acks))
	// Letters in id order, so two instances' groups cannot deadlock.
	order := make([]int, len(acks))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(acks[a].LetterID, acks[b].LetterID) })
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, s.Rebind(`UPDATE letters SET
			status = 'acknowledged', acknowledged_at = ?, ack_channel = ?, ack_relation = ?, ack_entered_by = ?
			WHERE id = ? AND acknowledged_at IS NULL`))
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, i := range order {
			a := acks[i]
			switch a.Channel {
			case ChannelQR, ChannelSMS, ChannelTyped, ChannelPaper:
			default:
				return fmt.Errorf("letter %d: unknown channel %q", a.LetterID, a.Channel)
			}
			at := a.At.UTC()
			if a.At.IsZero() {
				at = s.Now()
			}
			res, err := stmt.ExecContext(ctx, at, a.Channel, a.Relation, nullID(a.EnteredBy), a.LetterID)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			first[i] = n == 1
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: acknowledge %d letters: %w", len(acks), err)
	}
	return first, nil
}
