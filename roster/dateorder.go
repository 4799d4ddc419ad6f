package roster

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"jiashu/grade"
)

// Dates written with the year last: 11/23/2014 (month first, as an
// English-locale office suite writes them in a CSV) or 23/11/2014 (day
// first, as in Europe). A date whose first or second number is over 12
// says its order itself; one whose numbers are both 12 or less
// (03/04/2014) is read in the order the rest of the file shows, and when
// the file shows none (or both) it is left blank and reported once for
// the file, naming the column, rather than once per row.

// dateOrder reads the birth dates of one file and settles the ambiguous
// ones at its end.
type dateOrder struct {
	monthFirst, dayFirst int // dates whose order was certain
	pending              []pendingDate
}

// pendingDate is an ambiguous birth date waiting for the file's order.
type pendingDate struct {
	s          *sheetReader
	rec, row   int
	value, col string
}

// read reads a birth date: every form cleanDate knows, or a date with the
// year last whose order is certain.
func (d *dateOrder) read(v string) (string, bool) {
	if out, ok := cleanDate(v); ok {
		return out, true
	}
	a, b, y, ok := yearLast(v)
	switch {
	case !ok:
		return "", false
	case a == b:
		return isoDate(y, a, b)
	case a > 12 && b <= 12:
		d.dayFirst++
		return isoDate(y, b, a)
	case b > 12 && a <= 12:
		d.monthFirst++
		return isoDate(y, a, b)
	}
	return "", false
}

// ambiguous reports a date with the year last that is valid in either
// order.
func (d *dateOrder) ambiguous(v string) bool {
	a, b, y, ok := yearLast(v)
	if !ok || a > 12 || b > 12 {
		return false
	}
	_, ok1 := isoDate(y, a, b)
	_, ok2 := isoDate(y, b, a)
	return ok1 && ok2
}

// note keeps an ambiguous date of record rec of sheet s.
func (d *dateOrder) note(s *sheetReader, row int, value string, rec int) {
	d.pending = append(d.pending, pendingDate{s: s, rec: rec, row: row, value: value, col: s.lay.byRole[roleBirth].header})
}

// settle gives the ambiguous dates the order the file shows, or reports
// them once when it shows none.
func (d *dateOrder) settle(p *parser) {
	if len(d.pending) == 0 {
		return
	}
	if (d.monthFirst > 0) != (d.dayFirst > 0) {
		for _, pd := range d.pending {
			a, b, y, _ := yearLast(pd.value)
			if d.dayFirst > 0 {
				a, b = b, a
			}
			pd.s.records[pd.rec].student.BirthDate, _ = isoDate(y, a, b)
		}
		return
	}
	first := d.pending[0]
	p.problem(first.s.name, first.row, first.col, first.value, Warning, "birth_date_ambiguous", fmt.Sprintf(
		"“%s”列有 %d 个日期（如%s“%s”）看不出是“月/日/年”还是“日/月/年”，这些出生日期暂时留空，学生照常导入：请把日期写成 2014-03-04 这样“年-月-日”的形式后重新上传。",
		first.col, len(d.pending), first.s.where(first.row), first.value))
}

// yearLast reads a/b/yyyy (or with - or . between): two numbers of one or
// two digits and a four-digit year.
func yearLast(v string) (a, b, y int, ok bool) {
	v = strings.ReplaceAll(grade.Normalize(v), " ", "")
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 || len(parts[0]) > 2 || len(parts[1]) > 2 || len(parts[2]) != 4 {
		return 0, 0, 0, false
	}
	if strings.Count(v, "/")+strings.Count(v, "-")+strings.Count(v, ".") != 2 {
		return 0, 0, 0, false
	}
	var err1, err2, err3 error
	a, err1 = strconv.Atoi(parts[0])
	b, err2 = strconv.Atoi(parts[1])
	y, err3 = strconv.Atoi(parts[2])
	return a, b, y, err1 == nil && err2 == nil && err3 == nil && a > 0 && b > 0
}

// isoDate writes a birth date as 2014-11-23, or false for a day that does
// not exist or a year no pupil was born in.
func isoDate(y, m, d int) (string, bool) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d || y < 1950 || y > 2100 {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), true
}
