package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
)

// ReachFilter narrows a breakdown of a campaign's reach to one school and
// further to one class when those are non-zero.
type ReachFilter struct {
	CampaignID int64
	SchoolID   int64
	ClassID    int64
}

// GradeReach is the reach of one grade within a filter, with the quiz
// answers of its acknowledged families.
type GradeReach struct {
	Reach
	QuizAnswered int // letters whose quiz was answered
	QuizScoreSum int // sum of their scores (questions right)
	// Answers counts the answer strings ("BCA": the letter chosen per
	// question), so the caller can score each question against the key of
	// the grade's letter.
	Answers map[string]int
}

// DayCount is the number of acknowledgements made on one day, China time
// (YYYY-MM-DD).
type DayCount struct {
	Day   string
	Count int
}

// filterSQL appends the school and class conditions of f.
func filterSQL(q string, args []any, f ReachFilter, school, class string) (string, []any) {
	if f.SchoolID != 0 {
		q += ` AND ` + school + ` = ?`
		args = append(args, f.SchoolID)
	}
	if f.ClassID != 0 {
		q += ` AND ` + class + ` = ?`
		args = append(args, f.ClassID)
	}
	return q, args
}

// GradesOf folds class rows (ReachByClass, ReachDistrict) into one row per
// grade, lowest grade first, with empty quiz tallies (AddQuiz fills them).
func GradesOf(classes []Reach) []GradeReach {
	byGrade := map[int]*GradeReach{}
	for _, r := range classes {
		gr, ok := byGrade[r.Grade]
		if !ok {
			gr = &GradeReach{Reach: Reach{Grade: r.Grade}, Answers: map[string]int{}}
			byGrade[r.Grade] = gr
		}
		gr.Add(r)
	}
	out := make([]GradeReach, 0, len(byGrade))
	for _, gr := range byGrade {
		out = append(out, *gr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Grade < out[j].Grade })
	return out
}

// AddQuiz adds the quiz answers of the filter's active students to their
// grades: one aggregate query over the answered quizzes only. For a purged
// campaign the kept per-class counts give how many answered and their
// scores, but no longer the answers.
func (s *Store) AddQuiz(ctx context.Context, f ReachFilter, grades []GradeReach) error {
	at := map[int]*GradeReach{}
	for i := range grades {
		at[grades[i].Grade] = &grades[i]
	}
	figs, purged, err := s.PurgedFigures(ctx, f.CampaignID, f.SchoolID)
	if err != nil {
		return err
	}
	if purged {
		for _, fg := range figs {
			if g := at[fg.Grade]; g != nil && (f.ClassID == 0 || f.ClassID == fg.ClassID) {
				g.QuizAnswered += fg.QuizAnswered
				g.QuizScoreSum += fg.QuizScoreSum
			}
		}
		return nil
	}
	q, args := filterSQL(`SELECT c.grade, l.quiz_answers, COUNT(*), COALESCE(SUM(l.quiz_score), 0)
	FROM letters l
	JOIN students st ON st.id = l.student_id
	JOIN classes c ON c.id = st.class_id
	WHERE l.campaign_id = ? AND l.quiz_score IS NOT NULL AND st.active = TRUE`, []any{f.CampaignID}, f, "st.school_id", "st.class_id")
	q += ` GROUP BY c.grade, l.quiz_answers`
	rows, err := s.db.QueryContext(ctx, s.Rebind(q), args...)
	if err != nil {
		return fmt.Errorf("store: quiz of campaign %d: %w", f.CampaignID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var grade, n, sum int
		var answers string
		if err := rows.Scan(&grade, &answers, &n, &sum); err != nil {
			return fmt.Errorf("store: quiz of campaign %d: %w", f.CampaignID, err)
		}
		g := at[grade]
		if g == nil {
			continue // a class outside the rows the caller asked about
		}
		g.QuizAnswered += n
		g.QuizScoreSum += sum
		g.Answers[answers] += n
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: quiz of campaign %d: %w", f.CampaignID, err)
	}
	return nil
}

// ReachByGrade returns the reach per grade of the filter, lowest grade
// first, with the quiz answers (reachRows and AddQuiz). Callers that have
// the class rows already use GradesOf and AddQuiz instead.
func (s *Store) ReachByGrade(ctx context.Context, f ReachFilter) ([]GradeReach, error) {
	classes, err := s.reachRows(ctx, f.CampaignID, f.SchoolID)
	if err != nil {
		return nil, err
	}
	if f.ClassID != 0 {
		classes = slices.DeleteFunc(classes, func(r Reach) bool { return r.ClassID != f.ClassID })
	}
	grades := GradesOf(classes)
	return grades, s.AddQuiz(ctx, f, grades)
}

// AcksPerDay counts the acknowledgements of active students per day in
// China time (UTC+8, no daylight saving), oldest day first.
func (s *Store) AcksPerDay(ctx context.Context, f ReachFilter) ([]DayCount, error) {
	day := `date(l.acknowledged_at, '+8 hours')`
	if s.dialect == Postgres {
		day = `to_char(l.acknowledged_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`
	}
	q, args := filterSQL(`SELECT `+day+`, COUNT(*)
	FROM letters l JOIN students st ON st.id = l.student_id
	WHERE l.campaign_id = ? AND l.acknowledged_at IS NOT NULL AND st.active = TRUE`, []any{f.CampaignID}, f, "st.school_id", "st.class_id")
	q += ` GROUP BY 1 ORDER BY 1`
	rows, err := s.db.QueryContext(ctx, s.Rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: acknowledgements per day of campaign %d: %w", f.CampaignID, err)
	}
	defer rows.Close()
	var out []DayCount
	for rows.Next() {
		var d DayCount
		if err := rows.Scan(&d.Day, &d.Count); err != nil {
			return nil, fmt.Errorf("store: acknowledgements per day of campaign %d: %w", f.CampaignID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// NonResponder is an active student of a class whose family has not
// acknowledged the campaign's letter, with the guardians on the roster.
type NonResponder struct {
	StudentID int64
	Number    string
	Name      string
	HasLetter bool // false: no letter produced yet
	Opened    bool // the family opened the letter's page but did not acknowledge
	Guardians []NonResponderGuardian
}

// NonResponderGuardian is a guardian of a non-responding family.
type NonResponderGuardian struct {
	Name, Relation, Mobile string
}

// NonResponders lists the active students of a class whose letter in the
// campaign is not acknowledged (or not produced), by student number.
func (s *Store) NonResponders(ctx context.Context, campaignID, classID int64) ([]NonResponder, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT st.id, st.number, st.name, l.id IS NOT NULL, l.first_opened_at IS NOT NULL,
		COALESCE(g.name, ''), COALESCE(NULLIF(sg.relation, ''), g.relation, ''), COALESCE(g.mobile, '')
		FROM students st
		LEFT JOIN letters l ON l.student_id = st.id AND l.campaign_id = ?
		LEFT JOIN student_guardians sg ON sg.student_id = st.id
		LEFT JOIN guardians g ON g.id = sg.guardian_id
		WHERE st.class_id = ? AND st.active = TRUE AND l.acknowledged_at IS NULL
		ORDER BY st.number, st.id, sg.position`), campaignID, classID)
	if err != nil {
		return nil, fmt.Errorf("store: non-responders of class %d: %w", classID, err)
	}
	defer rows.Close()
	var out []NonResponder
	for rows.Next() {
		var n NonResponder
		var g NonResponderGuardian
		if err := rows.Scan(&n.StudentID, &n.Number, &n.Name, &n.HasLetter, &n.Opened, &g.Name, &g.Relation, &g.Mobile); err != nil {
			return nil, fmt.Errorf("store: non-responders of class %d: %w", classID, err)
		}
		if len(out) == 0 || out[len(out)-1].StudentID != n.StudentID {
			out = append(out, n)
		}
		if g.Name != "" || g.Mobile != "" {
			last := &out[len(out)-1]
			last.Guardians = append(last.Guardians, g)
		}
	}
	return out, rows.Err()
}
