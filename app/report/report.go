// Package report writes a campaign's Excel report (回执报表) for the
// district or one school: aggregates only, with charts. It is what the
// report page and the report command download.
package report

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"jiashu/app/campaign"
	"jiashu/app/reach"
	"jiashu/app/reminders"
	"jiashu/store"
)

// The report (flow 5): a summary sheet with a bar chart of
// the acknowledgement rate per school (or per class, for one school), a
// sheet per school with its classes, and a sheet of acknowledgements per
// day with a line chart. Aggregates only: no name of a student or guardian,
// no phone number. School and class names are kept from being read as
// formulas (CellText).

// Input is what a report shows.
type Input struct {
	Campaign store.Campaign
	School   store.School  // zero for the district's report
	Classes  []store.Reach // every class of the report's schools
	Schools  []store.Reach // per school (the district's report)
	Total    store.Reach
	Detail   reach.Detail
	At       time.Time
}

// Load gathers a report of campaign camp for the district (school zero) or
// one school: the class rows, the quiz answers, the days (b reads the
// breakdowns). at is the time the report says it was made.
func Load(ctx context.Context, b reach.Breakdowns, t func(string) string, camp store.Campaign, school store.School, at time.Time) (Input, error) {
	in := Input{Campaign: camp, School: school, At: at}
	var err error
	if school.ID == 0 {
		in.Schools, in.Classes, in.Total, err = b.Store.ReachDistrict(ctx, camp.ID)
	} else if in.Classes, err = b.Store.ReachByClass(ctx, camp.ID, school.ID); err == nil {
		for _, r := range in.Classes {
			in.Total.Add(r)
		}
	}
	if err != nil {
		return in, err
	}
	in.Detail, err = b.Load(ctx, t, store.ReachFilter{CampaignID: camp.ID, SchoolID: school.ID}, in.Classes)
	return in, err
}

// sheetName makes a valid, unique sheet name of name: at most 31
// characters, none of : \ / ? * [ ], not starting or ending with '.
func sheetName(name string, used map[string]bool) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, name)
	clean = strings.Trim(clean, "'")
	if clean == "" {
		clean = "_"
	}
	base := []rune(clean)
	for i := 1; ; i++ {
		cand := base
		suffix := ""
		if i > 1 {
			suffix = fmt.Sprintf("(%d)", i)
		}
		if len(cand)+len([]rune(suffix)) > 31 {
			cand = cand[:31-len([]rune(suffix))]
		}
		n := string(cand) + suffix
		if !used[strings.ToLower(n)] {
			used[strings.ToLower(n)] = true
			return n
		}
	}
}

// ref is an absolute range of sheet for a chart, the name quoted (Chinese
// names and spaces need it).
func ref(sheet string, col1 string, row1 int, col2 string, row2 int) string {
	return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", strings.ReplaceAll(sheet, "'", "''"), col1, row1, col2, row2)
}

// cellRef is one cell of sheet for a chart: a series name must be a
// reference, not text.
func cellRef(sheet, col string, row int) string {
	return fmt.Sprintf("'%s'!$%s$%d", strings.ReplaceAll(sheet, "'", "''"), col, row)
}

// sheetWriter writes cells and keeps the first error.
type sheetWriter struct {
	f   *excelize.File
	err error
	pct int // style of a rate cell
	hdr int // style of a header row
	ttl int // style of a title
}

func (w *sheetWriter) row(sheet string, row int, style int, vals ...any) {
	if w.err != nil {
		return
	}
	cell, _ := excelize.CoordinatesToCellName(1, row)
	if w.err = w.f.SetSheetRow(sheet, cell, &vals); w.err != nil || style == 0 {
		return
	}
	last, _ := excelize.CoordinatesToCellName(len(vals), row)
	w.err = w.f.SetCellStyle(sheet, cell, last, style)
}

// rate sets a rate cell (0–1) at col, row as a percentage.
func (w *sheetWriter) rate(sheet, col string, row int, r store.Reach) {
	if w.err != nil {
		return
	}
	cell := fmt.Sprintf("%s%d", col, row)
	if w.err = w.f.SetCellFloat(sheet, cell, float64(int(r.Rate()*1000+0.5))/1000, 3, 64); w.err == nil {
		w.err = w.f.SetCellStyle(sheet, cell, cell, w.pct)
	}
}

func (w *sheetWriter) widths(sheet string, widths ...float64) {
	for i, wd := range widths {
		if w.err != nil {
			return
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		w.err = w.f.SetColWidth(sheet, col, col, wd)
	}
}

// XLSX writes the report in the language of t.
func XLSX(in Input, t func(string) string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	w, err := newSheetWriter(f)
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	summary := sheetName(t("report.sheet.summary"), used)
	if err := f.SetSheetName("Sheet1", summary); err != nil {
		return nil, err
	}
	days := sheetName(t("report.sheet.days"), used)
	first, last := w.summary(summary, in, t)
	if err := w.schools(summary, in, t, used); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(days); err != nil {
		return nil, err
	}
	w.days(days, in, t)
	if w.err != nil {
		return nil, w.err
	}
	// Charts come last, on cells already written.
	if err := rateChart(f, summary, in, t, first, last); err != nil {
		return nil, err
	}
	if err := daysChart(f, days, len(in.Detail.Days), t); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// newSheetWriter makes the report's styles in f.
func newSheetWriter(f *excelize.File) (*sheetWriter, error) {
	w := &sheetWriter{f: f}
	var err error
	if w.pct, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr("0.0%")}); err != nil {
		return nil, err
	}
	if w.hdr, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8F0F8"}}}); err != nil {
		return nil, err
	}
	if w.ttl, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}); err != nil {
		return nil, err
	}
	return w, nil
}

// summary writes the summary sheet: campaign, totals, the rows per school
// (or class), age groups, grades. first and last are the rows of the
// per-school (per-class) rates, which the rate chart draws.
func (w *sheetWriter) summary(sheet string, in Input, t func(string) string) (first, last int) {
	scope := t("report.scope.district")
	if in.School.ID != 0 {
		scope = reminders.CellText(in.School.Name)
	}
	w.row(sheet, 1, w.ttl, t("report.title"))
	w.row(sheet, 2, 0, t("overview.campaign"), reminders.CellText(in.Campaign.Name))
	w.row(sheet, 3, 0, t("report.term"), reminders.CellText(in.Campaign.Term))
	w.row(sheet, 4, 0, t("report.deadline"), in.Campaign.AckDeadline)
	w.row(sheet, 5, 0, t("report.scope"), scope)
	w.row(sheet, 6, 0, t("report.generated"), in.At.In(campaign.ChinaTime).Format("2006-01-02 15:04"))
	w.row(sheet, 8, w.hdr, t("overview.col.students"), t("overview.col.produced"), t("overview.col.opened"), t("overview.col.acknowledged"),
		t("overview.col.rate"), t("report.col.qr"), t("report.col.sms"), t("report.col.typed"), t("report.col.paper"), t("overview.stat.meetings"))
	tot := in.Total
	w.row(sheet, 9, 0, tot.Students, tot.Produced, tot.Opened, tot.Acknowledged, nil, tot.QR, tot.SMS, tot.Typed, tot.Paper, tot.Meetings)
	w.rate(sheet, "E", 9, tot)

	rows, head := in.Schools, t("report.col.school")
	if in.School.ID != 0 {
		rows, head = in.Classes, t("report.col.class")
	}
	r := 11
	w.row(sheet, r, w.hdr, head, t("overview.col.students"), t("overview.col.produced"), t("overview.col.acknowledged"), t("overview.col.rate"))
	first = r + 1
	for _, x := range rows {
		r++
		name := x.SchoolName
		if in.School.ID != 0 {
			name = x.ClassName
		}
		w.row(sheet, r, 0, reminders.CellText(name), x.Students, x.Produced, x.Acknowledged)
		w.rate(sheet, "E", r, x)
	}
	last = r
	w.breakdowns(sheet, r+2, in.Detail, t)
	w.widths(sheet, 22, 12, 12, 12, 12, 12, 12, 12, 12, 12)
	return first, last
}

// breakdowns writes the age groups (with their quiz) and the grades from
// row r on.
func (w *sheetWriter) breakdowns(sheet string, r int, d reach.Detail, t func(string) string) {
	w.row(sheet, r, w.hdr, t("overview.col.age"), t("overview.col.students"), t("overview.col.produced"), t("overview.col.acknowledged"),
		t("overview.col.rate"), t("overview.col.quiz_answered"), t("report.col.quiz_average"), t("report.col.q1"), t("report.col.q2"), t("report.col.q3"))
	for _, a := range d.Ages {
		r++
		vals := []any{a.Label, a.Students, a.Produced, a.Acknowledged, nil, a.Quiz.Answered}
		if a.Quiz.Answered > 0 {
			vals = append(vals, float64(a.Quiz.ScoreSum*100/a.Quiz.Answered)/100)
		}
		w.row(sheet, r, 0, vals...)
		w.rate(sheet, "E", r, a.Reach)
		if a.Quiz.Scored > 0 {
			for i, q := range a.Quiz.Questions {
				if i < 3 {
					w.rate(sheet, string(rune('H'+i)), r, store.Reach{Students: a.Quiz.Scored, Acknowledged: q.Right})
				}
			}
		}
	}
	r += 2
	w.row(sheet, r, w.hdr, t("overview.col.grade"), t("overview.col.students"), t("overview.col.produced"), t("overview.col.acknowledged"), t("overview.col.rate"))
	for _, g := range d.Grades {
		r++
		w.row(sheet, r, 0, g.Label, g.Students, g.Produced, g.Acknowledged)
		w.rate(sheet, "E", r, g.Reach)
	}
}

// schools writes a sheet per school: its classes in grade order.
func (w *sheetWriter) schools(summary string, in Input, t func(string) string, used map[string]bool) error {
	bySchool := map[int64][]store.Reach{}
	var order []store.Reach
	if in.School.ID != 0 {
		order = []store.Reach{{SchoolID: in.School.ID, SchoolName: in.School.Name}}
	} else {
		order = append(order, in.Schools...)
		sort.SliceStable(order, func(i, j int) bool { return order[i].SchoolName < order[j].SchoolName })
	}
	for _, c := range in.Classes {
		bySchool[c.SchoolID] = append(bySchool[c.SchoolID], c)
	}
	for _, sc := range order {
		name := sheetName(sc.SchoolName, used)
		if _, err := w.f.NewSheet(name); err != nil {
			return err
		}
		cls := bySchool[sc.SchoolID]
		sort.SliceStable(cls, func(i, j int) bool {
			if cls[i].Grade != cls[j].Grade {
				return cls[i].Grade < cls[j].Grade
			}
			return cls[i].Number < cls[j].Number
		})
		w.row(name, 1, w.ttl, reminders.CellText(sc.SchoolName))
		w.row(name, 2, w.hdr, t("report.col.class"), t("overview.col.grade"), t("overview.col.students"), t("overview.col.produced"),
			t("overview.col.opened"), t("overview.col.acknowledged"), t("overview.col.rate"),
			t("report.col.qr"), t("report.col.sms"), t("report.col.typed"), t("report.col.paper"), t("overview.col.meetings"))
		for i, c := range cls {
			w.row(name, 3+i, 0, reminders.CellText(c.ClassName), reach.GradeLabel(t, c.Grade), c.Students, c.Produced, c.Opened, c.Acknowledged, nil, c.QR, c.SMS, c.Typed, c.Paper, c.MeetingLast)
			w.rate(name, "G", 3+i, c)
		}
		w.widths(name, 18, 10, 12, 12, 12, 12, 12, 10, 10, 10, 10, 12)
	}
	return nil
}

// days writes the acknowledgements per day, every day from the first to
// the last, with the running total and rate.
func (w *sheetWriter) days(sheet string, in Input, t func(string) string) {
	w.row(sheet, 1, w.hdr, t("report.col.day"), t("report.col.acks"), t("report.col.cumulative"), t("report.col.cumulative_rate"))
	sum := 0
	for i, d := range in.Detail.Days {
		sum += d.Count
		w.row(sheet, 2+i, 0, d.Day, d.Count, sum)
		w.rate(sheet, "D", 2+i, store.Reach{Students: in.Total.Students, Acknowledged: sum})
	}
	w.widths(sheet, 14, 12, 12, 14)
}

// rateChart draws the rate per school (per class) of the summary's rows
// first to last.
func rateChart(f *excelize.File, sheet string, in Input, t func(string) string, first, last int) error {
	if last < first {
		return nil
	}
	title := t("report.chart.rate_school")
	if in.School.ID != 0 {
		title = t("report.chart.rate_class")
	}
	if err := f.AddChart(sheet, "L2", &excelize.Chart{
		Type:      excelize.Bar,
		Series:    []excelize.ChartSeries{{Name: cellRef(sheet, "E", first-1), Categories: ref(sheet, "A", first, "A", last), Values: ref(sheet, "E", first, "E", last)}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		XAxis:     excelize.ChartAxis{ReverseOrder: true},
		YAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, Maximum: ptr(1.0), Minimum: ptr(0.0)},
		Dimension: excelize.ChartDimension{Width: 560, Height: uint(max(260, 40+24*(last-first+1)))},
	}); err != nil {
		return fmt.Errorf("report: rate chart: %w", err)
	}
	return nil
}

// daysChart draws the n days of the days sheet as a line.
func daysChart(f *excelize.File, sheet string, n int, t func(string) string) error {
	if n == 0 {
		return nil
	}
	if err := f.AddChart(sheet, "F2", &excelize.Chart{
		Type:      excelize.Line,
		Series:    []excelize.ChartSeries{{Name: cellRef(sheet, "B", 1), Categories: ref(sheet, "A", 2, "A", n+1), Values: ref(sheet, "B", 2, "B", n+1)}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: t("overview.per_day")}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{Width: 640, Height: 320},
	}); err != nil {
		return fmt.Errorf("report: per-day chart: %w", err)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
