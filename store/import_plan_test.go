package store

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"jiashu/roster"
)

// planSchool is the stored state of the plan tests: class 3-2 (id 10) with
// 王小明 and 王小红 (siblings sharing guardian 100), 张三 (guardian 101) and
// 李九, who transferred (guardian 102, stored without a relation); class
// 3-3 (id 11) with 赵五.
func planSchool() importState {
	wang := guardianTuple{"王大明", "父亲", "13800000001"}
	zhang := guardianTuple{"张父", "父亲", "13900000003"}
	li := guardianTuple{"李父", "", "13700000009"}
	zhao := guardianTuple{"赵父", "父亲", "13600000005"}
	stored := func(id, class int64, name string, active bool, g guardianTuple, gid int64) *storedStudent {
		return &storedStudent{id: id, classID: class, name: name, gender: "男", birth: "2017-03-01", active: active,
			guardians: []guardianTuple{g}, guardianIDs: []int64{gid}}
	}
	return importState{
		classes: map[classKey]storedClass{
			{3, 2}: {id: 10, name: "三年级2班", head: "李老师"},
			{3, 3}: {id: 11, name: "三年级3班", head: "周老师"},
		},
		students: map[string]*storedStudent{
			"1": stored(1, 10, "王小明", true, wang, 100),
			"2": stored(2, 10, "王小红", true, wang, 100),
			"3": stored(3, 10, "张三", true, zhang, 101),
			"9": stored(9, 10, "李九", false, li, 102),
			"5": stored(5, 11, "赵五", true, zhao, 103),
		},
		shared: map[string]storedGuardian{
			sharedKey(wang.name, wang.mobile):   {id: 100, relation: "父亲"},
			sharedKey(zhang.name, zhang.mobile): {id: 101, relation: "父亲"},
			sharedKey(li.name, li.mobile):       {id: 102, relation: ""},
			sharedKey(zhao.name, zhao.mobile):   {id: 103, relation: "父亲"},
		},
	}
}

// The stored students of planSchool as roster rows, unchanged.
var (
	planWang     = father("王大明", "13800000001")
	planXiaoming = student("1", "王小明", planWang)
	planXiaohong = student("2", "王小红", planWang)
	planZhang    = student("3", "张三", father("张父", "13900000003"))
	planLi       = student("9", "李九", roster.Guardian{Name: "李父", Mobile: "13700000009"})
	planZhao     = student("5", "赵五", father("赵父", "13600000005"))
)

func planClass32(students ...roster.Student) roster.Class {
	return roster.Class{Grade: 3, Number: 2, Students: students}
}

// planOutcome is a plan in words: students by number, stored guardians as
// #id, new ones by name.
type planOutcome struct {
	classes      []string // "3-2 name/head created|changed|kept"
	added        []string
	updated      []string
	unchanged    int
	transferred  []string
	newGuardians []string // "name mobile"
	links        []string // "number→guardian relation"
	unlinked     []string
	tidied       []int64
	fixed        []string // "#id relation"
}

func describePlan(p importPlan, state importState) planOutcome {
	var o planOutcome
	numberOf := map[int64]string{}
	for n, st := range state.students {
		numberOf[st.id] = n
	}
	for _, c := range p.classes {
		how := "kept"
		switch {
		case c.id == 0:
			how = "created"
		case c.changed:
			how = "changed"
		}
		o.classes = append(o.classes, fmt.Sprintf("%d-%d %s/%s %s", c.key.grade, c.key.number, c.name, c.head, how))
	}
	for _, a := range p.add {
		o.added = append(o.added, a.st.Number)
	}
	for _, u := range p.update {
		o.updated = append(o.updated, u.st.Number)
	}
	o.unchanged = p.unchanged
	for _, id := range p.transfer {
		o.transferred = append(o.transferred, numberOf[id])
	}
	for _, g := range p.guardians {
		o.newGuardians = append(o.newGuardians, g.name+" "+g.mobile)
	}
	for _, l := range p.links {
		who := numberOf[l.student.id]
		if l.student.id == 0 {
			who = p.add[l.student.index].st.Number
		}
		to := fmt.Sprintf("#%d", l.guardian.id)
		if l.guardian.id == 0 {
			to = p.guardians[l.guardian.index].name
		}
		o.links = append(o.links, fmt.Sprintf("%s→%s %s", who, to, l.relation))
	}
	for _, id := range p.unlink {
		o.unlinked = append(o.unlinked, numberOf[id])
	}
	o.tidied = p.tidy
	for _, f := range p.fixRelations {
		o.fixed = append(o.fixed, fmt.Sprintf("#%d %s", f.guardianID, f.relation))
	}
	return o
}

func TestPlanImport(t *testing.T) {
	t.Parallel()
	kept32 := []string{"3-2 三年级2班/李老师 kept"}
	cases := []struct {
		name        string
		file        []roster.Class
		keepMissing bool
		want        planOutcome
	}{
		{
			name: "the same roster again changes nothing",
			file: []roster.Class{planClass32(planXiaoming, planXiaohong, planZhang)},
			want: planOutcome{classes: kept32, unchanged: 3},
		},
		{
			name: "a re-import updates by student number and keeps the guardian links",
			file: []roster.Class{planClass32(planXiaoming, student("2", "王晓红", planWang), planZhang)},
			want: planOutcome{classes: kept32, updated: []string{"2"}, unchanged: 2},
		},
		{
			name: "missing students are transferred, not deleted; those already transferred and other classes' are left alone",
			file: []roster.Class{planClass32(planXiaoming)},
			want: planOutcome{classes: kept32, unchanged: 1, transferred: []string{"2", "3"}},
		},
		{
			name:        "rows left out for errors do not count as transfers",
			file:        []roster.Class{planClass32(planXiaoming)},
			keepMissing: true,
			want:        planOutcome{classes: kept32, unchanged: 1},
		},
		{
			name: "a transferred student who appears again is reactivated",
			file: []roster.Class{planClass32(planXiaoming, planXiaohong, planZhang, planLi)},
			want: planOutcome{classes: kept32, updated: []string{"9"}, unchanged: 3},
		},
		{
			name: "siblings new to the school share one new guardian",
			file: []roster.Class{planClass32(planXiaoming, planXiaohong, planZhang,
				student("6", "钱六", father("钱父", "13500000006")), student("7", "钱七", father("钱父", "13500000006")))},
			want: planOutcome{classes: kept32, added: []string{"6", "7"}, unchanged: 3,
				newGuardians: []string{"钱父 13500000006"}, links: []string{"6→钱父 父亲", "7→钱父 父亲"}},
		},
		{
			name: "a new sibling of a stored student shares the stored guardian",
			file: []roster.Class{{Grade: 1, Number: 1, Name: "一年级1班", Students: []roster.Student{student("8", "王小小", planWang)}}},
			want: planOutcome{classes: []string{"1-1 一年级1班/ created"}, added: []string{"8"}, links: []string{"8→#100 父亲"}},
		},
		{
			name: "guardians without a mobile are never shared",
			file: []roster.Class{planClass32(planXiaoming, planXiaohong, planZhang,
				student("6", "孙六", roster.Guardian{Name: "孙母", Relation: "母亲"}), student("7", "孙七", roster.Guardian{Name: "孙母", Relation: "母亲"}))},
			want: planOutcome{classes: kept32, added: []string{"6", "7"}, unchanged: 3,
				newGuardians: []string{"孙母 ", "孙母 "}, links: []string{"6→孙母 母亲", "7→孙母 母亲"}},
		},
		{
			name: "a corrected mobile relinks the student and offers the old guardian for removal",
			file: []roster.Class{planClass32(planXiaoming, planXiaohong, student("3", "张三", father("张父", "13900000333")))},
			want: planOutcome{classes: kept32, updated: []string{"3"}, unchanged: 2, unlinked: []string{"3"}, tidied: []int64{101},
				newGuardians: []string{"张父 13900000333"}, links: []string{"3→张父 父亲"}},
		},
		{
			name: "the child's relation goes on the link and fills a blank shared one once",
			file: []roster.Class{{Grade: 3, Number: 3, Students: []roster.Student{planZhao,
				student("11", "李十一", father("李父", "13700000009")), student("12", "李十二", roster.Guardian{Name: "李父", Relation: "爸爸", Mobile: "13700000009"})}}},
			want: planOutcome{classes: []string{"3-3 三年级3班/周老师 kept"}, added: []string{"11", "12"}, unchanged: 1,
				links: []string{"11→#102 父亲", "12→#102 爸爸"}, fixed: []string{"#102 父亲"}},
		},
		{
			name: "a student moved to a new class is updated and their old class, not in the file, keeps its students",
			file: []roster.Class{{Grade: 3, Number: 4, Name: "三年级4班", Students: []roster.Student{planZhao}}},
			want: planOutcome{classes: []string{"3-4 三年级4班/ created"}, updated: []string{"5"}},
		},
		{
			name: "a class keeps its recorded head teacher when the file names another, and its name when the file gives none",
			file: []roster.Class{{Grade: 3, Number: 2, HeadTeacher: "赵老师", Students: []roster.Student{planXiaoming, planXiaohong, planZhang}}},
			want: planOutcome{classes: []string{"3-2 三年级2班/李老师 kept"}, unchanged: 3},
		},
		{
			name: "a new class takes the head teacher the file gives",
			file: []roster.Class{{Grade: 3, Number: 4, Name: "三年级4班", HeadTeacher: "赵老师", Students: []roster.Student{student("40", "孙四")}}},
			want: planOutcome{classes: []string{"3-4 三年级4班/赵老师 created"}, added: []string{"40"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			state := planSchool()
			got := describePlan(planImport(tc.file, state, tc.keepMissing, 0), state)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("plan\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestPlanResult(t *testing.T) {
	t.Parallel()
	state := planSchool()
	file := []roster.Class{
		planClass32(planXiaoming, student("2", "王晓红", planWang), student("6", "钱六")),
		{Grade: 1, Number: 1, Name: "一年级1班", Students: []roster.Student{student("8", "王小小", planWang)}},
	}
	p := planImport(file, state, false, 0)
	t.Run("a dry run reports the counts and leaves new classes without an id", func(t *testing.T) {
		res := p.result(nil, true)
		want := ImportResult{Students: 4, Added: 2, Updated: 1, Unchanged: 1, Deactivated: 1, DryRun: true, Transferred: []string{"张三（3）"}, Classes: []ImportedClass{
			{ID: 10, Grade: 3, Number: 2, Name: "三年级2班", Students: 3},
			{ID: 0, Grade: 1, Number: 1, Name: "一年级1班", Students: 1, Created: true},
		}}
		if !reflect.DeepEqual(res, want) {
			t.Errorf("result\n got %+v\nwant %+v", res, want)
		}
	})
	t.Run("a class whose roster names another head teacher is reported with both names", func(t *testing.T) {
		c := planClass32(planXiaoming)
		c.HeadTeacher = "江老师"
		res := planImport([]roster.Class{c}, state, true, 0).result(nil, true)
		want := []HeadTeacherNote{{Grade: 3, Number: 2, Class: "三年级2班", Recorded: "李老师", Roster: "江老师"}}
		if !reflect.DeepEqual(res.HeadTeachers, want) || res.Classes[0].Name != "三年级2班" {
			t.Fatalf("head teachers %+v, want %+v", res.HeadTeachers, want)
		}
		if m := want[0].Message(); !strings.Contains(m, "“江老师”") || !strings.Contains(m, "仍署名“李老师”") {
			t.Errorf("message %q does not name both", m)
		}
	})
	t.Run("a written import reports the ids of the classes it created", func(t *testing.T) {
		res := p.result(map[classKey]int64{{3, 2}: 10, {1, 1}: 42}, false)
		if res.Classes[1].ID != 42 || res.Classes[0].ID != 10 || res.DryRun {
			t.Errorf("classes %+v", res.Classes)
		}
	})
}

func TestGroupClasses(t *testing.T) {
	t.Parallel()
	t.Run("two sheets of one class are one class with the later name and head teacher", func(t *testing.T) {
		a := roster.Class{Grade: 3, Number: 2, Name: "三年级2班", Students: []roster.Student{student("1", "甲")}}
		other := roster.Class{Grade: 4, Number: 1, Students: []roster.Student{student("3", "丙")}}
		b := roster.Class{Grade: 3, Number: 2, HeadTeacher: "李老师", Students: []roster.Student{student("2", "乙")}}
		got, err := groupClasses([]roster.Class{a, other, b})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Name != "三年级2班" || got[0].HeadTeacher != "李老师" || len(got[0].Students) != 2 || got[1].Grade != 4 {
			t.Errorf("grouped = %+v", got)
		}
	})
	t.Run("a student number given twice is refused", func(t *testing.T) {
		_, err := groupClasses([]roster.Class{planClass32(student("1", "甲")), {Grade: 4, Number: 1, Students: []roster.Student{student("1", "乙")}}})
		if !errors.Is(err, ErrDuplicateStudent) || !strings.Contains(err.Error(), `"1" (乙)`) {
			t.Errorf("error = %v", err)
		}
	})
}
