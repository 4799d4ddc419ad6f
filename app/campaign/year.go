package campaign

import (
	"time"

	"jiashu/store"
)

// The overview across campaigns: each campaign of the school year as a
// pair of bars — share of families acknowledged, share of quiz answers
// right — drawn by the server as an SVG like the per-day chart.

// YearChart is the campaigns of the year as grouped bars in a view box.
type YearChart struct {
	Width, Height, Base int
	Groups              []YearGroup
}

// YearGroup is one campaign: its two bars and its label.
type YearGroup struct {
	Name         string
	CampaignID   int64
	Reach, Quiz  YearBar
	LabelX       int
	ReachPct     int // acknowledged of students, %
	QuizPct      int // right answers of answers given, %; -1 without answers
	Acknowledged int
	Students     int
	QuizAnswered int
	Current      bool // the campaign the page shows
	CreatedAt    time.Time
}

// QuizQuestions is the length of every letter's quiz (three questions).
const QuizQuestions = 3

// YearBar is a bar and where its percentage is written.
type YearBar struct {
	X, Y, W, H, CX int
}

// SchoolYearStart is the first day of the school year containing now
// (August 1st, China time): campaigns from then on are "this year".
func SchoolYearStart(now time.Time) time.Time {
	n := now.In(ChinaTime)
	y := n.Year()
	if n.Month() < time.August {
		y--
	}
	return time.Date(y, time.August, 1, 0, 0, 0, 0, ChinaTime)
}

// DrawYear lays out rows (oldest first) in a 640 × 220 view box; current
// marks the campaign the page shows. questions is the quiz's length.
func DrawYear(rows []store.CampaignYearRow, current int64, questions int) YearChart {
	ch := YearChart{Width: 640, Height: 220, Base: 180}
	if len(rows) == 0 {
		return ch
	}
	const left, right, top = 8, 8, 24
	slot := min((ch.Width-left-right)/len(rows), 160)
	w := max(slot*3/10, 4)
	bar := func(x, pct int) YearBar {
		h := pct * (ch.Base - top) / 100
		if pct > 0 && h < 2 {
			h = 2
		}
		return YearBar{X: x, Y: ch.Base - h, W: w, H: h, CX: x + w/2}
	}
	for i, r := range rows {
		g := YearGroup{Name: r.Name, CampaignID: r.CampaignID, Acknowledged: r.Acknowledged, Students: r.Students,
			QuizAnswered: r.QuizAnswered, Current: r.CampaignID == current, CreatedAt: r.CreatedAt, QuizPct: -1}
		if r.Students > 0 {
			g.ReachPct = r.Acknowledged * 100 / r.Students
		}
		if r.QuizAnswered > 0 && questions > 0 {
			g.QuizPct = r.QuizScoreSum * 100 / (r.QuizAnswered * questions)
		}
		x := left + i*slot + (slot-2*w-4)/2
		g.Reach = bar(x, g.ReachPct)
		g.Quiz = bar(x+w+4, max(g.QuizPct, 0))
		g.LabelX = x + w + 2
		ch.Groups = append(ch.Groups, g)
	}
	return ch
}
