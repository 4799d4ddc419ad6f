package store

import (
	"context"
	"fmt"
	"sort"
)

// Reach is how far a campaign's letters got in one class, or summed over a
// school: the numbers of the education center's overview.
type Reach struct {
	SchoolID   int64
	SchoolName string
	ClassID    int64 // 0 for a school's total
	ClassName  string
	Grade      int
	Number     int
	Classes    int // classes counted (1 for a class)

	Students     int // active students
	Produced     int // letters issued to them
	Opened       int // letters whose page a parent opened (or acknowledged)
	Acknowledged int
	// Acknowledgements by channel.
	QR, SMS, Typed, Paper int

	// Meetings counts the classes that held their class meeting (主题班会);
	// MeetingFirst and MeetingLast are the first and last day held
	// ('YYYY-MM-DD', "" when none; the same day for a class).
	Meetings                  int
	MeetingFirst, MeetingLast string
}

// Rate is the share of students whose family acknowledged, 0–1.
func (r Reach) Rate() float64 {
	if r.Students == 0 {
		return 0
	}
	return float64(r.Acknowledged) / float64(r.Students)
}

// Percent is Rate in whole percent, rounded down: a class with one family
// still unreached never shows 100 %.
func (r Reach) Percent() int {
	if r.Students == 0 {
		return 0
	}
	return r.Acknowledged * 100 / r.Students
}

// Unprinted counts students who have no letter yet.
func (r Reach) Unprinted() int { return max(r.Students-r.Produced, 0) }

// Missing counts students whose family has not acknowledged yet.
func (r Reach) Missing() int { return r.Students - r.Acknowledged }

// Add adds o's counts to r: a school's or an age group's total of its rows.
func (r *Reach) Add(o Reach) {
	r.Classes += o.Classes
	r.Students += o.Students
	r.Produced += o.Produced
	r.Opened += o.Opened
	r.Acknowledged += o.Acknowledged
	r.QR += o.QR
	r.SMS += o.SMS
	r.Typed += o.Typed
	r.Paper += o.Paper
	r.addMeetings(o.Meetings, o.MeetingFirst, o.MeetingLast)
}

// addMeetings counts n class meetings held from first to last.
func (r *Reach) addMeetings(n int, first, last string) {
	if n == 0 {
		return
	}
	r.Meetings += n
	if r.MeetingFirst == "" || first < r.MeetingFirst {
		r.MeetingFirst = first
	}
	if last > r.MeetingLast {
		r.MeetingLast = last
	}
}

// reachSelect counts, per class of the campaign's schools, the active
// students and their letters of the campaign. Students without a letter
// count too: a class that has not printed is behind.
const reachSelect = `SELECT c.school_id, sc.name, c.id, c.name, c.grade, c.number,
	COUNT(st.id),
	COUNT(l.id),
	COALESCE(SUM(CASE WHEN l.first_opened_at IS NOT NULL OR l.acknowledged_at IS NOT NULL THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN l.acknowledged_at IS NOT NULL THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN l.acknowledged_at IS NOT NULL AND l.ack_channel = 'qr' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN l.acknowledged_at IS NOT NULL AND l.ack_channel = 'sms' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN l.acknowledged_at IS NOT NULL AND l.ack_channel = 'typed' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN l.acknowledged_at IS NOT NULL AND l.ack_channel = 'paper' THEN 1 ELSE 0 END), 0)
	FROM campaign_schools cs
	JOIN schools sc ON sc.id = cs.school_id
	JOIN classes c ON c.school_id = cs.school_id
	LEFT JOIN students st ON st.class_id = c.id AND st.active = TRUE
	LEFT JOIN letters l ON l.student_id = st.id AND l.campaign_id = cs.campaign_id
	WHERE cs.campaign_id = ?`

const reachGroup = ` GROUP BY c.school_id, sc.name, c.id, c.name, c.grade, c.number`

// reachRows is the campaign's reach per class, with the class meetings
// held (a purge keeps those: they are not personal data).
func (s *Store) reachRows(ctx context.Context, campaignID, schoolID int64) ([]Reach, error) {
	rows, err := s.letterReachRows(ctx, campaignID, schoolID)
	if err != nil {
		return nil, err
	}
	held, err := s.ClassMeetings(ctx, campaignID, schoolID)
	if err != nil || len(held) == 0 {
		return rows, err
	}
	for i := range rows {
		if m, ok := held[rows[i].ClassID]; ok {
			rows[i].addMeetings(1, m.HeldOn, m.HeldOn)
		}
	}
	return rows, nil
}

func (s *Store) letterReachRows(ctx context.Context, campaignID, schoolID int64) ([]Reach, error) {
	// A purged campaign has no letters left: its figures were kept per class.
	if rows, ok, err := s.PurgedReach(ctx, campaignID, schoolID); err != nil || ok {
		return rows, err
	}
	q, args := reachSelect, []any{campaignID}
	if schoolID != 0 {
		q += ` AND cs.school_id = ?`
		args = append(args, schoolID)
	}
	rows, err := s.db.QueryContext(ctx, s.Rebind(q+reachGroup), args...)
	if err != nil {
		return nil, fmt.Errorf("store: reach of campaign %d: %w", campaignID, err)
	}
	defer rows.Close()
	var out []Reach
	for rows.Next() {
		r := Reach{Classes: 1}
		if err := rows.Scan(&r.SchoolID, &r.SchoolName, &r.ClassID, &r.ClassName, &r.Grade, &r.Number,
			&r.Students, &r.Produced, &r.Opened, &r.Acknowledged, &r.QR, &r.SMS, &r.Typed, &r.Paper); err != nil {
			return nil, fmt.Errorf("store: reach of campaign %d: %w", campaignID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReachByClass returns the campaign's reach per class of one school,
// furthest behind first (SortBehindFirst).
func (s *Store) ReachByClass(ctx context.Context, campaignID, schoolID int64) ([]Reach, error) {
	out, err := s.reachRows(ctx, campaignID, schoolID)
	if err != nil {
		return nil, err
	}
	SortBehindFirst(out)
	return out, nil
}

// ReachBySchool returns the campaign's reach per participating school (a
// school without classes shows with zeros), furthest behind first, and the
// district's total.
func (s *Store) ReachBySchool(ctx context.Context, campaignID int64) ([]Reach, Reach, error) {
	schools, _, total, err := s.ReachDistrict(ctx, campaignID)
	return schools, total, err
}

// ReachDistrict is ReachBySchool with the class rows it sums (furthest
// behind first), so that a caller can break them down further (GradesOf)
// without reading the letters again.
func (s *Store) ReachDistrict(ctx context.Context, campaignID int64) (schools, classes []Reach, total Reach, err error) {
	classes, err = s.reachRows(ctx, campaignID, 0)
	if err != nil {
		return nil, nil, Reach{}, err
	}
	bySchool := map[int64]*Reach{}
	var order []int64
	for _, r := range classes {
		sr, ok := bySchool[r.SchoolID]
		if !ok {
			sr = &Reach{SchoolID: r.SchoolID, SchoolName: r.SchoolName}
			bySchool[r.SchoolID] = sr
			order = append(order, r.SchoolID)
		}
		sr.Add(r)
	}
	// Participating schools that have no class yet are the furthest behind.
	srows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT sc.id, sc.name FROM campaign_schools cs
		JOIN schools sc ON sc.id = cs.school_id WHERE cs.campaign_id = ?`), campaignID)
	if err != nil {
		return nil, nil, Reach{}, fmt.Errorf("store: reach of campaign %d: %w", campaignID, err)
	}
	defer srows.Close()
	for srows.Next() {
		var id int64
		var name string
		if err := srows.Scan(&id, &name); err != nil {
			return nil, nil, Reach{}, fmt.Errorf("store: reach of campaign %d: %w", campaignID, err)
		}
		if _, ok := bySchool[id]; !ok {
			bySchool[id] = &Reach{SchoolID: id, SchoolName: name}
			order = append(order, id)
		}
	}
	if err := srows.Err(); err != nil {
		return nil, nil, Reach{}, fmt.Errorf("store: reach of campaign %d: %w", campaignID, err)
	}
	schools = make([]Reach, 0, len(order))
	for _, id := range order {
		schools = append(schools, *bySchool[id])
		total.Add(*bySchool[id])
	}
	SortBehindFirst(schools)
	SortBehindFirst(classes)
	return schools, classes, total, nil
}

// SortBehindFirst orders rows so that those furthest behind come first:
// the lowest acknowledgement rate, then the most families missing, then by
// name. Rows without students (nothing to measure yet) go first too, since
// a class or school with no roster has not started.
func SortBehindFirst(rows []Reach) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if (a.Students == 0) != (b.Students == 0) {
			return a.Students == 0
		}
		if ra, rb := a.Rate(), b.Rate(); ra != rb {
			return ra < rb
		}
		if a.Missing() != b.Missing() {
			return a.Missing() > b.Missing()
		}
		if a.SchoolName != b.SchoolName {
			return a.SchoolName < b.SchoolName
		}
		if a.Grade != b.Grade {
			return a.Grade < b.Grade
		}
		return a.Number < b.Number
	})
}
