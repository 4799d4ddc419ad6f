package store

import (
	"context"
	"testing"
)

func TestMarkDelivered(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		sc := mustSchool(t, s, "实验小学")
		res := mustImport(t, s, sc.ID, ImportOptions{}, class32(
			student("2017001", "王小明", father("王大明", "13800138000")),
			student("2017002", "李小红", father("李大明", "13900139000")),
		))
		classID := res.Classes[0].ID
		camp, err := s.DefaultCampaign(ctx, sc.ID)
		if err != nil {
			t.Fatal(err)
		}
		students, err := s.Students(ctx, classID)
		if err != nil {
			t.Fatal(err)
		}
		ls, err := s.IssueLetters(ctx, camp.ID, []int64{students[0].ID, students[1].ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Acknowledge(ctx, Ack{LetterID: ls[1].ID, Channel: ChannelQR, Relation: "母亲"}); err != nil {
			t.Fatal(err)
		}

		n, err := s.MarkDelivered(ctx, camp.ID, classID)
		if err != nil || n != 1 {
			t.Fatalf("marked %d letters (%v), want only the one not yet acknowledged", n, err)
		}
		after, err := s.CampaignLetters(ctx, camp.ID, classID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]string{}
		for _, l := range after {
			got[l.StudentID] = l.Status
		}
		if got[students[0].ID] != StatusDelivered || got[students[1].ID] != StatusAcknowledged {
			t.Fatalf("statuses after marking delivered: %v", got)
		}
		if n, err := s.MarkDelivered(ctx, camp.ID, classID); err != nil || n != 0 {
			t.Fatalf("marking again changed %d letters (%v)", n, err)
		}
	})
}
