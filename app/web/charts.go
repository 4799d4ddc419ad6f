package web

import (
	"time"

	"jiashu/store"
)

// The overview's charts, laid out by the server as SVG (presentation
// attributes only: the CSP forbids style attributes): acknowledgements per
// day, and the school year's campaigns as pairs of bars. The figures come
// from app/reach; this file only places them in a view box.

// dayChart is the acknowledgements-per-day bar chart: one bar per day of
// reach.EveryDay, days without any drawn as empty slots so the time axis is
// true.
type dayChart struct {
	Width, Height, Base int
	Bars                []dayBar
	Max, Total          int
	Ticks               []dayTick
}

// dayBar is one day's bar; its count is written over it when the chart is
// not crowded.
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

// drawDays lays days (every day, in order: reach.EveryDay) out in a 640 ×
// 200 view box.
func drawDays(days []store.DayCount) dayChart {
	ch := dayChart{Width: 640, Height: 200, Base: 170}
	for _, d := range days {
		ch.Total += d.Count
		ch.Max = max(ch.Max, d.Count)
	}
	n := len(days)
	if n == 0 {
		return ch
	}
	const left, right, top = 8, 8, 22
	slot := min(max((ch.Width-left-right)/n, 1), 64) // a few days stay slim bars on the left
	w := max(slot*7/10, 1)
	every := (n + 9) / 10 // at most about ten date labels
	for i, d := range days {
		h := 0
		if ch.Max > 0 {
			h = d.Count * (ch.Base - top) / ch.Max
		}
		if d.Count > 0 && h < 2 {
			h = 2
		}
		x := left + i*slot + (slot-w)/2
		ch.Bars = append(ch.Bars, dayBar{X: x, Y: ch.Base - h, W: w, H: h, CX: x + w/2, Day: d.Day, Count: d.Count, ShowCount: d.Count > 0 && n <= 31})
		if i%every == 0 {
			label := d.Day
			if t, err := time.Parse(time.DateOnly, d.Day); err == nil {
				label = t.Format("01-02")
			}
			ch.Ticks = append(ch.Ticks, dayTick{X: x + w/2, Label: label})
		}
	}
	return ch
}

// yearChart is the campaigns of the year as grouped bars in a view box.
type yearChart struct {
	Width, Height, Base int
	Groups              []yearGroup
}

// yearGroup is one campaign: its two bars and its label.
type yearGroup struct {
	Name         string
	CampaignID   int64
	Reach, Quiz  yearBar
	LabelX       int
	ReachPct     int // acknowledged of students, %
	QuizPct      int // right answers of answers given, %; -1 without answers
	Acknowledged int
	Students     int
	QuizAnswered int
	Current      bool // the campaign the page shows
	CreatedAt    time.Time
}

// yearBar is a bar and where its percentage is written.
type yearBar struct {
	X, Y, W, H, CX int
}

// drawYear lays out rows (oldest first) in a 640 × 220 view box; current
// marks the campaign the page shows. questions is the quiz's length.
func drawYear(rows []store.CampaignYearRow, current int64, questions int) yearChart {
	ch := yearChart{Width: 640, Height: 220, Base: 180}
	if len(rows) == 0 {
		return ch
	}
	const left, right, top = 8, 8, 24
	slot := min((ch.Width-left-right)/len(rows), 160)
	w := max(slot*3/10, 4)
	bar := func(x, pct int) yearBar {
		h := pct * (ch.Base - top) / 100
		if pct > 0 && h < 2 {
			h = 2
		}
		return yearBar{X: x, Y: ch.Base - h, W: w, H: h, CX: x + w/2}
	}
	for i, r := range rows {
		g := yearGroup{Name: r.Name, CampaignID: r.CampaignID, Acknowledged: r.Acknowledged, Students: r.Students,
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
