// Package campaign holds what the command line, the staff site and the
// background jobs share about a campaign's classes, free of HTTP: which
// campaign a school's pages show (Choose), a class as its page shows it
// (Class), roster import, the letters of a class or a school, the
// class-meeting kit, masking of personal data, and China time. Functions
// take a *store.Store and values.
package campaign

import (
	"strings"
	"time"

	"jiashu/store"
)

// ChinaTime is the time zone the district's dates are in (UTC+8).
var ChinaTime = store.ChinaTime

// AckDeadline is a campaign's acknowledgement deadline (YYYY-MM-DD) as a
// day in China, or the zero time when the campaign has none.
func AckDeadline(day string) time.Time { return ChinaDay(day) }

// ChinaDay is a day the store keeps (YYYY-MM-DD) as midnight in China, or
// the zero time for "" or a malformed day.
func ChinaDay(day string) time.Time {
	d, err := time.ParseInLocation("2006-01-02", day, ChinaTime)
	if err != nil {
		return time.Time{}
	}
	return d
}

// Moment is a point in time as the service writes it for programs: RFC
// 3339 in China time, to the second ("2026-12-07T17:20:00+08:00"). It is
// the one format of every timestamp the API answers (a day alone is
// YYYY-MM-DD); a zero Moment is left out of JSON with omitzero.
type Moment struct{ time.Time }

// At is t as a Moment.
func At(t time.Time) Moment { return Moment{t} }

// String is the moment in its one format, "" for the zero time.
func (m Moment) String() string {
	if m.IsZero() {
		return ""
	}
	return m.In(ChinaTime).Format(time.RFC3339)
}

// MarshalJSON writes the moment as a JSON string in its one format.
func (m Moment) MarshalJSON() ([]byte, error) {
	if m.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + m.String() + `"`), nil
}

// MaskPhone shows a mobile number as 138****1234; other strings keep only
// their last four characters visible.
func MaskPhone(p string) string {
	r := []rune(p)
	switch {
	case len(r) == 0:
		return ""
	case len(r) == 11:
		return string(r[:3]) + "****" + string(r[7:])
	case len(r) > 4:
		return strings.Repeat("*", len(r)-4) + string(r[len(r)-4:])
	default:
		return strings.Repeat("*", len(r))
	}
}

// MaskChildName shows a child's name the way the page may: enough for the family
// to recognise it, not enough for a stranger holding a forwarded link.
// 王小明 → 王*明, 李华 → 李*, 欧阳小明 → 欧**明; a name with a middle dot
// keeps the dot: 买买提·艾力 → 买**·*力.
func MaskChildName(name string) string {
	rs := []rune(strings.TrimSpace(name))
	switch len(rs) {
	case 0, 1:
		return string(rs)
	case 2:
		return string(rs[0]) + "*"
	}
	out := make([]rune, len(rs))
	for i, r := range rs {
		switch {
		case i == 0 || i == len(rs)-1:
			out[i] = r
		case r == '·' || r == '•' || r == '・' || r == '.':
			out[i] = '·'
		default:
			out[i] = '*'
		}
	}
	return string(out)
}

// FileSafe keeps a name usable as a file or folder name on every system.
func FileSafe(name string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < 32 {
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
}

// DefaultTemplate is the reference of an age group's default letter (the
// template of letters.Library) in a campaign's templates.
const DefaultTemplate = "default"
