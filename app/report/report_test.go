package report

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"jiashu/app/reach"
	"jiashu/store"
)

func TestSheetName(t *testing.T) {
	t.Parallel()
	used := map[string]bool{}
	long := strings.Repeat("长", 40)
	tests := []struct{ in, want string }{
		{"阳光小学", "阳光小学"},
		{"阳光小学", "阳光小学(2)"},
		{"a/b:c?d*e[f]g\\h", "a_b_c_d_e_f_g_h"},
		{"'引号'", "引号"},
		{long, strings.Repeat("长", 31)},
		{long, strings.Repeat("长", 28) + "(2)"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%q becomes %q", tc.in, tc.want), func(t *testing.T) {
			got := sheetName(tc.in, used)
			if got != tc.want || utf8.RuneCountInString(got) > 31 {
				t.Errorf("sheetName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestXLSXSummarySchoolSheetsAndRunningTotalPerDay(t *testing.T) {
	t.Parallel()
	t2 := func(k string) string { return k } // the keys stand for the texts
	in := Input{
		Campaign: store.Campaign{Name: "=秋季", Term: "2026秋"},
		Classes: []store.Reach{
			{SchoolID: 1, SchoolName: "实验小学", ClassName: "三年级2班", Grade: 3, Number: 2, Students: 40, Acknowledged: 30},
			{SchoolID: 1, SchoolName: "实验小学", ClassName: "三年级1班", Grade: 3, Number: 1, Students: 40, Acknowledged: 10},
		},
		Schools: []store.Reach{{SchoolID: 1, SchoolName: "实验小学", Students: 80, Acknowledged: 40}},
		Total:   store.Reach{Students: 80, Acknowledged: 40},
		Detail:  reach.Detail{Days: []store.DayCount{{Day: "2026-11-01", Count: 25}, {Day: "2026-11-02"}, {Day: "2026-11-03", Count: 15}}},
		At:      time.Date(2026, 11, 4, 1, 0, 0, 0, time.UTC),
	}
	b, err := XLSX(in, t2)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"report.sheet.summary", "实验小学", "report.sheet.days"}) {
		t.Fatalf("sheets %q", got)
	}
	if v, _ := f.GetCellValue("report.sheet.summary", "B2"); v != "'=秋季" {
		t.Errorf("campaign name %q: a formula must be quoted", v)
	}
	if v, _ := f.GetCellValue("report.sheet.summary", "B6"); v != "2026-11-04 09:00" {
		t.Errorf("made at %q, want China time", v)
	}
	rows, _ := f.GetRows("实验小学")
	if len(rows) != 4 || rows[2][0] != "三年级1班" || rows[3][0] != "三年级2班" {
		t.Errorf("the school's classes are not in grade and number order: %q", rows)
	}
	days, _ := f.GetRows("report.sheet.days")
	if len(days) != 4 || days[3][2] != "40" || days[2][1] != "0" {
		t.Errorf("per day %q: want every day with the running total 40", days)
	}
}
