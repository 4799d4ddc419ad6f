package sms_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"jiashu/sms"
	"jiashu/sms/aliyun"
	"jiashu/sms/smstest"
	"jiashu/sms/tencent"
)

var start = time.Date(2026, 12, 7, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

func aliyunRig(t *testing.T) (*smstest.Aliyun, *sms.Sender, *sms.Template, *smstest.Clock) {
	t.Helper()
	fake := smstest.NewAliyun("LTAI5tKey", "ali-secret", "城东实验学校", map[string]smstest.Template{"SMS_1": {Text: aliText, LinkVar: "link"}})
	t.Cleanup(fake.Close)
	p, err := aliyun.New(aliyun.Config{AccessKeyID: "LTAI5tKey", AccessKeySecret: "ali-secret", SignName: "城东实验学校", Endpoint: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := sms.ParseTemplate(sms.AliyunRules, "SMS_1", "城东实验学校", aliText, nil)
	if err != nil {
		t.Fatal(err)
	}
	clock := smstest.NewClock(start)
	return fake, &sms.Sender{Provider: p, Journal: &sms.MemoryJournal{}, Clock: clock}, tpl, clock
}

func tencentRig(t *testing.T) (*smstest.Tencent, *sms.Sender, *sms.Template, *smstest.Clock) {
	t.Helper()
	fake := smstest.NewTencent("AKIDkey", "tc-secret", "1400006666", "城东实验学校", map[string]smstest.Template{"1110": {Text: tcText}})
	t.Cleanup(fake.Close)
	p, err := tencent.New(tencent.Config{SecretID: "AKIDkey", SecretKey: "tc-secret", AppID: "1400006666", SignName: "城东实验学校", Endpoint: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := sms.ParseTemplate(sms.TencentRules, "1110", "城东实验学校", tcText, tcBind)
	if err != nil {
		t.Fatal(err)
	}
	clock := smstest.NewClock(start)
	return fake, &sms.Sender{Provider: p, Journal: &sms.MemoryJournal{}, Clock: clock}, tpl, clock
}

// families are n texts of tpl, each to its own number and child.
func families(t *testing.T, tpl *sms.Template, n int, sameChild bool) []sms.Text {
	t.Helper()
	out := make([]sms.Text, n)
	for i := range out {
		f := map[string]string{}
		for k, v := range family {
			f[k] = v
		}
		if !sameChild {
			f["student"] = fmt.Sprintf("王*%d", i)
			f["code"] = fmt.Sprintf("K%07d", i)
			f["link"] = fmt.Sprintf("https://jiashu.example.cn/a/K%07d?c=s", i)
		}
		var probs []sms.Problem
		out[i], probs = tpl.Fill(fmt.Sprintf("reminder/%d", i), fmt.Sprintf("138%08d", i), f)
		if len(probs) > 0 {
			t.Fatal(probs)
		}
	}
	return out
}

func TestAliyunSendsAHundredFamiliesARequestEachWithItsOwnText(t *testing.T) {
	fake, s, tpl, clock := aliyunRig(t)
	texts := families(t, tpl, 250, false)
	sum, err := s.Send(context.Background(), tpl, texts, nil)
	if err != nil {
		t.Fatalf("%v; fake: %v", err, fake.Problems())
	}
	if sum.Accepted != 250 || sum.Requests != 3 || fake.Requests() != 3 {
		t.Fatalf("summary %+v, %d requests; want 250 accepted in 3 requests (100, 100, 50)", sum, fake.Requests())
	}
	msgs := fake.Messages()
	for i, m := range msgs {
		if m.Content != texts[i].Body {
			t.Fatalf("family %d received %q, want %q", i, m.Content, texts[i].Body)
		}
	}
	if msgs[0].Action != "SendBatchSms" || msgs[0].ID == msgs[100].ID {
		t.Errorf("first batch by %s; BizIds %s, %s: one per request", msgs[0].Action, msgs[0].ID, msgs[100].ID)
	}
	if want := []time.Duration{50 * time.Millisecond, 50 * time.Millisecond}; !slices.Equal(clock.Slept(), want) {
		t.Errorf("waited %v between requests, want %v", clock.Slept(), want)
	}
}

func TestTencentGroupsOnlyFamiliesWithTheSameVariables(t *testing.T) {
	fake, s, tpl, _ := tencentRig(t)
	alert := families(t, tpl, 450, true) // one text for all: an alert
	own := families(t, tpl, 3, false)    // a text each: reminders
	for i := range own {
		own[i].Key, own[i].Phone = fmt.Sprintf("own/%d", i), fmt.Sprintf("139%08d", i)
	}
	sum, err := s.Send(context.Background(), tpl, append(alert, own...), nil)
	if err != nil {
		t.Fatalf("%v; fake: %v", err, fake.Problems())
	}
	// 450 equal texts: 200, 200, 50; the three others: one request each,
	// except own/0 whose variables are the alert's (王*明 … no: 王*0).
	if sum.Accepted != 453 || fake.Requests() != 6 {
		t.Fatalf("summary %+v in %d requests, want 453 in 6 (200+200+50, then 1+1+1)", sum, fake.Requests())
	}
	if len(fake.Messages()) != 453 || len(fake.Duplicates()) != 0 {
		t.Errorf("%d messages, duplicates %v", len(fake.Messages()), fake.Duplicates())
	}
}

func TestThrottledRequestsAreTriedAgainWithBackoff(t *testing.T) {
	fake, s, tpl, clock := aliyunRig(t)
	fake.FailNext(2, 400, "Throttling.User")
	sum, err := s.Send(context.Background(), tpl, families(t, tpl, 3, false), nil)
	if err != nil || sum.Accepted != 3 || sum.Requests != 3 {
		t.Fatalf("summary %+v, err %v: want 3 accepted on the third request", sum, err)
	}
	if want := []time.Duration{2 * time.Second, 4 * time.Second}; !slices.Equal(clock.Slept(), want) {
		t.Errorf("waited %v, want backoff %v", clock.Slept(), want)
	}
	j := s.Journal.(*sms.MemoryJournal)
	if r, _ := j.Result("reminder/0"); r.Tries != 3 || r.State != sms.Awaiting || r.MessageID == "" {
		t.Errorf("journal has %+v", r)
	}
}

func TestAProviderBusyForTooLongFailsTheBatchWithTheReason(t *testing.T) {
	fake, s, tpl, _ := tencentRig(t)
	fake.FailNext(10, 200, "RequestLimitExceeded")
	var got []sms.Result
	sum, err := s.Send(context.Background(), tpl, families(t, tpl, 2, false), func(r []sms.Result) { got = append(got, r...) })
	if err != nil || sum.Failed != 2 || fake.Requests() != 8 {
		t.Fatalf("summary %+v, err %v, %d requests: want both failed after 4 tries each", sum, err, fake.Requests())
	}
	if got[0].Reason != sms.ReasonBusy || got[0].Code != "RequestLimitExceeded" || got[0].Tries != 4 {
		t.Errorf("result %+v", got[0])
	}
}

func TestABatchRefusedForOneNumberIsSentOneByOneSoOnlyThatFamilyFails(t *testing.T) {
	fake, s, tpl, _ := aliyunRig(t)
	texts := families(t, tpl, 5, false)
	fake.SetOutcome(texts[2].Phone, smstest.Outcome{SendCode: "isv.BUSINESS_LIMIT_CONTROL"}) // this number's daily limit
	var got []sms.Result
	sum, err := s.Send(context.Background(), tpl, texts, func(r []sms.Result) { got = append(got, r...) })
	if err != nil || sum.Accepted != 4 || sum.Failed != 1 || fake.Requests() != 6 || len(fake.Messages()) != 4 || len(fake.Duplicates()) != 0 {
		t.Fatalf("summary %+v, err %v, %d requests, %d texts: want 4 taken, 1 failed, in 1 batch then 5 single requests",
			sum, err, fake.Requests(), len(fake.Messages()))
	}
	if r := got[2]; r.State != sms.Failed || r.Reason != sms.ReasonTooFrequent || r.Phone != texts[2].Phone {
		t.Errorf("the family at fault: %+v", r)
	}
	for _, m := range fake.Messages() {
		if m.Action != "SendSms" || m.Phone == texts[2].Phone {
			t.Errorf("%s by %s", m.Phone, m.Action)
		}
	}
}

// stopAfter is a provider whose send is stopped (its context cancelled)
// once n requests were answered.
type stopAfter struct {
	sms.Provider
	n      int
	cancel context.CancelFunc
}

func (p *stopAfter) Send(ctx context.Context, b sms.Batch) ([]sms.Result, error) {
	res, err := p.Provider.Send(ctx, b)
	if p.n--; p.n == 0 {
		p.cancel()
	}
	return res, err
}

func TestASendStoppedWhileGoingOneByOneRecordsTheRestAsNotSent(t *testing.T) {
	fake, s, tpl, _ := aliyunRig(t)
	texts := families(t, tpl, 5, false)
	fake.SetOutcome(texts[4].Phone, smstest.Outcome{SendCode: "isv.MOBILE_NUMBER_ILLEGAL"})
	ctx, cancel := context.WithCancel(context.Background())
	s.Provider = &stopAfter{Provider: s.Provider, n: 3, cancel: cancel} // the batch, then two singles
	var got []sms.Result
	sum, _ := s.Send(ctx, tpl, texts, func(r []sms.Result) { got = append(got, r...) })
	if len(got) != 5 || sum.Accepted != 2 || len(fake.Messages()) != 2 {
		t.Fatalf("%d results, summary %+v, %d texts taken", len(got), sum, len(fake.Messages()))
	}
	for _, r := range got[2:] {
		if r.State != sms.Failed || r.Reason != sms.ReasonStopped {
			t.Errorf("a text not tried: %+v", r)
		}
	}
}

func TestABatchRefusedForTheAccountIsNotTriedOneByOne(t *testing.T) {
	fake, s, tpl, _ := aliyunRig(t)
	texts := families(t, tpl, 5, false)
	fake.SetOutcome(texts[0].Phone, smstest.Outcome{SendCode: "isv.AMOUNT_NOT_ENOUGH"})
	sum, err := s.Send(context.Background(), tpl, texts, nil)
	if err != nil || sum.Failed != 5 || fake.Requests() != 1 {
		t.Fatalf("summary %+v, err %v, %d requests: want all 5 failed in one request", sum, err, fake.Requests())
	}
}

func TestARetriedJobNeverTextsAFamilyTwice(t *testing.T) {
	fake, s, tpl, _ := aliyunRig(t)
	texts := families(t, tpl, 5, false)
	// The first run dies after its first batch of two texts went out.
	s.Provider = limited{s.Provider, 2}
	s.Journal.Begin(context.Background(), texts[2:3]) // begun, then the instance died mid-request
	first, _ := s.Send(context.Background(), tpl, texts[:2], nil)
	s.Provider = limited{s.Provider.(limited).Provider, 100}
	second, err := s.Send(context.Background(), tpl, texts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.Accepted != 2 || second.Accepted != 2 || second.Skipped != 3 {
		t.Fatalf("first %+v, second %+v: the second run sends only the 2 texts never begun", first, second)
	}
	if d := fake.Duplicates(); len(d) != 0 || len(fake.Messages()) != 4 {
		t.Fatalf("%d texts went out, duplicates %v", len(fake.Messages()), d)
	}
}

// limited is a provider that takes smaller batches.
type limited struct {
	sms.Provider
	n int
}

func (l limited) Limits() sms.Limits { x := l.Provider.Limits(); x.PerRequest = l.n; return x }

func TestARequestCutOffAfterSendingIsUnsureAndNotSentAgain(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close() // read the request, hang up without an answer
	}))
	defer srv.Close()
	p, _ := aliyun.New(aliyun.Config{AccessKeyID: "k", AccessKeySecret: "s", SignName: "城东", Endpoint: srv.URL})
	tpl, _ := sms.ParseTemplate(sms.AliyunRules, "SMS_1", "城东", aliText, nil)
	s := &sms.Sender{Provider: p, Journal: &sms.MemoryJournal{}, Clock: smstest.NewClock(start)}
	var got []sms.Result
	sum, err := s.Send(context.Background(), tpl, families(t, tpl, 2, false), func(r []sms.Result) { got = append(got, r...) })
	if err != nil || sum.Unsure != 2 || hits.Load() != 1 {
		t.Fatalf("summary %+v, err %v, %d requests: want 2 unsure after one request", sum, err, hits.Load())
	}
	if got[0].Reason != sms.ReasonUnsure {
		t.Errorf("reason %q", got[0].Reason)
	}
}

func TestAnUnreachableProviderIsTriedAgainThenFailsAsNetwork(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nothing listens: every connection is refused
	p, _ := tencent.New(tencent.Config{SecretID: "id", SecretKey: "key", AppID: "1400006666", SignName: "城东", Endpoint: "http://" + addr})
	tpl, _ := sms.ParseTemplate(sms.TencentRules, "1110", "城东", tcText, tcBind)
	clock := smstest.NewClock(start)
	s := &sms.Sender{Provider: p, Journal: &sms.MemoryJournal{}, Clock: clock, Tries: 3}
	sum, err := s.Send(context.Background(), tpl, families(t, tpl, 1, false), nil)
	if err != nil || sum.Failed != 1 || len(clock.Slept()) != 2 {
		t.Fatalf("summary %+v, err %v, waits %v: want a failure after 3 tries", sum, err, clock.Slept())
	}
	r, _ := s.Journal.(*sms.MemoryJournal).Result("reminder/0")
	if r.Reason != sms.ReasonNetwork {
		t.Errorf("reason %q, want network", r.Reason)
	}
}

func TestQuietHoursStopTheSendBetweenBatches(t *testing.T) {
	fake, s, tpl, _ := aliyunRig(t)
	quiet := errors.New("21:00")
	batches := 0
	s.Proceed = func() error {
		if batches++; batches > 1 {
			return quiet
		}
		return nil
	}
	sum, err := s.Send(context.Background(), tpl, families(t, tpl, 150, false), nil)
	if !errors.Is(err, quiet) || sum.Accepted != 100 || len(fake.Messages()) != 100 {
		t.Fatalf("summary %+v, err %v: want the first 100 sent, then the stop", sum, err)
	}
	if _, ok := s.Journal.(*sms.MemoryJournal).Result("reminder/120"); ok {
		t.Error("a text after the stop was recorded")
	}
}
