package store

import (
	"context"
	"sync"
	"testing"
	"time"
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

func TestReserveReminderHoldsTheLimitUnderConcurrency(t *testing.T) {
	t.Parallel()
	for name, s := range ackBackends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := ackSeed(t, s)
			got, err := s.PendingReminders(ctx, ReminderScope{CampaignID: f.campaignID})
			if err != nil || len(got) == 0 {
				t.Fatalf("%v %v", got, err)
			}
			g := got[0]
			r := Reminder{CampaignID: f.campaignID, GuardianID: g.GuardianID, LetterID: g.LetterID, SentBy: f.userID}
			const max = 2
			var wg sync.WaitGroup
			var mu sync.Mutex
			var ids []int64
			for range 12 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					id, ok, err := s.ReserveReminder(ctx, r, 0, max)
					if err != nil {
						t.Error(err)
					}
					if ok {
						mu.Lock()
						ids = append(ids, id)
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			t.Run("twelve senders at once reserve exactly the limit", func(t *testing.T) {
				if len(ids) != max {
					t.Fatalf("%d reservations, want %d", len(ids), max)
				}
			})
			t.Run("a failed reminder gives its slot back", func(t *testing.T) {
				if err := s.FinishReminder(ctx, ids[0], false, 3, "gateway answered 503", time.Now()); err != nil {
					t.Fatal(err)
				}
				if n, _ := s.RemindersSent(ctx, f.campaignID, g.GuardianID); n != max-1 {
					t.Fatalf("sent = %d", n)
				}
				if _, ok, err := s.ReserveReminder(ctx, r, 0, max); err != nil || !ok {
					t.Fatalf("no slot after a failure: %v", err)
				}
				if _, ok, _ := s.ReserveReminder(ctx, r, 0, max); ok {
					t.Fatal("a third reminder was reserved")
				}
			})
		})
	}
}

func TestSentReminderDeliversAProducedLetter(t *testing.T) {
	t.Parallel()
	for name, s := range ackBackends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := ackSeed(t, s)
			setStatus := func(letter int64, status string) {
				t.Helper()
				if _, err := s.DB().ExecContext(ctx, s.Rebind(`UPDATE letters SET status = ? WHERE id = ?`), status, letter); err != nil {
					t.Fatal(err)
				}
			}
			statusOf := func(letter int64) string {
				t.Helper()
				var st string
				if err := s.DB().QueryRowContext(ctx, s.Rebind(`SELECT status FROM letters WHERE id = ?`), letter).Scan(&st); err != nil {
					t.Fatal(err)
				}
				return st
			}
			guardian := func(i int) int64 {
				t.Helper()
				var g int64
				if err := s.DB().QueryRowContext(ctx, s.Rebind(`SELECT guardian_id FROM student_guardians WHERE student_id = ?`), f.students[i]).Scan(&g); err != nil {
					t.Fatal(err)
				}
				return g
			}
			finish := func(i int, sent bool) {
				t.Helper()
				id, ok, err := s.ReserveReminder(ctx, Reminder{CampaignID: f.campaignID, GuardianID: guardian(i), LetterID: f.letters[i], SentBy: f.userID}, 0, 5)
				if err != nil || !ok {
					t.Fatalf("reserve: %v %v", ok, err)
				}
				if err := s.FinishReminder(ctx, id, sent, 1, map[bool]string{false: "gateway answered 400"}[sent], time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			for _, l := range f.letters {
				setStatus(l, StatusProduced)
			}
			t.Run("a produced letter whose reminder was sent is delivered", func(t *testing.T) {
				finish(0, true)
				if got := statusOf(f.letters[0]); got != StatusDelivered {
					t.Fatalf("status %q", got)
				}
			})
			t.Run("a reminder the gateway refused leaves the letter produced", func(t *testing.T) {
				finish(1, false)
				if got := statusOf(f.letters[1]); got != StatusProduced {
					t.Fatalf("status %q", got)
				}
			})
			t.Run("an opened letter stays opened", func(t *testing.T) {
				setStatus(f.letters[1], StatusOpened)
				finish(1, true)
				if got := statusOf(f.letters[1]); got != StatusOpened {
					t.Fatalf("status %q", got)
				}
			})
			t.Run("a reminder sent outside a job delivers too, a failed one does not", func(t *testing.T) {
				setStatus(f.letters[0], StatusProduced)
				r := Reminder{CampaignID: f.campaignID, GuardianID: guardian(0), LetterID: f.letters[0], Attempts: 1, SentBy: f.userID}
				if err := s.RecordReminder(ctx, r); err != nil {
					t.Fatal(err)
				}
				if got := statusOf(f.letters[0]); got != StatusProduced {
					t.Fatalf("after a failed one: %q", got)
				}
				r.Sent = true
				if err := s.RecordReminder(ctx, r); err != nil {
					t.Fatal(err)
				}
				if got := statusOf(f.letters[0]); got != StatusDelivered {
					t.Fatalf("after a sent one: %q", got)
				}
			})
		})
	}
}
