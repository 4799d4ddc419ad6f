package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"jiashu/roster"
)

// lastAudit is the newest audit entry of action.
func lastAudit(t *testing.T, s *Store, action string) AuditEntry {
	t.Helper()
	log, err := s.AuditLog(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		if e.Action == action {
			return e
		}
	}
	t.Fatalf("no %s in the audit log", action)
	return AuditEntry{}
}

func TestHeadTeacherIsSetAudited(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		sc := mustSchool(t, s, "署名小学")
		c := class32(student("1", "甲", father("甲父", "13800000001")))
		c.HeadTeacher = "江老师"
		res := mustImport(t, s, sc.ID, ImportOptions{}, c)
		classID := res.Classes[0].ID
		cl, err := s.SetHeadTeacher(ctx, classID, "王老师", 0)
		if err != nil || cl.HeadTeacher != "王老师" {
			t.Fatalf("set: %+v %v", cl, err)
		}
		if e := lastAudit(t, s, "head_teacher_set"); !strings.Contains(e.Detail, "“江老师” → “王老师”") {
			t.Errorf("audit %q does not name the old and the new name", e.Detail)
		}
		t.Run("a later roster naming the old one changes nothing and says so", func(t *testing.T) {
			res := mustImport(t, s, sc.ID, ImportOptions{}, c)
			if got, _ := s.Class(ctx, classID); got.HeadTeacher != "王老师" || len(res.HeadTeachers) != 1 || res.HeadTeachers[0].Roster != "江老师" {
				t.Errorf("class %q, notes %+v", got.HeadTeacher, res.HeadTeachers)
			}
		})
		t.Run("a control character is refused", func(t *testing.T) {
			if _, err := s.SetHeadTeacher(ctx, classID, "王\x00老师", 0); err == nil {
				t.Error("a NUL was stored")
			}
		})
		t.Run("an unknown class is not found", func(t *testing.T) {
			if _, err := s.SetHeadTeacher(ctx, 99999, "王老师", 0); !errors.Is(err, ErrNotFound) {
				t.Errorf("err %v", err)
			}
		})
	})
}

func TestCampaignOpeningIsKeptWithItsText(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		sc := mustSchool(t, s, "开头小学")
		c, err := s.CreateCampaign(ctx, Campaign{Name: "寒假反诈家书", SchoolIDs: []int64{sc.ID}, OpeningName: "开学", Opening: "新学期开学了。"})
		if err != nil {
			t.Fatal(err)
		}
		if c.OpeningName != "开学" || c.Opening != "新学期开学了。" {
			t.Fatalf("created with %q %q", c.OpeningName, c.Opening)
		}
		c, err = s.SetCampaignOpening(ctx, c.ID, "寒假", "寒假将至，骗子也盯上了这段时间。", c.ContentVersionID, 0)
		if err != nil || c.Opening != "寒假将至，骗子也盯上了这段时间。" {
			t.Fatalf("set: %+v %v", c, err)
		}
		if e := lastAudit(t, s, "campaign_opening_set"); !strings.Contains(e.Detail, "寒假将至") {
			t.Errorf("audit %q lacks the text", e.Detail)
		}
		list, err := s.SchoolCampaigns(ctx, sc.ID)
		if err != nil || len(list) != 1 || list[0].OpeningName != "寒假" {
			t.Errorf("the school's campaigns read %+v %v", list, err)
		}
		if c, err = s.SetCampaignOpening(ctx, c.ID, "", "", 0, 0); err != nil || c.Opening != "" {
			t.Errorf("cleared: %+v %v", c, err)
		}
	})
}

func TestCampaignClassesCarryWhatTextsAreFilledWith(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		sc := mustSchool(t, s, "填写小学")
		empty := roster.Class{Grade: 4, Number: 1, Name: "四年级1班"}
		mustImport(t, s, sc.ID, ImportOptions{}, class32(student("1", "甲", father("甲父", "13800000001"))), empty)
		if err := s.SetSchoolDetails(ctx, SchoolDetails{SchoolID: sc.ID, Phone: "023-12345678"}, 0); err != nil {
			t.Fatal(err)
		}
		c, err := s.CreateCampaign(ctx, Campaign{Name: "填写活动", SchoolIDs: []int64{sc.ID}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.CampaignClasses(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ClassName != "三年级2班" || got[0].SchoolName != "填写小学" || got[0].Details.Phone != "023-12345678" {
			t.Errorf("classes %+v (the class without students is left out)", got)
		}
		all, err := s.AllSchoolDetails(ctx)
		if err != nil || all[sc.ID].Phone != "023-12345678" {
			t.Errorf("all details %+v %v", all, err)
		}
	})
}
