package store

import (
	"context"
	"errors"
	"testing"

	"jiashu/roster"
)

func TestClassPrint(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		sc := mustSchool(t, s, "打印小学")
		wang := father("王大明", "13800138000")
		res := mustImport(t, s, sc.ID, ImportOptions{}, class32(
			student("2017002", "王小红", wang),
			student("2017001", "王小明", wang),
			student("2017003", "张三", father("张父", "13900139000")),
		))
		classID := res.Classes[0].ID
		// 张三 leaves the class.
		mustImport(t, s, sc.ID, ImportOptions{}, class32(student("2017002", "王小红", wang), student("2017001", "王小明", wang)))
		other := mustImport(t, s, sc.ID, ImportOptions{}, roster.Class{Grade: 1, Number: 1, Name: "一年级1班",
			Students: []roster.Student{student("2020001", "李小小", father("李父", "13700137000"))}})
		stu := byNumber(t, s, classID)

		first, err := s.ClassPrint(ctx, 0, classID, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("a class prints its active students by number, with guardians, school, class and the current campaign", func(t *testing.T) {
			if len(first.Students) != 2 || first.Students[0].Student.Name != "王小明" || first.Students[1].Student.Name != "王小红" {
				t.Fatalf("students = %+v", first.Students)
			}
			if g := first.Students[0].Student.Guardians; len(g) != 1 || g[0].Name != "王大明" || g[0].Mobile != "13800138000" {
				t.Errorf("guardians = %+v", g)
			}
			name, _ := DefaultCampaignName(testNow)
			if first.School.Name != "打印小学" || first.Class.Name != "三年级2班" || first.Class.HeadTeacher != "李老师" ||
				first.Class.ActiveStudents != 2 || first.Campaign.Name != name || len(first.Campaign.SchoolIDs) != 1 {
				t.Errorf("school %+v, class %+v, campaign %+v", first.School, first.Class, first.Campaign)
			}
		})
		t.Run("every student gets a letter code of their own in the campaign", func(t *testing.T) {
			a, b := first.Students[0].Letter, first.Students[1].Letter
			if a.Token == "" || a.Token == b.Token || a.CampaignID != first.Campaign.ID || a.StudentID != first.Students[0].Student.ID || a.Status != StatusProduced {
				t.Errorf("letters = %+v / %+v", a, b)
			}
		})
		t.Run("a transferred student is left out", func(t *testing.T) {
			if n := countRows(t, s, `SELECT COUNT(*) FROM letters WHERE student_id = ?`, stu["2017003"].ID); n != 0 {
				t.Errorf("the transferred student has %d letters", n)
			}
		})
		t.Run("reading again prints the same codes and issues nothing new", func(t *testing.T) {
			again, err := s.ClassPrint(ctx, first.Campaign.ID, classID, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i := range again.Students {
				if again.Students[i].Letter.Token != first.Students[i].Letter.Token {
					t.Errorf("code of %s changed: %s → %s", again.Students[i].Student.Name, first.Students[i].Letter.Token, again.Students[i].Letter.Token)
				}
			}
			if n := countRows(t, s, `SELECT COUNT(*) FROM letters`); n != 2 {
				t.Errorf("%d letters after two reads, want 2", n)
			}
		})
		t.Run("asking for some students prints only those, with their codes", func(t *testing.T) {
			p, err := s.ClassPrint(ctx, 0, classID, []int64{stu["2017002"].ID, stu["2017002"].ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Students) != 1 || p.Students[0].Student.Number != "2017002" || p.Students[0].Letter.Token != first.Students[1].Letter.Token {
				t.Errorf("students = %+v", p.Students)
			}
		})
		t.Run("a student of another class is not printed through this one", func(t *testing.T) {
			otherStudent := byNumber(t, s, other.Classes[0].ID)["2020001"]
			_, err := s.ClassPrint(ctx, 0, classID, []int64{stu["2017001"].ID, otherStudent.ID})
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("error = %v, want ErrNotFound", err)
			}
			if n := countRows(t, s, `SELECT COUNT(*) FROM letters WHERE student_id = ?`, otherStudent.ID); n != 0 {
				t.Errorf("%d letters issued to the other class's student", n)
			}
		})
		t.Run("a missing class or campaign is not found", func(t *testing.T) {
			if _, err := s.ClassPrint(ctx, 0, 9999, nil); !errors.Is(err, ErrNotFound) {
				t.Errorf("missing class: %v", err)
			}
			if _, err := s.ClassPrint(ctx, 9999, classID, nil); !errors.Is(err, ErrNotFound) {
				t.Errorf("missing campaign: %v", err)
			}
		})
		t.Run("a purged campaign issues no letter", func(t *testing.T) {
			old, err := s.CreateCampaign(ctx, Campaign{Name: "已结束的活动", SchoolIDs: []int64{sc.ID}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.PurgeCampaign(ctx, PurgeOptions{CampaignID: old.ID, Force: true}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ClassPrint(ctx, old.ID, classID, nil); !errors.Is(err, ErrAlreadyPurged) {
				t.Errorf("error = %v, want ErrAlreadyPurged", err)
			}
			if n := countRows(t, s, `SELECT COUNT(*) FROM letters WHERE campaign_id = ?`, old.ID); n != 0 {
				t.Errorf("%d letters in the purged campaign", n)
			}
		})
		t.Run("a class with no one to print creates no campaign", func(t *testing.T) {
			empty := mustSchool(t, s, "空班小学")
			r := mustImport(t, s, empty.ID, ImportOptions{}, roster.Class{Grade: 2, Number: 1, Name: "二年级1班",
				Students: []roster.Student{student("1", "转走")}})
			mustImport(t, s, empty.ID, ImportOptions{}, roster.Class{Grade: 2, Number: 1, Name: "二年级1班"})
			p, err := s.ClassPrint(ctx, 0, r.Classes[0].ID, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Students) != 0 || p.Campaign.ID != 0 || p.Class.Name != "二年级1班" || p.School.ID != empty.ID {
				t.Errorf("print = %+v", p)
			}
			if cs, err := s.SchoolCampaigns(ctx, empty.ID); err != nil || len(cs) != 0 {
				t.Errorf("campaigns of the school = %+v, %v", cs, err)
			}
		})
	})
}
