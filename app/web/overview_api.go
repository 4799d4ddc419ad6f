package web

import (
	"errors"
	"jiashu/app/reach"
	"net/http"

	"github.com/gin-gonic/gin"
)

// JSON of the overview's breakdowns (app/reach), added to the
// overview answers of campaign_api.go, and the class drill-down. See
// docs/api.md.

// apiGradeRow is one grade of by_grade.
type apiGradeRow struct {
	Grade int    `json:"grade"`
	Label string `json:"label"`
	apiCounts
}

// apiCounts are the counts shared by the breakdown rows.
type apiCounts struct {
	Students     int     `json:"students"`
	Produced     int     `json:"produced"`
	Acknowledged int     `json:"acknowledged"`
	Rate         float64 `json:"rate"`
}

// apiAgeRow is one age group of by_age_group, with its quiz.
type apiAgeRow struct {
	AgeGroup string `json:"age_group"`
	Label    string `json:"label"`
	apiCounts
	Quiz apiQuiz `json:"quiz"`
}

// apiQuiz is the quiz of an age group's letter.
type apiQuiz struct {
	Answered     int               `json:"answered"`
	AverageScore float64           `json:"average_score"`
	Questions    []apiQuizQuestion `json:"questions"`
}

// apiQuizQuestion is one question: how many answered it right.
type apiQuizQuestion struct {
	N     int     `json:"n"`
	Right int     `json:"right"`
	Rate  float64 `json:"rate"`
}

// apiDay is one day of per_day.
type apiDay struct {
	Day   string `json:"day"`
	Count int    `json:"count"`
}

func ratio(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n*1000/of) / 1000
}

func apiGrades(d reach.Detail) []apiGradeRow {
	out := []apiGradeRow{}
	for _, g := range d.Grades {
		out = append(out, apiGradeRow{Grade: g.Grade, Label: g.Label,
			apiCounts: apiCounts{g.Students, g.Produced, g.Acknowledged, ratio(g.Acknowledged, g.Students)}})
	}
	return out
}

func apiAges(d reach.Detail) []apiAgeRow {
	out := []apiAgeRow{}
	for _, a := range d.Ages {
		q := apiQuiz{Answered: a.Quiz.Answered, Questions: []apiQuizQuestion{}}
		if a.Quiz.Answered > 0 {
			q.AverageScore = float64(a.Quiz.ScoreSum*100/a.Quiz.Answered) / 100
		}
		for _, qq := range a.Quiz.Questions {
			if a.Quiz.Scored == 0 {
				break // purged: the answers are gone
			}
			q.Questions = append(q.Questions, apiQuizQuestion{N: qq.N, Right: qq.Right, Rate: ratio(qq.Right, a.Quiz.Scored)})
		}
		out = append(out, apiAgeRow{AgeGroup: a.Group, Label: a.Label,
			apiCounts: apiCounts{a.Students, a.Produced, a.Acknowledged, ratio(a.Acknowledged, a.Students)}, Quiz: q})
	}
	return out
}

// apiDays lists every day from the first acknowledgement to the last, zero
// days included (as the chart draws them).
func apiDays(d reach.Detail) []apiDay {
	out := []apiDay{}
	for _, d := range d.Days {
		out = append(out, apiDay{Day: d.Day, Count: d.Count})
	}
	return out
}

// apiNonResponder is a family of the class drill-down, phones masked.
type apiNonResponder struct {
	Number    string   `json:"number"`
	Student   string   `json:"student"`
	HasLetter bool     `json:"has_letter"`
	Guardians []string `json:"guardians"`
}

// apiOverviewClass: GET /api/v1/overview/schools/:school/classes/:class?campaign=ID:
// one class's reach, per day, quiz and its non-responding families
// (masked phones). The district and the school's administrator.
func (s *Server) apiOverviewClass(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	d, ok, err := s.classOverview(c, sc)
	if errors.Is(err, errNotFoundHere) {
		return refuseMsg(http.StatusNotFound, "not_found", s.T(c, "error.not_found"))
	}
	if err != nil {
		return err
	}
	if !ok {
		return refuseMsg(http.StatusNotFound, "no_campaign", s.T(c, "overview.none"))
	}
	list := []apiNonResponder{}
	for _, n := range d.Detail.NonResponders {
		g := n.Guardians
		if g == nil {
			g = []string{}
		}
		list = append(list, apiNonResponder{Number: n.Number, Student: n.Name, HasLetter: n.HasLetter, Guardians: g})
	}
	total := toAPIReach(d.Total)
	c.JSON(http.StatusOK, gin.H{"campaign": s.toAPICampaignLife(d.Campaign), "total": total,
		"by_age_group": apiAges(d.Detail), "per_day": apiDays(d.Detail), "non_responders": list})
	return nil
}
