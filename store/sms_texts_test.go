package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// textRig is the acknowledgement fixture with helpers for texts.
type textRig struct {
	t *testing.T
	s *Store
	f ackFixture
}

func (r textRig) guardian(i int) int64 {
	r.t.Helper()
	var g int64
	if err := r.s.DB().QueryRow(r.s.Rebind(`SELECT guardian_id FROM student_guardians WHERE student_id = ?`), r.f.students[i]).Scan(&g); err != nil {
		r.t.Fatal(err)
	}
	return g
}

func (r textRig) letterStatus(i int) string {
	r.t.Helper()
	var st string
	if err := r.s.DB().QueryRow(r.s.Rebind(`SELECT status FROM letters WHERE id = ?`), r.f.letters[i]).Scan(&st); err != nil {
		r.t.Fatal(err)
	}
	return st
}

func (r textRig) setLetter(i int, status string) {
	r.t.Helper()
	if _, err := r.s.DB().Exec(r.s.Rebind(`UPDATE letters SET status = ? WHERE id = ?`), status, r.f.letters[i]); err != nil {
		r.t.Fatal(err)
	}
}

func (r textRig) journal(job int64, provider string, max int) TextJournal {
	return TextJournal{CampaignID: r.f.campaignID, JobID: job, SentBy: r.f.userID, Provider: provider, Max: max, PriceFen: 5}
}

func (r textRig) begin(j TextJournal, key string, i int) (begun, limited bool) {
	r.t.Helper()
	b, l, err := r.s.BeginTexts(context.Background(), j, []TextStart{{Key: key, GuardianID: r.guardian(i), LetterID: r.f.letters[i], Segments: 1}}, r.s.Now())
	if err != nil {
		r.t.Fatal(err)
	}
	return b[key], l[key]
}

func TestBeginTextsHoldsTheLimitAndNeverBeginsAKeyTwice(t *testing.T) {
	t.Parallel()
	for name, s := range ackBackends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			r := textRig{t, s, ackSeed(t, s)}
			j := r.journal(0, "aliyun", 2)
			var mu sync.Mutex
			var limited int
			var wg sync.WaitGroup
			for n := range 12 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, l, err := s.BeginTexts(ctx, j, []TextStart{{Key: fmt.Sprintf("k/%d", n), GuardianID: r.guardian(0), LetterID: r.f.letters[0], Segments: 1}}, s.Now())
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					limited += len(l)
					mu.Unlock()
				}()
			}
			wg.Wait()
			t.Run("twelve senders at once begin exactly the limit, the others are recorded as limited", func(t *testing.T) {
				c, err := s.TextCountsOf(ctx, ReminderScope{CampaignID: r.f.campaignID})
				if err != nil || limited != 10 || c.Sending != 2 || c.Limited != 10 || c.CostFen != 10 {
					t.Fatalf("%d limited, %+v %v", limited, c, err)
				}
			})
			t.Run("a key begun before is reported, not begun again", func(t *testing.T) {
				if begun, _ := r.begin(j, "k/0", 0); !begun {
					t.Fatal("k/0 begun twice")
				}
			})
			t.Run("a failed text gives its slot back and costs nothing", func(t *testing.T) {
				var key string
				s.DB().QueryRow(`SELECT sms_key FROM reminders WHERE delivery = 'sending' ORDER BY id LIMIT 1`).Scan(&key)
				if err := s.FinishTexts(ctx, 5, []TextResult{{Key: key, Delivery: DeliveryFailed, Code: "isv.AMOUNT_NOT_ENOUGH", Reason: "balance", Tries: 1}}, s.Now(), s.Now()); err != nil {
					t.Fatal(err)
				}
				if n, _ := s.RemindersSent(ctx, r.f.campaignID, r.guardian(0)); n != 1 {
					t.Fatalf("sent = %d", n)
				}
				if _, l := r.begin(j, "k/new", 0); l {
					t.Fatal("no slot after a failure")
				}
				if _, l := r.begin(j, "k/third", 0); !l {
					t.Fatal("a third text was begun")
				}
				c, _ := s.TextCountsOf(ctx, ReminderScope{CampaignID: r.f.campaignID})
				if c.Failed != 1 || c.CostFen != 10 {
					t.Fatalf("%+v", c)
				}
			})
		})
	}
}

// sentAnHourAgo seeds texts sent through Aliyun an hour ago: two of one
// batch (one BizId, keys a and b) and one whose request broke off (c).
func sentAnHourAgo(t *testing.T, s *Store) (textRig, TextJournal, time.Time) {
	r := textRig{t, s, ackSeed(t, s)}
	for i := range r.f.letters {
		r.setLetter(i, StatusProduced)
	}
	j := r.journal(0, "aliyun", 3)
	sent := s.Now().Add(-time.Hour)
	for i, key := range []string{"a", "b"} {
		r.begin(j, key, i)
	}
	r.begin(j, "c", 0)
	if err := s.FinishTexts(context.Background(), 5, []TextResult{
		{Key: "a", MessageID: "900^0", Delivery: DeliveryAwaiting, Code: "OK", Segments: 2},
		{Key: "b", MessageID: "900^0", Delivery: DeliveryAwaiting, Code: "OK"},
		{Key: "c", Delivery: DeliveryUnsure, Code: "network", Reason: "unsure"},
	}, sent, sent.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	return r, j, sent
}

func TestDeliveryReportsSettleTextsOnceAndDeliverTheirLetters(t *testing.T) {
	t.Parallel()
	for name, s := range ackBackends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			r, j, sent := sentAnHourAgo(t, s)
			t.Run("a text taken is due for its report at its poll time, a letter is not yet delivered", func(t *testing.T) {
				due, err := s.DueTexts(ctx, "aliyun", s.Now(), 10)
				if err != nil || len(due) != 3 || due[0].Phone != "13800001111" || r.letterStatus(0) != StatusProduced {
					t.Fatalf("%+v %v %s", due, err, r.letterStatus(0))
				}
				if later, _ := s.DueTexts(ctx, "aliyun", sent, 10); len(later) != 0 {
					t.Fatalf("due before its time: %+v", later)
				}
			})
			t.Run("reports by BizId and number, and by key, settle the right texts", func(t *testing.T) {
				n, err := s.ApplyTextReports(ctx, []TextReport{
					{Provider: "aliyun", MessageID: "900^0", Phone: "13900002222", Code: "MK:0001", Reason: "unreachable"},
					{Provider: "aliyun", MessageID: "900^0", Phone: "13800001111", Delivered: true, Code: "DELIVERED"},
					{Provider: "aliyun", Key: "c", Phone: "13800001111", Delivered: true},
					{Provider: "tencent", MessageID: "900^0", Phone: "13800001111", Delivered: true}, // another provider's
				}, s.Now())
				if err != nil || n != 3 {
					t.Fatalf("%d settled, %v", n, err)
				}
				c, _ := s.TextCountsOf(ctx, ReminderScope{CampaignID: r.f.campaignID})
				if c.Delivered != 2 || c.Undelivered != 1 || c.Waiting() != 0 || c.Segments != 4 {
					t.Fatalf("%+v", c)
				}
				if r.letterStatus(0) != StatusDelivered || r.letterStatus(1) != StatusProduced {
					t.Fatalf("letters %s %s", r.letterStatus(0), r.letterStatus(1))
				}
				if n, _ := s.RemindersSent(ctx, r.f.campaignID, r.guardian(1)); n != 0 {
					t.Fatalf("the undelivered text kept its slot: %d", n)
				}
			})
			t.Run("a report pushed again changes nothing", func(t *testing.T) {
				n, err := s.ApplyTextReports(ctx, []TextReport{{Provider: "aliyun", MessageID: "900^0", Phone: "13900002222", Delivered: true}}, s.Now())
				if err != nil || n != 0 {
					t.Fatalf("%d %v", n, err)
				}
			})
			t.Run("a class's texts list who was texted and how it went", func(t *testing.T) {
				rows, err := s.ClassTexts(ctx, r.f.campaignID, r.f.classID, 10)
				if err != nil || len(rows) != 3 {
					t.Fatalf("%+v %v", rows, err)
				}
				for _, row := range rows {
					if row.Mobile == "13900002222" && (row.Delivery != DeliveryUndelivered || row.Reason != "unreachable" || row.ReportedAt.IsZero()) {
						t.Fatalf("%+v", row)
					}
				}
			})
			t.Run("a text whose report never came is given up as undelivered", func(t *testing.T) {
				r.begin(j, "d", 1)
				s.FinishTexts(ctx, 5, []TextResult{{Key: "d", MessageID: "901^0", Delivery: DeliveryAwaiting}}, sent, sent)
				if n, err := s.ExpireTexts(ctx, "aliyun", sent.Add(time.Second), "no_report", s.Now()); err != nil || n != 1 {
					t.Fatalf("%d %v", n, err)
				}
				c, _ := s.TextCountsOf(ctx, ReminderScope{CampaignID: r.f.campaignID, ClassID: r.f.classID})
				if c.Undelivered != 2 || c.Awaiting != 0 {
					t.Fatalf("%+v", c)
				}
			})
			t.Run("a gateway's text delivers its letter at once", func(t *testing.T) {
				g := r.journal(0, "http", 5)
				r.setLetter(1, StatusProduced)
				r.begin(g, "e", 1)
				s.FinishTexts(ctx, 5, []TextResult{{Key: "e", Delivery: DeliverySent, Code: "2xx"}}, s.Now(), s.Now())
				if r.letterStatus(1) != StatusDelivered {
					t.Fatal(r.letterStatus(1))
				}
			})
		})
	}
}

func TestALeaseHasOneHolderUntilItRunsOut(t *testing.T) {
	t.Parallel()
	for name, s := range ackBackends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			a, err := s.TakeLease(ctx, "sms_reports", "a", time.Minute)
			b, _ := s.TakeLease(ctx, "sms_reports", "b", time.Minute)
			again, _ := s.TakeLease(ctx, "sms_reports", "a", time.Minute)
			if err != nil || !a || b || !again {
				t.Fatalf("a %v, b %v, a again %v, %v", a, b, again, err)
			}
			if _, err := s.DB().Exec(s.Rebind(`UPDATE leases SET lease_until = ?`), s.Now().Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
			if b, _ := s.TakeLease(ctx, "sms_reports", "b", time.Minute); !b {
				t.Fatal("b did not get a lease that ran out")
			}
		})
	}
}

func TestSMSTemplatesAreKeptPerProviderAndKindAndAudited(t *testing.T) {
	t.Parallel()
	for name, s := range ackBackends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := ackSeed(t, s)
			if _, ok, err := s.SMSTemplate(ctx, "tencent", "reminder"); ok || err != nil {
				t.Fatalf("%v %v", ok, err)
			}
			for _, text := range []string{"first {1}", "{1}的家长：请确认家长信 {2}"} {
				if err := s.SaveSMSTemplate(ctx, SMSTemplate{Provider: "tencent", Kind: "reminder", Code: "1110", Text: text,
					Bind: map[string]string{"1": "student", "2": "code"}, UpdatedBy: f.userID}); err != nil {
					t.Fatal(err)
				}
			}
			got, ok, err := s.SMSTemplate(ctx, "tencent", "reminder")
			if err != nil || !ok || got.Text != "{1}的家长：请确认家长信 {2}" || got.Bind["2"] != "code" || got.UpdatedBy != f.userID {
				t.Fatalf("%+v %v %v", got, ok, err)
			}
			if _, ok, _ := s.SMSTemplate(ctx, "aliyun", "reminder"); ok {
				t.Fatal("another provider's template")
			}
			log, _ := s.AuditLog(ctx, 5)
			if len(log) == 0 || log[0].Action != "sms_template_saved" {
				t.Fatalf("%+v", log)
			}
		})
	}
}

func TestAScheduledJobWaitsForItsTime(t *testing.T) {
	t.Parallel()
	for name, s := range ackBackends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := ackSeed(t, s)
			at := s.Now().Add(time.Hour)
			j, err := s.CreateJob(ctx, Job{Kind: JobReminders, SchoolID: f.schoolID, CampaignID: f.campaignID, Params: `{"class_id":1}`, RunAt: at})
			if err != nil || !j.Scheduled() || !j.RunAt.Equal(at.Truncate(time.Microsecond)) && !j.RunAt.Equal(at) {
				t.Fatalf("%+v %v", j, err)
			}
			if _, ok, _ := s.PendingJob(ctx, JobReminders, f.schoolID, f.campaignID, `{"class_id":1}`); ok {
				t.Fatal("a scheduled job counts as pending for a send now")
			}
			if same, ok, _ := s.ScheduledJob(ctx, JobReminders, f.schoolID, f.campaignID, `{"class_id":1}`, j.RunAt); !ok || same.ID != j.ID {
				t.Fatalf("%+v %v", same, ok)
			}
			if list, _ := s.ScheduledReminderJobs(ctx, f.campaignID, f.schoolID); len(list) != 1 {
				t.Fatalf("%+v", list)
			}
			if _, ok, _ := s.ClaimJob(ctx, "i1", time.Minute); ok {
				t.Fatal("claimed before its time")
			}
			if _, err := s.DB().Exec(s.Rebind(`UPDATE jobs SET run_at = ?`), s.Now().Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
			if got, ok, err := s.ClaimJob(ctx, "i1", time.Minute); !ok || err != nil || got.ID != j.ID {
				t.Fatalf("%v %v", ok, err)
			}
		})
	}
}
