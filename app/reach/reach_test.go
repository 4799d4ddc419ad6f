package reach

import (
	"slices"
	"testing"

	"jiashu/store"
)

func TestEveryDayFillsTheDaysBetweenWithZeros(t *testing.T) {
	t.Parallel()
	got := EveryDay([]store.DayCount{{Day: "2026-10-30", Count: 4}, {Day: "2026-11-02", Count: 1}})
	want := []store.DayCount{{Day: "2026-10-30", Count: 4}, {Day: "2026-10-31"}, {Day: "2026-11-01"}, {Day: "2026-11-02", Count: 1}}
	if !slices.Equal(got, want) {
		t.Errorf("EveryDay = %v, want %v", got, want)
	}
	if EveryDay(nil) != nil || EveryDay([]store.DayCount{{Day: "bad", Count: 1}}) != nil {
		t.Error("no days, or a day that is not a date, should give no series")
	}
}

func TestFurthestBehindSkipsEmptyAndFinishedClasses(t *testing.T) {
	t.Parallel()
	classes := []store.Reach{
		{ClassName: "空班", Students: 0},
		{ClassName: "一年级1班", Students: 40, Acknowledged: 10},
		{ClassName: "一年级2班", Students: 40, Acknowledged: 40},
		{ClassName: "一年级3班", Students: 40, Acknowledged: 30},
	}
	got := FurthestBehind(classes, 1)
	if len(got) != 1 || got[0].ClassName != "一年级1班" {
		t.Errorf("FurthestBehind(…, 1) = %+v, want only 一年级1班", got)
	}
	if got := FurthestBehind(classes, 10); len(got) != 2 {
		t.Errorf("FurthestBehind(…, 10) = %d classes, want the two with families missing", len(got))
	}
}

func TestNonRespondersAreMaskedAndSplitByOpening(t *testing.T) {
	t.Parallel()
	rows := NonResponderRows([]store.NonResponder{
		{Number: "01", Name: "王小明", HasLetter: true, Opened: true,
			Guardians: []store.NonResponderGuardian{{Name: "王芳", Relation: "母亲", Mobile: "13800001234"}}},
		{Number: "02", Name: "李华", HasLetter: true, Guardians: []store.NonResponderGuardian{{Name: "李强"}}},
		{Number: "03", Name: "张伟"},
	})
	if g := rows[0].Guardians[0]; g != "王芳（母亲） 138****1234" {
		t.Errorf("guardian shown as %q", g)
	}
	if g := rows[1].Guardians[0]; g != "李强" {
		t.Errorf("a guardian without relation or mobile shown as %q", g)
	}
	opened, never, none := SplitOpened(rows)
	if len(opened) != 1 || opened[0].Number != "01" || len(never) != 1 || never[0].Number != "02" || len(none) != 1 || none[0].Number != "03" {
		t.Errorf("split: opened %+v, never %+v, no letter %+v", opened, never, none)
	}
}
