package sms

import (
	"fmt"
	"strings"
	"time"
)

// Quiet is the hours of the day when no text goes to families (21:00–08:00
// by default: parents are asleep, and a text at night looks like a
// scam). The times are read in the zone of the time asked about, so the
// caller passes China time. The zero Quiet is DefaultQuiet.
type Quiet struct {
	// From and To are minutes after midnight; the quiet hours run from
	// From up to To, across midnight when To < From.
	From, To int
	// Off: no quiet hours.
	Off bool
}

// DefaultQuiet is 21:00–08:00.
var DefaultQuiet = Quiet{From: 21 * 60, To: 8 * 60}

// ParseQuiet reads "21:00-08:00" or "off".
func ParseQuiet(s string) (Quiet, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "off") {
		return Quiet{Off: true}, nil
	}
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return Quiet{}, fmt.Errorf("%q is neither HH:MM-HH:MM (such as 21:00-08:00) nor off", s)
	}
	f, err1 := clockMinutes(from)
	t, err2 := clockMinutes(to)
	if err1 != nil || err2 != nil {
		return Quiet{}, fmt.Errorf("%q is neither HH:MM-HH:MM (such as 21:00-08:00) nor off", s)
	}
	if f == t {
		return Quiet{}, fmt.Errorf("%q starts and ends at the same time; write off for no quiet hours", s)
	}
	return Quiet{From: f, To: t}, nil
}

func clockMinutes(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

// set is q, or DefaultQuiet for the zero Quiet.
func (q Quiet) set() Quiet {
	if !q.Off && q.From == q.To {
		return DefaultQuiet
	}
	return q
}

// String writes the hours as ParseQuiet reads them.
func (q Quiet) String() string {
	q = q.set()
	if q.Off {
		return "off"
	}
	return q.FromText() + "-" + q.ToText()
}

// FromText is the start as 21:00.
func (q Quiet) FromText() string { q = q.set(); return fmt.Sprintf("%02d:%02d", q.From/60, q.From%60) }

// ToText is the end as 08:00.
func (q Quiet) ToText() string { q = q.set(); return fmt.Sprintf("%02d:%02d", q.To/60, q.To%60) }

// In says whether t falls in the quiet hours (in t's zone).
func (q Quiet) In(t time.Time) bool {
	q = q.set()
	if q.Off {
		return false
	}
	m := t.Hour()*60 + t.Minute()
	if q.From < q.To {
		return m >= q.From && m < q.To
	}
	return m >= q.From || m < q.To
}

// Resume is when texts may go again: the end of the quiet hours t is in,
// or, outside them, the end of the next ones ("明早 8:00"). With no quiet
// hours it is t.
func (q Quiet) Resume(t time.Time) time.Time {
	q = q.set()
	if q.Off {
		return t
	}
	end := time.Date(t.Year(), t.Month(), t.Day(), q.To/60, q.To%60, 0, 0, t.Location())
	for !end.After(t) || (!q.In(t) && !q.endsAfterNextStart(t, end)) {
		end = end.AddDate(0, 0, 1)
	}
	return end
}

// endsAfterNextStart says whether end closes quiet hours that begin after
// t (so that outside quiet hours Resume skips the end of the ones already
// past today).
func (q Quiet) endsAfterNextStart(t, end time.Time) bool {
	start := time.Date(t.Year(), t.Month(), t.Day(), q.From/60, q.From%60, 0, 0, t.Location())
	if !start.After(t) {
		start = start.AddDate(0, 0, 1)
	}
	return end.After(start)
}
