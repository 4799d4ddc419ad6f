// Package reach holds how far a campaign's letters got: the overview's
// breakdowns per grade, age group, day and quiz, the classes furthest
// behind, a class's families not yet reached (phones masked) and the
// school year's campaigns. Functions take a *store.Store and values; the
// pages draw the charts (app/web).
package reach

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"jiashu/app/campaign"
	"jiashu/grade"
	"jiashu/letters"
	"jiashu/store"
)

// The overview's breakdowns (flow 5): per grade and age group, quiz
// results against the key of each age group's letter, acknowledgements per
// day as a server-drawn SVG bar chart, and for one class the families who
// have not responded. Two aggregate queries per view (store/reach_detail.go).

// Detail is what the overview shows below its main table.
type Detail struct {
	Grades []GradeRow
	Ages   []AgeRow
	Days   []store.DayCount // every day from the first acknowledgement to the last (EveryDay)
	// Class is the class drill-down's class; zero elsewhere.
	Class         store.Class
	NonResponders []NonResponderRow
	Purged        bool     // the campaign's personal data was purged: no families to list
	Teachers      []string // the class's teachers, to ask about its families
	// The non-responders split: opened the letter but not acknowledged,
	// and never opened (or no letter yet).
	OpenedNotAcked, NeverOpened []NonResponderRow
	// NoLetter: the class's families with no letter in the campaign yet,
	// counted apart: a reminder cannot reach them.
	NoLetter []NonResponderRow
	// Behind are the district's classes furthest behind (district view only).
	Behind []store.Reach
}

// BehindShown is how many of the classes furthest behind the district sees.
const BehindShown = 10

// FurthestBehind returns up to n classes that have students and families
// still missing, furthest behind first (classes is sorted so already).
func FurthestBehind(classes []store.Reach, n int) []store.Reach {
	var out []store.Reach
	for _, r := range classes {
		if len(out) == n {
			break
		}
		if r.Students > 0 && r.Missing() > 0 {
			out = append(out, r)
		}
	}
	return out
}

// GradeRow is the reach of one grade.
type GradeRow struct {
	Label string
	store.Reach
}

// AgeRow is the reach and quiz of one age group.
type AgeRow struct {
	Group string
	Label string
	store.Reach
	Quiz QuizTally
}

// QuizTally sums the quiz of one age group's letter.
type QuizTally struct {
	Answered int
	// Scored counts the answers kept to score per question: all of them,
	// except after a purge, which keeps only how many answered and the
	// scores.
	Scored    int
	Questions []QuizTallyQuestion
	ScoreSum  int
}

// Average is the mean score (questions right) of the answered quizzes.
func (q QuizTally) Average() string {
	if q.Answered == 0 {
		return "–"
	}
	return strconv.FormatFloat(float64(q.ScoreSum)/float64(q.Answered), 'f', 1, 64)
}

// QuizTallyQuestion is how many answered one question right.
type QuizTallyQuestion struct {
	N       int
	Text    string
	Right   int
	Percent int
}

// NonResponderRow is a family that has not acknowledged, phones masked.
type NonResponderRow struct {
	Number, Name string
	HasLetter    bool
	Opened       bool     // opened the letter, not acknowledged
	Guardians    []string // "王芳（母亲）138****1234"
}

// GradeLabel names a grade in t's language ("overview.grade_label" gets
// the Chinese name and the number: 三年级, Grade 3); 0 is a class without
// a grade.
func GradeLabel(t func(string) string, g int) string {
	n := grade.Name(g)
	if n == "" {
		return "—"
	}
	return fmt.Sprintf(t("overview.grade_label"), n, g)
}

// Breakdowns computes the overview's breakdowns: it needs the store, the
// letters (for each age group's quiz key) and the grade mapping.
type Breakdowns struct {
	Store     *store.Store
	Library   *letters.Library
	AgeGroups grade.Mapping
}

// Load fills the breakdowns of f from its class rows (already read
// for the page) and two more aggregate queries: the quiz answers and the
// acknowledgements per day. t translates the age groups' labels.
func (b Breakdowns) Load(ctx context.Context, t func(key string) string, f store.ReachFilter, classes []store.Reach) (Detail, error) {
	var d Detail
	grades := store.GradesOf(classes)
	if err := b.Store.AddQuiz(ctx, f, grades); err != nil {
		return d, err
	}
	days, err := b.Store.AcksPerDay(ctx, f)
	if err != nil {
		return d, err
	}
	d.Days = EveryDay(days)
	ages := map[grade.AgeGroup]*AgeRow{}
	for _, g := range grades {
		d.Grades = append(d.Grades, GradeRow{Label: GradeLabel(t, g.Grade), Reach: g.Reach})
		ag := b.AgeGroups.Of(g.Grade)
		r, ok := ages[ag]
		if !ok {
			r = &AgeRow{Group: string(ag), Label: t("agegroup." + string(ag))}
			if tpl, err := b.Library.Template(string(ag)); err == nil {
				for i, q := range tpl.Quiz {
					r.Quiz.Questions = append(r.Quiz.Questions, QuizTallyQuestion{N: i + 1, Text: q.Text})
				}
			}
			ages[ag] = r
		}
		r.Reach.Add(g.Reach)
		r.Quiz.Answered += g.QuizAnswered
		r.Quiz.ScoreSum += g.QuizScoreSum
		tpl, err := b.Library.Template(string(ag))
		if err != nil {
			continue
		}
		for answers, n := range g.Answers {
			r.Quiz.Scored += n
			for i := 0; i < len(answers) && i < len(tpl.Quiz); i++ {
				if int(answers[i]-'A') == tpl.Quiz[i].Answer {
					r.Quiz.Questions[i].Right += n
				}
			}
		}
	}
	for _, ag := range grade.AgeGroups() {
		r, ok := ages[ag]
		if !ok {
			continue
		}
		for i := range r.Quiz.Questions {
			if r.Quiz.Scored > 0 {
				r.Quiz.Questions[i].Percent = r.Quiz.Questions[i].Right * 100 / r.Quiz.Scored
			}
		}
		d.Ages = append(d.Ages, *r)
	}
	return d, nil
}

// EveryDay is the acknowledgements per day from the first day with any to
// the last, the days without any included as zeros, so that a chart's or a
// sheet's time axis is true.
func EveryDay(days []store.DayCount) []store.DayCount {
	if len(days) == 0 {
		return nil
	}
	first, err1 := time.Parse(time.DateOnly, days[0].Day)
	last, err2 := time.Parse(time.DateOnly, days[len(days)-1].Day)
	if err := errors.Join(err1, err2); err != nil || last.Before(first) {
		return nil
	}
	counts := map[string]int{}
	for _, d := range days {
		counts[d.Day] = d.Count
	}
	n := int(last.Sub(first).Hours()/24) + 1
	out := make([]store.DayCount, n)
	for i := range n {
		k := first.AddDate(0, 0, i).Format(time.DateOnly)
		out[i] = store.DayCount{Day: k, Count: counts[k]}
	}
	return out
}

// SplitOpened splits non-responders into those who opened the letter,
// those who never did, and those who have no letter in the campaign yet
// (尚未生成家书: no reminder can reach them, only a letter).
func SplitOpened(rows []NonResponderRow) (opened, never, noLetter []NonResponderRow) {
	for _, r := range rows {
		switch {
		case !r.HasLetter:
			noLetter = append(noLetter, r)
		case r.Opened:
			opened = append(opened, r)
		default:
			never = append(never, r)
		}
	}
	return opened, never, noLetter
}

// NonResponderRows masks the phones of a class's non-responders.
func NonResponderRows(list []store.NonResponder) []NonResponderRow {
	out := make([]NonResponderRow, 0, len(list))
	for _, n := range list {
		r := NonResponderRow{Number: n.Number, Name: n.Name, HasLetter: n.HasLetter, Opened: n.Opened}
		for _, g := range n.Guardians {
			s := g.Name
			if g.Relation != "" {
				s += "（" + g.Relation + "）"
			}
			if g.Mobile != "" {
				s += " " + campaign.MaskPhone(g.Mobile)
			}
			r.Guardians = append(r.Guardians, s)
		}
		out = append(out, r)
	}
	return out
}
