package roster

import (
	"context"
	"strings"
	"testing"
)

func birthDates(res *Result) map[string]string {
	out := map[string]string{}
	for _, c := range res.Classes {
		for _, s := range c.Students {
			out[s.Name] = s.BirthDate
		}
	}
	return out
}

func TestDatesWithTheYearLast(t *testing.T) {
	t.Parallel()
	const head = "学号,姓名,出生日期,家长手机\n"
	parse := func(t *testing.T, rows string) *Result {
		t.Helper()
		res, err := Parse(context.Background(), strings.NewReader(head+rows), Options{Name: "三年级2班.csv"})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	t.Run("an English-locale CSV reads month first, the ambiguous dates too", func(t *testing.T) {
		res := parse(t, "1,甲,11/23/2014,13800138000\n2,乙,03/04/2014,13800138001\n3,丙,7/7/2015,13800138002\n")
		want := map[string]string{"甲": "2014-11-23", "乙": "2014-03-04", "丙": "2015-07-07"}
		if got := birthDates(res); len(res.Problems) != 0 || got["甲"] != want["甲"] || got["乙"] != want["乙"] || got["丙"] != want["丙"] {
			t.Errorf("dates %v, problems %+v; want %v and none", got, res.Problems, want)
		}
	})
	t.Run("a file that writes the day first reads day first", func(t *testing.T) {
		res := parse(t, "1,甲,23.11.2014,13800138000\n2,乙,03.04.2014,13800138001\n")
		if got := birthDates(res); got["甲"] != "2014-11-23" || got["乙"] != "2014-04-03" || len(res.Problems) != 0 {
			t.Errorf("dates %v, problems %+v", got, res.Problems)
		}
	})
	t.Run("ambiguous dates with no evidence are left blank and reported once for the column", func(t *testing.T) {
		res := parse(t, "1,甲,03/04/2014,13800138000\n2,乙,05/06/2014,13800138001\n3,丙,2014-01-02,13800138002\n4,丁,08/09/2015,13800138003\n")
		got := birthDates(res)
		if got["甲"] != "" || got["乙"] != "" || got["丁"] != "" || got["丙"] != "2014-01-02" || countStudents(res) != 4 {
			t.Errorf("dates %v (%d students)", got, countStudents(res))
		}
		if len(res.Problems) != 1 {
			t.Fatalf("problems %+v, want one for the file", res.Problems)
		}
		p := res.Problems[0]
		if p.Code != "birth_date_ambiguous" || p.Column != "出生日期" || p.Row != 2 || p.Severity != Warning || !strings.Contains(p.Message, "3 个日期") || !strings.Contains(p.Message, "03/04/2014") {
			t.Errorf("problem %+v", p)
		}
	})
	t.Run("dates that disagree leave the ambiguous ones to the teacher", func(t *testing.T) {
		res := parse(t, "1,甲,11/23/2014,13800138000\n2,乙,23/11/2014,13800138001\n3,丙,03/04/2014,13800138002\n")
		got := birthDates(res)
		if got["甲"] != "2014-11-23" || got["乙"] != "2014-11-23" || got["丙"] != "" || len(res.Problems) != 1 {
			t.Errorf("dates %v, problems %+v", got, res.Problems)
		}
	})
	t.Run("a date that is no date is still reported on its row", func(t *testing.T) {
		res := parse(t, "1,甲,13/13/2014,13800138000\n")
		if len(res.Problems) != 1 || res.Problems[0].Code != "birth_date_invalid" || res.Problems[0].Row != 2 {
			t.Errorf("problems %+v", res.Problems)
		}
	})
}
