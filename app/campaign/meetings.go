package campaign

import (
	"errors"
	"strings"
	"time"
)

// Why a class meeting's day is refused; each has a Chinese message in the
// catalogue (meeting.error.*).
var (
	ErrMeetingDayInvalid = errors.New("campaign: the class meeting's day is not a date")
	ErrMeetingDayFuture  = errors.New("campaign: the class meeting's day is after today")
	ErrMeetingDayOld     = errors.New("campaign: the class meeting's day is more than a year ago")
)

// MeetingDay reads the day a class held its class meeting as people type
// it (2026-11-20, 2026/11/20, 2026年11月20日) and returns it as the store
// keeps it ('YYYY-MM-DD'). A meeting is recorded once held: a day after
// today in China, or more than a year before it, is refused.
func MeetingDay(s string, now time.Time) (string, error) {
	s = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-", " ", "").Replace(strings.TrimSpace(s))
	d, err := time.ParseInLocation("2006-1-2", s, ChinaTime)
	if err != nil {
		return "", ErrMeetingDayInvalid
	}
	today := now.In(ChinaTime)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, ChinaTime)
	switch {
	case d.After(today):
		return "", ErrMeetingDayFuture
	case d.Before(today.AddDate(-1, 0, 0)):
		return "", ErrMeetingDayOld
	}
	return d.Format(time.DateOnly), nil
}

// MonthDay shows a stored day ('YYYY-MM-DD') as 11月20日, or "".
func MonthDay(day string) string {
	d := ChinaDay(day)
	if d.IsZero() {
		return ""
	}
	return d.Format("1月2日")
}
