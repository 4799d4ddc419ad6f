package jobs

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"jiashu/app/campaign"
	"jiashu/app/reminders"
	"jiashu/sms"
	"jiashu/sms/smstest"
	"jiashu/store"
	"jiashu/store/storetest"
)

// The approved templates of the fake accounts: Aliyun's link variable
// holds what follows the fixed address; Tencent's text carries the
// address and the letter's code.
const (
	aliText = "${school}${teacher}：${student}的家长，学校的防诈骗家书请您确认，免填免费：https://jiashu.example.cn/a/${link}"
	tcText  = "{1}提醒：{2}的家长，请打开 https://jiashu.example.cn/a 输入确认码{3}，确认学校的防诈骗家书，免费。"
)

// fakeAccount is a provider's fake and what a test scripts on it.
type fakeAccount interface {
	SetOutcome(phone string, o smstest.Outcome)
	FailNext(n, status int, code string)
	Messages() []smstest.Message
	Duplicates() []string
	Problems() []string
	Requests() int
}

// useProvider points the rig's settings at a fake account of provider
// (aliyun or tencent) and enters its reminder template as the center
// would.
func (rg *rig) useProvider(t testing.TB, provider string) fakeAccount {
	t.Helper()
	var fake fakeAccount
	var url, text string
	var bind map[string]string
	switch provider {
	case "aliyun":
		f := smstest.NewAliyun("LTAI5tKey", "ali-secret", "阳光实验小学", map[string]smstest.Template{"SMS_1": {Text: aliText, LinkVar: "link"}})
		t.Cleanup(f.Close)
		fake, url, text = f, f.URL, aliText
		rg.cfg.SMSTemplateReminder = "SMS_1"
	default:
		f := smstest.NewTencent("AKIDkey", "tc-secret", "1400006666", "阳光实验小学", map[string]smstest.Template{"1110": {Text: tcText}})
		t.Cleanup(f.Close)
		fake, url, text = f, f.URL, tcText
		rg.cfg.SMSTemplateReminder, rg.cfg.SMSAppID = "1110", "1400006666"
		bind = map[string]string{"1": "school", "2": "student", "3": "code"}
	}
	rg.cfg.SMSProvider, rg.cfg.SMSGatewayURL, rg.cfg.SMSEndpoint = provider, "", url
	rg.cfg.SMSAccessKeyID, rg.cfg.SMSSignName = map[string]string{"aliyun": "LTAI5tKey", "tencent": "AKIDkey"}[provider], "阳光实验小学"
	rg.cfg.SMSAccessKeySecret = sms.Secret(map[string]string{"aliyun": "ali-secret", "tencent": "tc-secret"}[provider])
	d := rg.deps(t)
	texts := reminders.Texts{Lists: reminders.Lists{Store: rg.st, BaseURL: rg.cfg.BaseURL, Text: d.Catalogue.Zh}, Config: rg.cfg}
	if _, _, err := texts.SaveTemplate(context.Background(), reminders.KindReminder, "", text, bind, rg.school.TeacherID); err != nil {
		t.Fatal(err)
	}
	return fake
}

// phone is the seeded guardian of student n (from 1).
func phone(n int) string { return fmt.Sprintf("139%08d", n) }

func TestRemindersGoThroughEachProvidersClientAndTheirReportsSayWhatArrived(t *testing.T) {
	t.Parallel()
	for _, provider := range []string{"aliyun", "tencent"} {
		t.Run(provider, func(t *testing.T) {
			t.Parallel()
			forEachDB(t, func(t *testing.T, dsn string) {
				ctx := context.Background()
				rg := newRigOf(t, dsn, 4)
				rg.clock = time.Now() // the fakes keep their details by today's date
				rg.cfg.SMSQuietHours = sms.Quiet{Off: true}
				fake := rg.useProvider(t, provider)
				fake.SetOutcome(phone(2), smstest.Outcome{Receipt: "MK:0001"}) // 空号
				fake.SetOutcome(phone(3), smstest.Outcome{Pending: true})
				j := rg.run(t, rg.runner(t, "one"), rg.queue(t, SendReminders{CampaignID: rg.school.CampaignID, ClassID: rg.school.ClassID, Label: "class"}).ID)
				sum := SentOf(j)
				if j.Status != store.JobDone || sum.Sent != 4 || sum.Awaiting != 4 || sum.Segments < 4 || sum.CostFen != int64(sum.Segments)*5 {
					t.Fatalf("%s %q %+v", j.Status, j.Error, sum)
				}
				msgs := fake.Messages()
				if len(msgs) != 4 || len(fake.Duplicates()) != 0 || len(fake.Problems()) != 0 {
					t.Fatalf("%d texts, duplicates %v, the fake refused %v", len(msgs), fake.Duplicates(), fake.Problems())
				}
				for _, m := range msgs {
					if !strings.HasPrefix(m.Content, "【阳光实验小学】") || strings.Contains(m.Content, "王小明") || !strings.Contains(m.Content, "王*明") && m.Phone == phone(1) {
						t.Errorf("%s got %q", m.Phone, m.Content)
					}
				}
				rg.clock = rg.clock.Add(2 * time.Minute)
				r, err := NewReports(rg.deps(t), "one")
				if err != nil || r == nil {
					t.Fatalf("%v %v", r, err)
				}
				if polled, err := r.Tick(ctx); !polled || err != nil {
					t.Fatalf("%v %v", polled, err)
				}
				c, _ := rg.st.JobTextCounts(ctx, j.ID)
				if c.Delivered != 2 || c.Undelivered != 1 || c.Awaiting != 1 {
					t.Fatalf("after the reports: %+v", c)
				}
				rows, _ := rg.st.ClassTexts(ctx, rg.school.CampaignID, rg.school.ClassID, 10)
				for _, row := range rows {
					if row.Mobile == phone(2) && (row.Delivery != store.DeliveryUndelivered || sms.Reason(row.Reason).Text() != sms.ReasonUnreachable.Text()) {
						t.Errorf("the unreachable number: %+v", row)
					}
				}
			})
		})
	}
}

func TestAliyunBatchesAHundredFamiliesARequestAndTencentOneFamilyAtItsPace(t *testing.T) {
	t.Parallel()
	for provider, requests := range map[string]int{"aliyun": 2, "tencent": 120} {
		t.Run(provider, func(t *testing.T) {
			t.Parallel()
			rg := newRigOf(t, storetest.DSNs(t)["sqlite"], 120)
			rg.cfg.SMSMaxPerGuardian = 2
			fake := rg.useProvider(t, provider)
			j := rg.run(t, rg.runner(t, "one"), rg.queue(t, SendReminders{CampaignID: rg.school.CampaignID, SchoolID: rg.school.SchoolID, Label: "school"}).ID)
			if j.Status != store.JobDone || SentOf(j).Sent != 120 || len(fake.Messages()) != 120 || fake.Requests() != requests {
				t.Fatalf("%s %q %+v: %d texts in %d requests, want %d requests", j.Status, j.Error, SentOf(j), len(fake.Messages()), fake.Requests(), requests)
			}
			// Between requests the sender keeps the provider's pace (50 ms).
			paced := 0
			for _, d := range rg.slept {
				if d > 0 && d <= 50*time.Millisecond {
					paced++
				}
			}
			if paced < requests-1 {
				t.Fatalf("%d paced waits for %d requests", paced, requests)
			}
		})
	}
}

func TestAThrottledProviderIsWaitedForAndNoFamilyIsTextedTwice(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, dsn string) {
		rg := newRigOf(t, dsn, 3)
		fake := rg.useProvider(t, "aliyun")
		fake.FailNext(2, 400, "Throttling.User")
		j := rg.run(t, rg.runner(t, "one"), rg.queue(t, SendReminders{CampaignID: rg.school.CampaignID, ClassID: rg.school.ClassID, Label: "class"}).ID)
		if j.Status != store.JobDone || SentOf(j).Sent != 3 || len(fake.Messages()) != 3 || len(fake.Duplicates()) != 0 {
			t.Fatalf("%s %+v, %d texts", j.Status, SentOf(j), len(fake.Messages()))
		}
		if !slices.Contains(rg.slept, 2*time.Second) || !slices.Contains(rg.slept, 4*time.Second) {
			t.Fatalf("waits %v: want 2 s then 4 s", rg.slept)
		}
	})
}

// cutAfter is a provider whose instance dies (its context ends) once n
// requests were answered.
type cutAfter struct {
	sms.Provider
	n      int
	cancel context.CancelFunc
}

func (c *cutAfter) Send(ctx context.Context, b sms.Batch) ([]sms.Result, error) {
	res, err := c.Provider.Send(ctx, b)
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return res, err
}

func TestAJobStartedAgainOnAnotherInstanceNeverTextsAFamilyTwice(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, dsn string) {
		rg := newRigOf(t, dsn, 5)
		fake := rg.useProvider(t, "tencent")
		id := rg.queue(t, SendReminders{CampaignID: rg.school.CampaignID, ClassID: rg.school.ClassID, Label: "class"}).ID
		// Instance one stops after two families were texted (shutdown): its
		// job goes back to the queue.
		ctx, cancel := context.WithCancel(context.Background())
		d := rg.deps(t)
		one := New(rg.st, d.Log, rg.now)
		rem, err := NewReminders(d)
		if err != nil {
			t.Fatal(err)
		}
		rem.Provider = &cutAfter{Provider: rem.Provider, n: 2, cancel: cancel}
		rem.Register(one)
		if ran, _ := one.RunOnce(ctx); !ran || len(fake.Messages()) != 2 {
			t.Fatalf("ran %v, %d texts", ran, len(fake.Messages()))
		}
		j := rg.run(t, rg.runner(t, "two"), id)
		if j.Status != store.JobDone || SentOf(j).Sent != 5 || len(fake.Messages()) != 5 || len(fake.Duplicates()) != 0 {
			t.Fatalf("%s %+v: %d texts, duplicates %v", j.Status, SentOf(j), len(fake.Messages()), fake.Duplicates())
		}
	})
}

func TestASendScheduledForTheMorningIsStartedByWhicheverInstanceIsUpThen(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		rg := newRigOf(t, dsn, 2)
		rg.clock = time.Date(2026, 11, 20, 21, 30, 0, 0, campaign.ChinaTime)
		// Two instances: each its own connection to the one database, on the rig's clock.
		var instances []*Runner
		for _, name := range []string{"evening", "morning"} {
			st, err := store.Open(ctx, dsn, store.WithClock(rg.now))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			r := rg.runner(t, name)
			r.st = st
			instances = append(instances, r)
		}
		at := reminders.Resume(rg.cfg.SMSQuietHours, rg.now())
		j, err := rg.st.CreateJob(ctx, NewJob(SendReminders{CampaignID: rg.school.CampaignID, ClassID: rg.school.ClassID, Label: "class"},
			store.Job{SchoolID: rg.school.SchoolID, CampaignID: rg.school.CampaignID, CreatedBy: rg.school.TeacherID, RunAt: at}))
		if err != nil || !at.Equal(time.Date(2026, 11, 21, 8, 0, 0, 0, campaign.ChinaTime)) {
			t.Fatalf("%s %v", at, err)
		}
		rg.clock = time.Date(2026, 11, 21, 7, 59, 0, 0, campaign.ChinaTime)
		if ran, err := instances[0].RunOnce(ctx); ran || err != nil {
			t.Fatalf("started before 08:00: %v %v", ran, err)
		}
		rg.clock = time.Date(2026, 11, 21, 8, 0, 0, 0, campaign.ChinaTime)
		if ran, err := instances[1].RunOnce(ctx); !ran || err != nil {
			t.Fatalf("not started at 08:00: %v %v", ran, err)
		}
		got, _ := rg.st.Job(ctx, j.ID)
		if got.Status != store.JobDone || got.ClaimedBy != "morning" || SentOf(got).Sent != 2 || len(rg.gw.accepted) != 2 {
			t.Fatalf("%s by %q %+v, %d texts", got.Status, got.ClaimedBy, SentOf(got), len(rg.gw.accepted))
		}
	})
}

// cancelAfterFirst is a provider whose job is cancelled once its first
// request was answered (someone pressed 停止发送).
type cancelAfterFirst struct {
	sms.Provider
	cancel func()
	done   bool
}

func (c *cancelAfterFirst) Send(ctx context.Context, b sms.Batch) ([]sms.Result, error) {
	res, err := c.Provider.Send(ctx, b)
	if !c.done {
		c.done = true
		c.cancel()
	}
	return res, err
}

func TestACancelledSendStopsBeforeItsNextRequest(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		rg := newRigOf(t, dsn, 5)
		fake := rg.useProvider(t, "tencent")
		id := rg.queue(t, SendReminders{CampaignID: rg.school.CampaignID, ClassID: rg.school.ClassID, Label: "class"}).ID
		d := rg.deps(t)
		r := New(rg.st, d.Log, rg.now)
		rem, err := NewReminders(d)
		if err != nil {
			t.Fatal(err)
		}
		rem.Provider = &cancelAfterFirst{Provider: rem.Provider, cancel: func() {
			if _, err := rg.st.CancelJob(ctx, id); err != nil {
				t.Error(err)
			}
		}}
		rem.Register(r)
		j := rg.run(t, r, id)
		if j.Status != store.JobCancelled || len(fake.Messages()) != 1 {
			t.Fatalf("%s, %d texts: the send went on after it was cancelled", j.Status, len(fake.Messages()))
		}
		if c, _ := rg.st.JobTextCounts(ctx, id); c.Awaiting != 1 || c.Sending != 0 {
			t.Fatalf("the text sent is kept: %+v", c)
		}
	})
}
