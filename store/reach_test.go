package store

import (
	"context"
	"testing"
)

func TestReachAndCampaignUpdates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Store) {
		a, b, c := mustSchool(t, s, "阳光小学"), mustSchool(t, s, "明德中学"), mustSchool(t, s, "新建小学")
		mustImport(t, s, a.ID, ImportOptions{}, genClass(3, 1, 1, 10), genClass(3, 2, 100, 10))
		mustImport(t, s, b.ID, ImportOptions{}, genClass(7, 1, 200, 4))
		camp, err := s.CreateCampaign(ctx, Campaign{Name: "秋季反诈", SchoolIDs: []int64{a.ID, b.ID, c.ID}})
		if err != nil {
			t.Fatal(err)
		}
		classes, _ := s.Classes(ctx, a.ID)
		issue := func(classID int64) []Letter {
			sts, _ := s.Students(ctx, classID)
			ids := make([]int64, len(sts))
			for i, st := range sts {
				ids[i] = st.ID
			}
			ls, err := s.IssueLetters(ctx, camp.ID, ids)
			if err != nil {
				t.Fatal(err)
			}
			return ls
		}
		ack := func(l Letter, ch string) {
			if _, err := s.Acknowledge(ctx, Ack{LetterID: l.ID, Channel: ch}); err != nil {
				t.Fatal(err)
			}
		}
		c31, c32 := issue(classes[0].ID), issue(classes[1].ID)
		for i, ch := range []string{ChannelQR, ChannelQR, ChannelQR, ChannelSMS, ChannelSMS, ChannelTyped, ChannelTyped, ChannelPaper} {
			ack(c31[i], ch)
		}
		ack(c32[0], ChannelQR)
		ack(c32[1], ChannelQR)
		if _, err := s.DB().ExecContext(ctx, s.Rebind(`UPDATE letters SET first_opened_at = ? WHERE id = ?`), s.Now(), c32[2].ID); err != nil {
			t.Fatal(err)
		}

		t.Run("schools come furthest behind first, with the district total", func(t *testing.T) {
			rows, total, err := s.ReachBySchool(ctx, camp.ID)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, r := range rows {
				names = append(names, r.SchoolName)
			}
			if len(rows) != 3 || names[0] != "新建小学" || names[1] != "明德中学" || names[2] != "阳光小学" {
				t.Fatalf("order %v", names)
			}
			sa := rows[2]
			if sa.Students != 20 || sa.Produced != 20 || sa.Acknowledged != 10 || sa.Opened != 11 || sa.Percent() != 50 || sa.Classes != 2 {
				t.Errorf("阳光小学 %+v", sa)
			}
			if sa.QR != 5 || sa.SMS != 2 || sa.Typed != 2 || sa.Paper != 1 {
				t.Errorf("channels of 阳光小学 %+v", sa)
			}
			if sb := rows[1]; sb.Students != 4 || sb.Produced != 0 || sb.Missing() != 4 {
				t.Errorf("明德中学 %+v", sb)
			}
			if total.Students != 24 || total.Acknowledged != 10 || total.Produced != 20 {
				t.Errorf("total %+v", total)
			}
		})
		t.Run("classes of a school come furthest behind first", func(t *testing.T) {
			rows, err := s.ReachByClass(ctx, camp.ID, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 2 || rows[0].ClassID != classes[1].ID || rows[0].Percent() != 20 || rows[1].Percent() != 80 {
				t.Fatalf("classes %+v", rows)
			}
		})
		t.Run("an update keeps schools that have letters and replaces the rest", func(t *testing.T) {
			camp.Name, camp.AckDeadline, camp.QuizEnabled = "秋季反诈（改）", "2026-10-15", true
			camp.SchoolIDs = []int64{b.ID}
			camp.Templates = map[string]string{"primary-lower": "default"}
			got, err := s.UpdateCampaign(ctx, camp)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != "秋季反诈（改）" || got.AckDeadline != "2026-10-15" || !got.QuizEnabled || got.Templates["primary-lower"] != "default" {
				t.Errorf("updated %+v", got)
			}
			if len(got.SchoolIDs) != 2 || got.SchoolIDs[0] != a.ID || got.SchoolIDs[1] != b.ID {
				t.Errorf("schools %v: want 阳光小学 (has letters) and 明德中学, not 新建小学", got.SchoolIDs)
			}
			list, err := s.SchoolCampaigns(ctx, c.ID)
			if err != nil || len(list) != 0 {
				t.Errorf("新建小学 still in %v %v", list, err)
			}
			if _, err := s.UpdateCampaign(ctx, Campaign{ID: 999, Name: "x"}); !isNotFound(err) {
				t.Errorf("unknown campaign: %v", err)
			}
		})
		t.Run("teachers are listed per class", func(t *testing.T) {
			u, err := s.CreateUser(ctx, User{Username: "t1", Role: RoleTeacher, SchoolID: a.ID})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.AssignTeacher(ctx, u.ID, classes[1].ID); err != nil {
				t.Fatal(err)
			}
			m, err := s.SchoolTeachers(ctx, a.ID)
			if err != nil || len(m) != 1 || len(m[classes[1].ID]) != 1 || m[classes[1].ID][0] != u.ID {
				t.Fatalf("teachers %v %v", m, err)
			}
			if m, _ := s.SchoolTeachers(ctx, b.ID); len(m) != 0 {
				t.Fatalf("another school's teachers %v", m)
			}
		})
	})
}
