package sms_test

import (
	"testing"
	"time"

	"jiashu/sms"
)

func TestQuietHoursAndWhenTextsMayGoAgain(t *testing.T) {
	china := time.FixedZone("CST", 8*3600)
	at := func(day, h, m int) time.Time { return time.Date(2026, 12, day, h, m, 0, 0, china) }
	cases := []struct {
		hours  string
		t      time.Time
		quiet  bool
		resume time.Time
	}{
		{"21:00-08:00", at(7, 21, 0), true, at(8, 8, 0)},
		{"21:00-08:00", at(7, 23, 30), true, at(8, 8, 0)},
		{"21:00-08:00", at(8, 0, 10), true, at(8, 8, 0)},
		{"21:00-08:00", at(8, 7, 59), true, at(8, 8, 0)},
		{"21:00-08:00", at(8, 8, 0), false, at(9, 8, 0)},
		{"21:00-08:00", at(8, 20, 59), false, at(9, 8, 0)},
		{"12:00-14:00", at(8, 10, 0), false, at(8, 14, 0)},
		{"12:00-14:00", at(8, 13, 0), true, at(8, 14, 0)},
		{"12:00-14:00", at(8, 15, 0), false, at(9, 14, 0)},
		{"off", at(8, 23, 0), false, at(8, 23, 0)},
	}
	for _, c := range cases {
		q, err := sms.ParseQuiet(c.hours)
		if err != nil {
			t.Fatal(err)
		}
		if q.In(c.t) != c.quiet || !q.Resume(c.t).Equal(c.resume) {
			t.Errorf("%s at %s: quiet %v, resume %s; want %v, %s", c.hours, c.t.Format("01-02 15:04"), q.In(c.t),
				q.Resume(c.t).Format("01-02 15:04"), c.quiet, c.resume.Format("01-02 15:04"))
		}
	}
	if sms.DefaultQuiet.String() != "21:00-08:00" {
		t.Errorf("default %s", sms.DefaultQuiet)
	}
	for _, bad := range []string{"", "21:00", "9pm-8am", "25:00-08:00", "08:00-08:00"} {
		if _, err := sms.ParseQuiet(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestTheZeroQuietIsTheDefault(t *testing.T) {
	var q sms.Quiet
	night := time.Date(2026, 12, 7, 22, 0, 0, 0, time.UTC)
	if !q.In(night) || q.String() != "21:00-08:00" {
		t.Fatalf("%v %s", q.In(night), q)
	}
}
