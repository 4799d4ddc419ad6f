package store

import (
	"context"
	"testing"
)

func TestPendingReminders(t *testing.T) {
	t.Parallel()
	for name, s := range ackBackends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := ackSeed(t, s)
			if _, err := s.Acknowledge(ctx, Ack{LetterID: f.letters[1], Channel: ChannelSMS, Relation: "母亲"}); err != nil {
				t.Fatal(err)
			}
			t.Run("only unacknowledged families with a mobile are listed", func(t *testing.T) {
				got, err := s.PendingReminders(ctx, ReminderScope{CampaignID: f.campaignID, ClassID: f.classID})
				if err != nil {
					t.Fatal(err)
				}
				// Student 2 acknowledged, student 3's guardian has no mobile.
				if len(got) != 1 || got[0].StudentName != "王小明" || got[0].Mobile != "13800001111" || got[0].Token != f.tokens[0] || got[0].Sent != 0 {
					t.Fatalf("got %+v", got)
				}
			})
			t.Run("sent reminders are counted per guardian, failed ones are not", func(t *testing.T) {
				got, _ := s.PendingReminders(ctx, ReminderScope{CampaignID: f.campaignID, SchoolID: f.schoolID})
				g := got[0]
				for _, sent := range []bool{true, false, true} {
					if err := s.RecordReminder(ctx, Reminder{CampaignID: f.campaignID, GuardianID: g.GuardianID, LetterID: g.LetterID,
						Sent: sent, Attempts: 1, SentBy: f.userID}); err != nil {
						t.Fatal(err)
					}
				}
				n, err := s.RemindersSent(ctx, f.campaignID, g.GuardianID)
				if err != nil || n != 2 {
					t.Fatalf("sent = %d %v, want 2", n, err)
				}
				got, _ = s.PendingReminders(ctx, ReminderScope{CampaignID: f.campaignID})
				if got[0].Sent != 2 {
					t.Fatalf("listed sent = %d, want 2", got[0].Sent)
				}
			})
			t.Run("another school's scope lists nobody", func(t *testing.T) {
				got, err := s.PendingReminders(ctx, ReminderScope{CampaignID: f.campaignID, SchoolID: f.schoolID + 100})
				if err != nil || len(got) != 0 {
					t.Fatalf("got %d %v", len(got), err)
				}
			})
			t.Run("two guardians of one child sharing a mobile get the text once", func(t *testing.T) {
				// A roster often gives the family's one phone for both 家长1 and 家长2.
				var gid int64
				if err := s.DB().QueryRowContext(ctx, s.Rebind(`INSERT INTO guardians (school_id, name, relation, mobile) VALUES (?, '王大强', '父亲', '13800001111') RETURNING id`),
					f.schoolID).Scan(&gid); err != nil {
					t.Fatal(err)
				}
				if _, err := s.DB().ExecContext(ctx, s.Rebind(`INSERT INTO student_guardians (student_id, guardian_id, position) VALUES (?, ?, 2)`), f.students[0], gid); err != nil {
					t.Fatal(err)
				}
				got, err := s.PendingReminders(ctx, ReminderScope{CampaignID: f.campaignID, ClassID: f.classID})
				if err != nil || len(got) != 1 || got[0].Mobile != "13800001111" || got[0].GuardianID == gid {
					t.Fatalf("got %+v %v, want the first guardian's line only", got, err)
				}
			})
		})
	}
}
