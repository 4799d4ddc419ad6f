package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/grade"
	"jiashu/store"
)

// The overview's breakdowns (flow 5): per grade and age group, quiz
// results against the key of each age group's letter, acknowledgements per
// day as a server-drawn SVG bar chart, and for one class the families who
// have not responded. Two aggregate queries per view (store/reach_detail.go).

// overviewDetail is what the overview shows below its main table.
type overviewDetail struct {
	Grades []gradeRow
	Ages   []ageRow
	Days   dayChart
	// Class is the class drill-down's class; zero elsewhere.
	Class         store.Class
	NonResponders []nonResponderRow
	Purged        bool // the campaign's personal data was purged: no families to list
	// Behind are the district's classes furthest behind (district view only).
	Behind []store.Reach
}

// behindShown is how many of the classes furthest behind the district sees.
const behindShown = 10

// furthestBehind returns up to n classes that have students and families
// still missing, furthest behind first (classes is sorted so already).
func furthestBehind(classes []store.Reach, n int) []store.Reach {
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

// gradeRow is the reach of one grade.
type gradeRow struct {
	Label string
	store.Reach
}

// ageRow is the reach and quiz of one age group.
type ageRow struct {
	Group string
	Label string
	store.Reach
	Quiz quizTally
}

// quizTally sums the quiz of one age group's letter.
type quizTally struct {
	Answered int
	// Scored counts the answers kept to score per question: all of them,
	// except after a purge, which keeps only how many answered and the
	// scores.
	Scored    int
	Questions []quizTallyQuestion
	scoreSum  int
}

// Average is the mean score (questions right) of the answered quizzes.
func (q quizTally) Average() string {
	if q.Answered == 0 {
		return "–"
	}
	return strconv.FormatFloat(float64(q.scoreSum)/float64(q.Answered), 'f', 1, 64)
}

// quizTallyQuestion is how many answered one question right.
type quizTallyQuestion struct {
	N       int
	Text    string
	Right   int
	Percent int
}

// nonResponderRow is a family that has not acknowledged, phones masked.
type nonResponderRow struct {
	Number, Name string
	HasLetter    bool
	Guardians    []string // "王芳（母亲）138****1234"
}

// gradeLabel names a grade in t's language ("overview.grade_label" gets
// the Chinese name and the number: 三年级, Grade 3); 0 is a class without
// a grade.
func gradeLabel(t func(string) string, g int) string {
	n := grade.Name(g)
	if n == "" {
		return "—"
	}
	return fmt.Sprintf(t("overview.grade_label"), n, g)
}

// loadDetail fills the breakdowns of f from its class rows (already read
// for the page) and two more aggregate queries: the quiz answers and the
// acknowledgements per day. t translates the age groups' labels.
func (s *server) loadDetail(ctx context.Context, t func(key string) string, f store.ReachFilter, classes []store.Reach) (overviewDetail, error) {
	var d overviewDetail
	grades := store.GradesOf(classes)
	if err := s.store.AddQuiz(ctx, f, grades); err != nil {
		return d, err
	}
	days, err := s.store.AcksPerDay(ctx, f)
	if err != nil {
		return d, err
	}
	d.Days = drawDays(days)
	ages := map[grade.AgeGroup]*ageRow{}
	for _, g := range grades {
		d.Grades = append(d.Grades, gradeRow{Label: gradeLabel(t, g.Grade), Reach: g.Reach})
		ag := s.cfg.AgeGroups.Of(g.Grade)
		r, ok := ages[ag]
		if !ok {
			r = &ageRow{Group: string(ag), Label: t("agegroup." + string(ag))}
			if tpl, err := s.letters.Library().Template(string(ag)); err == nil {
				for i, q := range tpl.Quiz {
					r.Quiz.Questions = append(r.Quiz.Questions, quizTallyQuestion{N: i + 1, Text: q.Text})
				}
			}
			ages[ag] = r
		}
		r.Reach.Add(g.Reach)
		r.Quiz.Answered += g.QuizAnswered
		r.Quiz.scoreSum += g.QuizScoreSum
		tpl, err := s.letters.Library().Template(string(ag))
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

// dayChart is the acknowledgements-per-day bar chart, laid out for SVG:
// one bar per day from the first acknowledgement to the last, days without
// any drawn as empty slots so the time axis is true.
type dayChart struct {
	Width, Height, Base int
	Bars                []dayBar
	Max, Total          int
	Ticks               []dayTick
}

// dayBar is one day's bar; Label is shown under every few bars.
type dayBar struct {
	X, Y, W, H int
	CX         int // the bar's middle, where its count is written
	Day        string
	Count      int
	ShowCount  bool
}

// dayTick is a label of the time axis.
type dayTick struct {
	X     int
	Label string
}

// drawDays lays the days out in a 640 × 200 view box.
func drawDays(days []store.DayCount) dayChart {
	ch := dayChart{Width: 640, Height: 200, Base: 170}
	if len(days) == 0 {
		return ch
	}
	first, err1 := time.Parse(time.DateOnly, days[0].Day)
	last, err2 := time.Parse(time.DateOnly, days[len(days)-1].Day)
	if err := errors.Join(err1, err2); err != nil || last.Before(first) {
		return ch
	}
	counts := map[string]int{}
	for _, d := range days {
		counts[d.Day] = d.Count
		ch.Total += d.Count
		ch.Max = max(ch.Max, d.Count)
	}
	n := int(last.Sub(first).Hours()/24) + 1
	const left, right, top = 8, 8, 22
	slot := min(max((ch.Width-left-right)/n, 1), 64) // a few days stay slim bars on the left
	w := max(slot*7/10, 1)
	every := (n + 9) / 10 // at most about ten date labels
	for i := range n {
		day := first.AddDate(0, 0, i)
		k := day.Format(time.DateOnly)
		cnt := counts[k]
		h := 0
		if ch.Max > 0 {
			h = cnt * (ch.Base - top) / ch.Max
		}
		if cnt > 0 && h < 2 {
			h = 2
		}
		x := left + i*slot + (slot-w)/2
		ch.Bars = append(ch.Bars, dayBar{X: x, Y: ch.Base - h, W: w, H: h, CX: x + w/2, Day: k, Count: cnt, ShowCount: cnt > 0 && n <= 31})
		if i%every == 0 {
			ch.Ticks = append(ch.Ticks, dayTick{X: x + w/2, Label: day.Format("01-02")})
		}
	}
	return ch
}

// nonResponderRows masks the phones of a class's non-responders.
func nonResponderRows(list []store.NonResponder) []nonResponderRow {
	out := make([]nonResponderRow, 0, len(list))
	for _, n := range list {
		r := nonResponderRow{Number: n.Number, Name: n.Name, HasLetter: n.HasLetter}
		for _, g := range n.Guardians {
			s := g.Name
			if g.Relation != "" {
				s += "（" + g.Relation + "）"
			}
			if g.Mobile != "" {
				s += " " + maskPhone(g.Mobile)
			}
			r.Guardians = append(r.Guardians, s)
		}
		out = append(out, r)
	}
	return out
}

// classOverview loads the drill-down of class :class of school sc.
func (s *server) classOverview(c *gin.Context, sc store.School) (overviewData, bool, error) {
	id, err := strconv.ParseInt(c.Param("class"), 10, 64)
	if err != nil {
		return overviewData{}, false, errNotFoundHere
	}
	cl, err := s.store.Class(c.Request.Context(), id)
	if errors.Is(err, store.ErrNotFound) || err == nil && cl.SchoolID != sc.ID {
		return overviewData{}, false, errNotFoundHere
	}
	if err != nil {
		return overviewData{}, false, err
	}
	d, ok, err := s.schoolReach(c, sc)
	if err != nil || !ok {
		return d, ok, err
	}
	var row store.Reach
	for _, r := range d.Rows {
		if r.ClassID == cl.ID {
			row = r
		}
	}
	d.Rows, d.Total = []store.Reach{row}, row
	if d.Detail, err = s.loadDetail(c.Request.Context(), s.tr(c), store.ReachFilter{CampaignID: d.Campaign.ID, SchoolID: sc.ID, ClassID: cl.ID}, d.Rows); err != nil {
		return d, false, err
	}
	d.Detail.Class = cl
	// A purged campaign has no letters left: every family would look
	// unreached, so none is listed.
	if _, d.Detail.Purged, err = s.store.CampaignPurge(c.Request.Context(), d.Campaign.ID); err != nil || d.Detail.Purged {
		return d, err == nil, err
	}
	list, err := s.store.NonResponders(c.Request.Context(), d.Campaign.ID, cl.ID)
	if err != nil {
		return d, false, err
	}
	d.Detail.NonResponders = nonResponderRows(list)
	return d, true, nil
}

// errNotFoundHere says a class is not one of the school's.
var errNotFoundHere = errors.New("overview: no such class in the school")

// overviewClassPage: GET /overview/schools/:school/classes/:class (the
// district, or that school's administrator; not the teachers, who have
// their class page).
func (s *server) overviewClassPage(c *gin.Context) {
	sc, ok := s.schoolParam(c, "school")
	if !ok {
		return
	}
	d, _, err := s.classOverview(c, sc)
	if errors.Is(err, errNotFoundHere) {
		s.problem(c, http.StatusNotFound, "not_found", "error.not_found")
		return
	}
	if err != nil {
		s.internal(c, err)
		return
	}
	s.render(c, http.StatusOK, "overview.html", s.T(c, "overview.title")+" · "+d.Detail.Class.Name, d)
}

// tr is T bound to the request's language.
func (s *server) tr(c *gin.Context) func(string) string {
	return func(key string) string { return s.T(c, key) }
}
