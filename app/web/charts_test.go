package web

import (
	"testing"

	"jiashu/app/reach"
	"jiashu/store"
)

func TestDayChart(t *testing.T) {
	t.Parallel()
	long := []store.DayCount{{Day: "2026-09-01", Count: 5}, {Day: "2026-10-30", Count: 50}} // 60 days, 58 without any
	tests := []struct {
		name       string
		days       []store.DayCount
		bars, maxT int
	}{
		{"no acknowledgement draws nothing", nil, 0, 0},
		{"one day is one bar at full height", []store.DayCount{{Day: "2026-11-02", Count: 3}}, 1, 1},
		{"sixty days keep every day as a slot but label about ten", long, 60, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ch := drawDays(reach.EveryDay(tc.days))
			if len(ch.Bars) != tc.bars || len(ch.Ticks) > tc.maxT {
				t.Fatalf("%d bars, %d ticks", len(ch.Bars), len(ch.Ticks))
			}
			for _, b := range ch.Bars {
				if b.X < 0 || b.X+b.W > ch.Width || b.Y < 0 || b.Y+b.H != ch.Base {
					t.Errorf("bar %+v outside the %d×%d box", b, ch.Width, ch.Height)
				}
				if (b.Count == 0) != (b.H == 0) {
					t.Errorf("bar %+v: height and count disagree", b)
				}
				if b.Count == ch.Max && b.Y != 22 {
					t.Errorf("the highest bar %+v does not reach the top", b)
				}
			}
		})
	}
	if ch := drawDays(reach.EveryDay(long)); ch.Bars[1].Day != "2026-09-02" || ch.Bars[59].Day != "2026-10-30" || ch.Bars[1].ShowCount {
		t.Errorf("the days between are not filled in order, or counts are written on a crowded chart: %+v %+v", ch.Bars[1], ch.Bars[59])
	}
}
