package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"jiashu/roster"
)

func student(number, name string, guardians ...roster.Guardian) roster.Student {
	return roster.Student{Number: number, Name: name, Gender: "男", BirthDate: "2017-03-01", Guardians: guardians}
}

func father(name, mobile string) roster.Guardian {
	return roster.Guardian{Name: name, Relation: "父亲", Mobile: mobile}
}

func class32(students ...roster.Student) roster.Class {
	return roster.Class{Grade: 3, Number: 2, Name: "三年级2班", HeadTeacher: "李老师", Students: students}
}

func mustSchool(t *testing.T, s *Store, name string) School {
	t.Helper()
	sc, _, err := s.EnsureSchool(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func mustImport(t *testing.T, s *Store, schoolID int64, opt ImportOptions, classes ...roster.Class) ImportResult {
	t.Helper()
	res, err := s.ImportRoster(context.Background(), schoolID, classes, opt)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

type counts struct{ added, updated, unchanged, deactivated int }

func checkCounts(t *testing.T, res ImportResult, want counts) {
	t.Helper()
	got := counts{res.Added, res.Updated, res.Unchanged, res.Deactivated}
	if got != want {
		t.Errorf("import counts = %+v, want %+v", got, want)
	}
}

// byNumber indexes the students of a class (transferred included).
func byNumber(t *testing.T, s *Store, classID int64) map[string]Student {
	t.Helper()
	sts, err := s.StudentsWithTransferred(context.Background(), classID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Student{}
	for _, st := range sts {
		out[st.Number] = st
	}
	return out
}

// forEachImportPath runs fn on every backend twice: with imports reading
// only the rows they can touch (the path of a class upload) and reading the
// whole school (the path of a school-wide import).
func forEachImportPath(t *testing.T, fn func(t *testing.T, s *Store)) {
	for _, path := range []struct {
		name  string
		limit int
	}{{"class-scoped", defaultSmallImport}, {"whole-school", 0}} {
		t.Run(path.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, s *Store) {
				s.smallImport = path.limit
				fn(t, s)
			})
		})
	}
}

func TestImportRoster(t *testing.T) {
	t.Parallel()
	forEachImportPath(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		sc := mustSchool(t, s, "实验小学")
		wang := father("王大明", "13800138000")

		res := mustImport(t, s, sc.ID, ImportOptions{}, class32(
			student("2017001", "王小明", wang),
			student("2017002", "王小红", wang),
			student("2017003", "张三", father("张父", "13900139000"), roster.Guardian{Name: "张母", Relation: "母亲"}),
		))
		t.Run("first import adds every student and creates the class", func(t *testing.T) {
			checkCounts(t, res, counts{added: 3})
			if len(res.Classes) != 1 || res.Classes[0].Name != "三年级2班" || res.Classes[0].Students != 3 || !res.Classes[0].Created {
				t.Fatalf("classes = %+v", res.Classes)
			}
			c, err := s.ClassByName(ctx, sc.ID, "三年级2班")
			if err != nil {
				t.Fatal(err)
			}
			if c.Grade != 3 || c.Number != 2 || c.HeadTeacher != "李老师" || c.ActiveStudents != 3 {
				t.Errorf("class = %+v", c)
			}
		})
		classID := res.Classes[0].ID
		t.Run("siblings share one guardian row", func(t *testing.T) {
			st := byNumber(t, s, classID)
			a, b := st["2017001"], st["2017002"]
			if len(a.Guardians) != 1 || len(b.Guardians) != 1 || a.Guardians[0].ID != b.Guardians[0].ID {
				t.Fatalf("guardians = %+v / %+v", a.Guardians, b.Guardians)
			}
			if g := st["2017003"].Guardians; len(g) != 2 || g[0].Name != "张父" || g[1].Name != "张母" || g[1].Mobile != "" {
				t.Errorf("guardians of 张三 in roster order = %+v", g)
			}
		})

		camp, err := s.DefaultCampaign(ctx, sc.ID)
		if err != nil {
			t.Fatal(err)
		}
		before := byNumber(t, s, classID)
		letters, err := s.IssueLetters(ctx, camp.ID, []int64{before["2017001"].ID, before["2017002"].ID, before["2017003"].ID})
		if err != nil {
			t.Fatal(err)
		}

		t.Run("dry run reports the changes and writes nothing", func(t *testing.T) {
			res := mustImport(t, s, sc.ID, ImportOptions{DryRun: true}, class32(student("2017001", "王小明", wang)))
			checkCounts(t, res, counts{unchanged: 1, deactivated: 2})
			c, _ := s.Class(ctx, classID)
			if c.ActiveStudents != 3 {
				t.Errorf("after a dry run the class has %d active students, want 3", c.ActiveStudents)
			}
		})

		t.Run("re-import updates, adds and marks the missing transferred", func(t *testing.T) {
			res := mustImport(t, s, sc.ID, ImportOptions{}, class32(
				student("2017001", "王小明", wang),
				student("2017002", "王晓红", wang), // name corrected
				student("2017004", "李四", father("李父", "13700137000")),
			))
			checkCounts(t, res, counts{added: 1, updated: 1, unchanged: 1, deactivated: 1})
			st := byNumber(t, s, classID)
			if st["2017002"].Name != "王晓红" || !st["2017002"].Active {
				t.Errorf("updated student = %+v", st["2017002"])
			}
			if z, ok := st["2017003"]; !ok || z.Active {
				t.Errorf("missing student should be kept and inactive: %+v (present %v)", z, ok)
			}
			active, _ := s.Students(ctx, classID)
			if len(active) != 3 {
				t.Errorf("active students = %d, want 3", len(active))
			}
		})

		t.Run("a transferred student keeps the letter and its token", func(t *testing.T) {
			v, err := s.LetterByToken(ctx, letters[2].Token)
			if err != nil {
				t.Fatal(err)
			}
			if v.Student.Number != "2017003" || v.Student.Active {
				t.Errorf("letter of the transferred student = %+v", v.Student)
			}
			again, err := s.IssueLetters(ctx, camp.ID, []int64{before["2017003"].ID})
			if err != nil {
				t.Fatal(err)
			}
			if again[0].Token != letters[2].Token {
				t.Errorf("token changed on re-issue: %s → %s", letters[2].Token, again[0].Token)
			}
		})

		t.Run("a transferred student who reappears is reactivated and counted as updated", func(t *testing.T) {
			res := mustImport(t, s, sc.ID, ImportOptions{}, class32(
				student("2017001", "王小明", wang),
				student("2017002", "王晓红", wang),
				student("2017003", "张三", father("张父", "13900139000"), roster.Guardian{Name: "张母", Relation: "母亲"}),
				student("2017004", "李四", father("李父", "13700137000")),
			))
			checkCounts(t, res, counts{updated: 1, unchanged: 3})
			if st := byNumber(t, s, classID)["2017003"]; !st.Active || st.ID != before["2017003"].ID {
				t.Errorf("reactivated student = %+v, want the same row active", st)
			}
		})

		t.Run("a changed phone number updates the student and drops the old guardian", func(t *testing.T) {
			newWang := father("王大明", "13800138999")
			res := mustImport(t, s, sc.ID, ImportOptions{}, class32(
				student("2017001", "王小明", newWang),
				student("2017002", "王晓红", newWang),
				student("2017003", "张三", father("张父", "13900139000"), roster.Guardian{Name: "张母", Relation: "母亲"}),
				student("2017004", "李四", father("李父", "13700137000")),
			))
			checkCounts(t, res, counts{updated: 2, unchanged: 2})
			st := byNumber(t, s, classID)
			a, b := st["2017001"].Guardians, st["2017002"].Guardians
			if len(a) != 1 || a[0].Mobile != "13800138999" || a[0].ID != b[0].ID {
				t.Errorf("guardians after the phone change = %+v / %+v", a, b)
			}
			var n int
			if err := s.DB().QueryRow(s.Rebind(`SELECT COUNT(*) FROM guardians WHERE mobile = ?`), "13800138000").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%d unlinked guardians with the old number remain", n)
			}
		})

		t.Run("a student moved to another class is updated, the old class not emptied", func(t *testing.T) {
			res := mustImport(t, s, sc.ID, ImportOptions{}, roster.Class{Grade: 3, Number: 3, Name: "三年级3班",
				Students: []roster.Student{student("2017004", "李四", father("李父", "13700137000"))}})
			checkCounts(t, res, counts{updated: 1})
			c33, err := s.ClassByGrade(ctx, sc.ID, 3, 3)
			if err != nil {
				t.Fatal(err)
			}
			if c33.ActiveStudents != 1 {
				t.Errorf("new class has %d students, want 1", c33.ActiveStudents)
			}
			c32, _ := s.Class(ctx, classID)
			if c32.ActiveStudents != 3 {
				t.Errorf("old class has %d active students, want 3", c32.ActiveStudents)
			}
		})

		t.Run("a sibling in another class shares the guardian", func(t *testing.T) {
			res := mustImport(t, s, sc.ID, ImportOptions{}, roster.Class{Grade: 1, Number: 1, Name: "一年级1班",
				Students: []roster.Student{student("2020001", "王小小", father("王大明", "13800138999"))}})
			checkCounts(t, res, counts{added: 1})
			little := byNumber(t, s, res.Classes[0].ID)["2020001"]
			big := byNumber(t, s, classID)["2017001"]
			if len(little.Guardians) != 1 || little.Guardians[0].ID != big.Guardians[0].ID {
				t.Errorf("guardians %+v and %+v are not shared", little.Guardians, big.Guardians)
			}
		})

		t.Run("siblings spelling the relation differently keep their own and stay unchanged", func(t *testing.T) {
			dad := roster.Guardian{Name: "陈父", Relation: "父亲", Mobile: "13600136000"}
			papa := roster.Guardian{Name: "陈父", Relation: "爸爸", Mobile: "13600136000"}
			c := roster.Class{Grade: 5, Number: 1, Name: "五年级1班", Students: []roster.Student{
				student("2015001", "陈大", dad), student("2015002", "陈二", papa)}}
			mustImport(t, s, sc.ID, ImportOptions{}, c)
			res := mustImport(t, s, sc.ID, ImportOptions{}, c)
			checkCounts(t, res, counts{unchanged: 2})
			st := byNumber(t, s, res.Classes[0].ID)
			a, b := st["2015001"].Guardians[0], st["2015002"].Guardians[0]
			if a.ID != b.ID || a.Relation != "父亲" || b.Relation != "爸爸" {
				t.Errorf("guardians = %+v / %+v", a, b)
			}
		})

		t.Run("KeepMissing leaves students not in the file alone", func(t *testing.T) {
			res := mustImport(t, s, sc.ID, ImportOptions{KeepMissing: true}, class32(student("2017001", "王小明", father("王大明", "13800138999"))))
			checkCounts(t, res, counts{unchanged: 1})
			if c, _ := s.Class(ctx, classID); c.ActiveStudents != 3 {
				t.Errorf("class has %d active students, want 3", c.ActiveStudents)
			}
		})

		t.Run("an empty import changes nothing", func(t *testing.T) {
			res := mustImport(t, s, sc.ID, ImportOptions{})
			checkCounts(t, res, counts{})
			if c, _ := s.Class(ctx, classID); c.ActiveStudents != 3 {
				t.Errorf("class has %d active students, want 3", c.ActiveStudents)
			}
		})

		t.Run("a head teacher is recorded while the class has none; another in a later roster is reported, not taken", func(t *testing.T) {
			if _, err := s.SetHeadTeacher(ctx, classID, "", 0); err != nil {
				t.Fatal(err)
			}
			c := class32(student("2017001", "王小明", father("王大明", "13800138999")))
			c.HeadTeacher = "赵老师"
			if res := mustImport(t, s, sc.ID, ImportOptions{KeepMissing: true}, c); len(res.HeadTeachers) != 0 {
				t.Errorf("a first head teacher was reported as different: %+v", res.HeadTeachers)
			}
			c.HeadTeacher = ""
			mustImport(t, s, sc.ID, ImportOptions{KeepMissing: true}, c)
			c.HeadTeacher = "江老师"
			res := mustImport(t, s, sc.ID, ImportOptions{KeepMissing: true}, c)
			if got, _ := s.Class(ctx, classID); got.HeadTeacher != "赵老师" {
				t.Errorf("head teacher = %q, want 赵老师 (kept)", got.HeadTeacher)
			}
			want := []HeadTeacherNote{{Grade: 3, Number: 2, Class: "三年级2班", Recorded: "赵老师", Roster: "江老师"}}
			if !reflect.DeepEqual(res.HeadTeachers, want) {
				t.Errorf("reported %+v, want %+v", res.HeadTeachers, want)
			}
		})
	})
}

func TestImportRosterFailureWritesNothing(t *testing.T) {
	t.Parallel()
	forEachImportPath(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		sc := mustSchool(t, s, "失败小学")
		good := class32(student("1", "甲", father("甲父", "13800000001")))
		cases := []struct {
			name    string
			classes []roster.Class
		}{
			{"a student without a number is refused by the database", []roster.Class{good,
				{Grade: 4, Number: 1, Name: "四年级1班", Students: []roster.Student{student("", "乙")}}}},
			{"a grade out of range is refused by the database", []roster.Class{good,
				{Grade: 13, Number: 1, Name: "十三年级1班", Students: []roster.Student{student("2", "丙")}}}},
			{"the same number twice is refused before writing", []roster.Class{good,
				{Grade: 4, Number: 1, Name: "四年级1班", Students: []roster.Student{student("1", "丁")}}}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := s.ImportRoster(ctx, sc.ID, tc.classes, ImportOptions{}); err == nil {
					t.Fatal("import succeeded")
				}
				cs, err := s.Classes(ctx, sc.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(cs) != 0 {
					t.Errorf("failed import left %d classes", len(cs))
				}
				var n int
				if err := s.DB().QueryRow(`SELECT (SELECT COUNT(*) FROM students) + (SELECT COUNT(*) FROM guardians)`).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n != 0 {
					t.Errorf("failed import left %d students and guardians", n)
				}
			})
		}
		_, err := s.ImportRoster(ctx, sc.ID, cases[2].classes, ImportOptions{})
		if !errors.Is(err, ErrDuplicateStudent) {
			t.Errorf("duplicate number error = %v, want ErrDuplicateStudent", err)
		}
		if _, err := s.ImportRoster(ctx, 9999, []roster.Class{good}, ImportOptions{}); !errors.Is(err, ErrNotFound) {
			t.Errorf("import into a missing school: %v, want ErrNotFound", err)
		}
	})
}

// genClass makes a class of n students numbered from first, each with a
// guardian of their own.
func genClass(grade, number, first, n int) roster.Class {
	c := roster.Class{Grade: grade, Number: number, Name: fmt.Sprintf("%d年级%d班", grade, number)}
	for i := range n {
		num := first + i
		c.Students = append(c.Students, roster.Student{
			Number: fmt.Sprintf("S%06d", num), Name: fmt.Sprintf("学生%d", num), Gender: "女", BirthDate: "2015-05-05",
			Guardians: []roster.Guardian{{Name: fmt.Sprintf("家长%d", num), Relation: "母亲", Mobile: fmt.Sprintf("139%08d", num)}},
		})
	}
	return c
}

func TestConcurrentImportsStayConsistent(t *testing.T) {
	t.Parallel()
	forEachImportPath(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		sc := mustSchool(t, s, "并发中学")
		// X holds classes 1 and 2, Y classes 2 and 3; class 2 is the same in both.
		c1, c2, c3 := genClass(7, 1, 0, 40), genClass(7, 2, 100, 40), genClass(7, 3, 200, 40)
		sets := [][]roster.Class{{c1, c2}, {c2, c3}}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for round := 0; round < 3; round++ {
			for _, set := range sets {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := s.ImportRoster(ctx, sc.ID, set, ImportOptions{}); err != nil {
						errs <- err
					}
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent import: %v", err)
		}
		cs, err := s.Classes(ctx, sc.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cs {
			got = append(got, fmt.Sprintf("%s:%d", c.Name, c.ActiveStudents))
		}
		sort.Strings(got)
		want := []string{"7年级1班:40", "7年级2班:40", "7年级3班:40"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("classes after concurrent imports = %v, want %v", got, want)
		}
		var students, guardians, links int
		err = s.DB().QueryRow(`SELECT (SELECT COUNT(*) FROM students), (SELECT COUNT(*) FROM guardians), (SELECT COUNT(*) FROM student_guardians)`).Scan(&students, &guardians, &links)
		if err != nil {
			t.Fatal(err)
		}
		if students != 120 || guardians != 120 || links != 120 {
			t.Errorf("rows after concurrent imports: %d students, %d guardians, %d links; want 120 each", students, guardians, links)
		}
		res := mustImport(t, s, sc.ID, ImportOptions{DryRun: true}, c1, c2, c3)
		checkCounts(t, res, counts{unchanged: 120})
	})
}

func TestImportRosterWithoutClassesChangesNothing(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		sc := mustSchool(t, s, "实验小学")
		mustImport(t, s, sc.ID, ImportOptions{}, class32(student("2017001", "王小明", father("王大明", "13800138000"))))
		res, err := s.ImportRoster(context.Background(), sc.ID, nil, ImportOptions{})
		if err != nil {
			t.Fatalf("an empty roster: %v", err)
		}
		checkCounts(t, res, counts{})
		cls, err := s.Classes(context.Background(), sc.ID)
		if err != nil || len(cls) != 1 || cls[0].ActiveStudents != 1 {
			t.Fatalf("classes after an empty import: %+v %v", cls, err)
		}
	})
}

func TestDryRunTakesNoLock(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		sc := mustSchool(t, s, "预览小学")
		wang := father("王大明", "13800138000")
		mustImport(t, s, sc.ID, ImportOptions{}, class32(student("2017001", "王小明", wang), student("2017002", "王小红", wang)))

		// Another import is under way: it holds SQLite's write lock and, on
		// PostgreSQL, the school's row, and has written a class it has not
		// committed.
		holder, err := s.DB().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer holder.Rollback()
		if err := s.checkSchool(ctx, holder, sc.ID, s.Dialect() == Postgres); err != nil {
			t.Fatal(err)
		}
		if _, err := holder.Exec(s.Rebind(`INSERT INTO classes (school_id, grade, number, name, head_teacher) VALUES (?, 9, 9, '九年级9班', '')`), sc.ID); err != nil {
			t.Fatal(err)
		}

		// Only a guard against hanging: a preview waiting for the lock would
		// fail with SQLITE_BUSY after the busy timeout, or wait here on
		// PostgreSQL.
		guarded, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		res, err := s.ImportRoster(guarded, sc.ID, []roster.Class{
			class32(student("2017001", "王小明", wang), student("2017003", "张三", father("张父", "13900139000"))),
			{Grade: 9, Number: 9, Name: "九年级9班", Students: []roster.Student{student("2017009", "九九")}},
		}, ImportOptions{DryRun: true})
		t.Run("a preview answers while another import holds the school", func(t *testing.T) {
			if err != nil {
				t.Fatalf("dry run during an import: %v", err)
			}
			checkCounts(t, res, counts{added: 2, unchanged: 1, deactivated: 1})
		})
		t.Run("it sees only committed data and reports the class it would create", func(t *testing.T) {
			if len(res.Classes) != 2 || !res.Classes[1].Created || res.Classes[1].ID != 0 || res.Classes[0].Created {
				t.Errorf("classes = %+v", res.Classes)
			}
		})
		if err := holder.Rollback(); err != nil {
			t.Fatal(err)
		}
		t.Run("it writes nothing", func(t *testing.T) {
			cls, err := s.Classes(ctx, sc.ID)
			if err != nil || len(cls) != 1 || cls[0].ActiveStudents != 2 {
				t.Errorf("classes after the dry run: %+v, %v", cls, err)
			}
		})
	})
}

// Imports of the valid rows only keep the students missing from the file:
// repeated, they could grow a class past the cap a roster file is held to.
// The store refuses the import that would, in a dry run and for real, and
// writes nothing; a whole roster, which transfers the missing students,
// goes through.
func TestValidOnlyImportsCannotGrowAClassPastTheCap(t *testing.T) {
	t.Parallel()
	forEachImportPath(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		sc := mustSchool(t, s, "满员小学")
		mustImport(t, s, sc.ID, ImportOptions{}, genClass(3, 2, 1, roster.MaxClassStudents))
		others := genClass(3, 2, 10000, 5) // five new students, none of the stored ones
		for _, dry := range []bool{true, false} {
			_, err := s.ImportRoster(ctx, sc.ID, []roster.Class{others}, ImportOptions{KeepMissing: true, DryRun: dry, MaxClassStudents: roster.MaxClassStudents})
			var tl *ClassTooLargeError
			if !errors.As(err, &tl) || len(tl.Classes) != 1 || tl.Classes[0].Students != roster.MaxClassStudents+5 ||
				!strings.Contains(tl.Error(), "超过每班") {
				t.Fatalf("dry run %v: %v", dry, err)
			}
		}
		var n int
		if err := s.DB().QueryRow(s.Rebind(`SELECT COUNT(*) FROM students WHERE school_id = ? AND active`), sc.ID).Scan(&n); err != nil || n != roster.MaxClassStudents {
			t.Fatalf("%d active students after the refusals (%v)", n, err)
		}
		res := mustImport(t, s, sc.ID, ImportOptions{MaxClassStudents: roster.MaxClassStudents}, others)
		if res.Added != 5 || res.Deactivated != roster.MaxClassStudents {
			t.Errorf("the whole roster: %+v", res)
		}
	})
}
