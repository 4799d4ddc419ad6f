package store

import (
	"context"
	"errors"
	"testing"
)

func TestClassMeetings(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		sc := mustSchool(t, s, "班会小学")
		res := mustImport(t, s, sc.ID, ImportOptions{}, class32(
			student("2017001", "王小明", father("王大明", "13800138000")),
			student("2017002", "张三", father("张父", "13900139000")),
		))
		classID := res.Classes[0].ID
		camp, err := s.DefaultCampaign(ctx, sc.ID)
		if err != nil {
			t.Fatal(err)
		}

		t.Run("no meeting recorded: nothing on the letters or in the reach", func(t *testing.T) {
			p, err := s.ClassPrint(ctx, 0, classID, nil)
			if err != nil {
				t.Fatal(err)
			}
			if p.Meeting.HeldOn != "" {
				t.Errorf("meeting = %+v", p.Meeting)
			}
			rows, err := s.ReachByClass(ctx, camp.ID, sc.ID)
			if err != nil || len(rows) != 1 || rows[0].Meetings != 0 || rows[0].MeetingLast != "" {
				t.Errorf("reach = %+v, %v", rows, err)
			}
		})
		t.Run("a recorded meeting reaches the letters and the overview, and is audited", func(t *testing.T) {
			if _, err := s.RecordClassMeeting(ctx, 0, classID, "2026-11-18", 0); err != nil {
				t.Fatal(err)
			}
			m, err := s.RecordClassMeeting(ctx, camp.ID, classID, "2026-11-20", 0) // moved to its real day
			if err != nil || m.CampaignID != camp.ID {
				t.Fatalf("%+v, %v", m, err)
			}
			p, err := s.ClassPrint(ctx, 0, classID, nil)
			if err != nil || p.Meeting.HeldOn != "2026-11-20" {
				t.Errorf("print meeting = %+v, %v", p.Meeting, err)
			}
			schools, total, err := s.ReachBySchool(ctx, camp.ID)
			if err != nil || len(schools) != 1 || schools[0].Meetings != 1 || schools[0].MeetingFirst != "2026-11-20" || total.Meetings != 1 || total.MeetingLast != "2026-11-20" {
				t.Errorf("schools = %+v, total = %+v, %v", schools, total, err)
			}
			log, _ := s.AuditLog(ctx, 5)
			if len(log) < 2 || log[0].Action != "class_meeting" || log[0].Detail == "" {
				t.Errorf("audit = %+v", log)
			}
		})
		t.Run("a day that is not a date changes nothing", func(t *testing.T) {
			if _, err := s.RecordClassMeeting(ctx, 0, classID, "2026-13-01", 0); err == nil {
				t.Error("accepted month 13")
			}
			if m, ok, _ := s.ClassMeetingOf(ctx, camp.ID, classID); !ok || m.HeldOn != "2026-11-20" {
				t.Errorf("meeting = %+v", m)
			}
		})
		t.Run("a campaign the school is not in is refused", func(t *testing.T) {
			other, err := s.CreateCampaign(ctx, Campaign{Name: "别校活动"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.RecordClassMeeting(ctx, other.ID, classID, "2026-11-20", 0); !errors.Is(err, ErrNotInCampaign) {
				t.Errorf("err = %v", err)
			}
		})
		t.Run("a meeting taken back is gone", func(t *testing.T) {
			if err := s.DeleteClassMeeting(ctx, 0, classID, 0); err != nil {
				t.Fatal(err)
			}
			if _, ok, _ := s.ClassMeetingOf(ctx, camp.ID, classID); ok {
				t.Error("still recorded")
			}
			if err := s.DeleteClassMeeting(ctx, 0, classID, 0); err != nil {
				t.Errorf("deleting again: %v", err)
			}
		})
	})
}
