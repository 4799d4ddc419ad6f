package tencent_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"jiashu/sms"
	"jiashu/sms/smstest"
	"jiashu/sms/tencent"
)

const (
	secretID  = "AKIDtestSecretID"
	secretKey = "tc-test-key-91d2e0"
	app       = "1400006666"
	sign      = "城东实验学校"
	remind    = "1110"
	text      = "{1}的{2}提醒：{3}的家长，请打开 https://jiashu.example.cn/a 输入确认码{4}，确认学校的防诈骗家书，免费。"
)

var bind = map[string]string{"1": "school", "2": "teacher", "3": "student", "4": "code"}

func setup(t *testing.T) (*smstest.Tencent, *tencent.Provider, *sms.Template) {
	t.Helper()
	fake := smstest.NewTencent(secretID, secretKey, app, sign, map[string]smstest.Template{remind: {Text: text}})
	t.Cleanup(fake.Close)
	p, err := tencent.New(tencent.Config{SecretID: secretID, SecretKey: secretKey, AppID: app, SignName: sign, Endpoint: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := sms.ParseTemplate(sms.TencentRules, remind, sign, text, bind)
	if err != nil {
		t.Fatal(err)
	}
	return fake, p, tpl
}

func TestOneTextGoesOutSigned(t *testing.T) {
	fake, p, tpl := setup(t)
	txt, probs := tpl.Fill("r/1", "13800001111", map[string]string{"school": "城东实验", "teacher": "王老师", "student": "王*明", "code": "K7Q2M9XD"})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	res, err := p.Send(context.Background(), sms.Batch{Template: tpl, Texts: []sms.Text{txt}})
	if err != nil {
		t.Fatalf("%v; fake: %v", err, fake.Problems())
	}
	if len(res) != 1 || res[0].State != sms.Awaiting || res[0].MessageID == "" {
		t.Fatalf("results %+v; fake %v", res, fake.Problems())
	}
	if m := fake.Messages(); len(m) != 1 || m[0].Content != txt.Body {
		t.Fatalf("fake got %+v, want %q", m, txt.Body)
	}
}

func fill(t *testing.T, tpl *sms.Template, key, phone string) sms.Text {
	t.Helper()
	txt, probs := tpl.Fill(key, phone, map[string]string{"school": "城东实验", "teacher": "王老师", "student": "王*明", "code": "K7Q2M9XD"})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return txt
}

func TestEachNumberGetsItsOwnAnswer(t *testing.T) {
	fake, p, tpl := setup(t)
	fake.SetOutcome("13800002222", smstest.Outcome{SendCode: "FailedOperation.PhoneNumberInBlacklist"})
	fake.SetOutcome("13800003333", smstest.Outcome{SendCode: "LimitExceeded.PhoneNumberDailyLimit"})
	fake.SetOutcome("13800004444", smstest.Outcome{SendCode: "FailedOperation.InsufficientBalanceInSmsPackage"})
	texts := []sms.Text{fill(t, tpl, "a", "13800001111"), fill(t, tpl, "b", "13800002222"), fill(t, tpl, "c", "13800003333"),
		fill(t, tpl, "d", "13800004444"), fill(t, tpl, "e", "12345")}
	res, err := p.Send(context.Background(), sms.Batch{Template: tpl, Texts: texts})
	if err != nil || fake.Requests() != 1 {
		t.Fatalf("%v, %d requests", err, fake.Requests())
	}
	want := []struct {
		state  sms.State
		reason sms.Reason
	}{{sms.Awaiting, ""}, {sms.Failed, sms.ReasonRefused}, {sms.Failed, sms.ReasonTooFrequent}, {sms.Failed, sms.ReasonBalance}, {sms.Failed, sms.ReasonNumber}}
	for i, w := range want {
		if res[i].State != w.state || res[i].Reason != w.reason || res[i].Key != texts[i].Key {
			t.Errorf("%s: %+v, want %v %q", texts[i].Phone, res[i], w.state, w.reason)
		}
	}
	if res[0].Segments != texts[0].Segments() || res[0].MessageID == "" {
		t.Errorf("accepted text: %+v (Fee is the segments billed)", res[0])
	}
}

func TestRequestErrorsBecomeReasons(t *testing.T) {
	for _, c := range []struct {
		code   string
		reason sms.Reason
		retry  bool
	}{
		{"FailedOperation.SignatureIncorrectOrUnapproved", sms.ReasonUnapproved, false},
		{"FailedOperation.TemplateIncorrectOrUnapproved", sms.ReasonUnapproved, false},
		{"FailedOperation.ContainSensitiveWord", sms.ReasonContent, false},
		{"InvalidParameterValue.ProhibitedUseUrlInTemplateParameter", sms.ReasonVariables, false},
		{"UnauthorizedOperation.SmsSdkAppIdVerifyFail", sms.ReasonAccount, false},
		{"LimitExceeded.AppDailyLimit", sms.ReasonQuota, false},
		{"RequestLimitExceeded", sms.ReasonBusy, true},
		{"RequestLimitExceeded.UinLimitExceeded", sms.ReasonBusy, true},
		{"InternalError.OtherError", sms.ReasonProvider, false},
	} {
		t.Run(c.code, func(t *testing.T) {
			fake, p, tpl := setup(t)
			fake.FailNext(1, 200, c.code)
			_, err := p.Send(context.Background(), sms.Batch{Template: tpl, Texts: []sms.Text{fill(t, tpl, "a", "13800001111")}})
			var e *sms.Error
			if !errors.As(err, &e) || e.Code != c.code || e.Reason != c.reason || e.Retry != c.retry {
				t.Fatalf("got %v, want %s %s retry=%v", err, c.code, c.reason, c.retry)
			}
		})
	}
	fake, p, tpl := setup(t)
	fake.FailNext(1, 200, "InternalError.Timeout")
	_, err := p.Send(context.Background(), sms.Batch{Template: tpl, Texts: []sms.Text{fill(t, tpl, "a", "13800001111")}})
	if e := new(sms.Error); !errors.As(err, &e) || !e.Unsure {
		t.Errorf("InternalError.Timeout: %v, want unsure (it may have gone out)", err)
	}
	fake.FailNext(1, 502, "x")
	_, err = p.Send(context.Background(), sms.Batch{Template: tpl, Texts: []sms.Text{fill(t, tpl, "a", "13800001111")}})
	if e := new(sms.Error); !errors.As(err, &e) || !e.Unsure || e.Retry {
		t.Errorf("HTTP 502 with a proxy's page: %v, want unsure (the API may have taken it)", err)
	}
}

func TestAWrongKeyIsRefusedAndNeverShown(t *testing.T) {
	fake, _, tpl := setup(t)
	p, _ := tencent.New(tencent.Config{SecretID: secretID, SecretKey: "not-the-key-42", AppID: app, SignName: sign, Endpoint: fake.URL})
	_, err := p.Send(context.Background(), sms.Batch{Template: tpl, Texts: []sms.Text{fill(t, tpl, "a", "13800001111")}})
	if e := new(sms.Error); !errors.As(err, &e) || e.Code != "AuthFailure.SignatureFailure" || e.Reason != sms.ReasonCredentials {
		t.Fatalf("got %v", err)
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%v %+v %#v", p, p, p)} {
		if strings.Contains(s, "not-the-key-42") {
			t.Errorf("%q shows the key", s)
		}
	}
}

func TestPulledReportsComeOnceEach(t *testing.T) {
	fake, p, tpl := setup(t)
	fake.SetOutcome("13800002222", smstest.Outcome{Receipt: "MN:0017"})
	fake.SetOutcome("13800003333", smstest.Outcome{Pending: true})
	var texts []sms.Text
	for i := range 150 {
		texts = append(texts, fill(t, tpl, fmt.Sprint(i), fmt.Sprintf("138%08d", i)))
	}
	texts = append(texts, fill(t, tpl, "x", "13800002222"), fill(t, tpl, "y", "13800003333"))
	if _, err := p.Send(context.Background(), sms.Batch{Template: tpl, Texts: texts}); err != nil {
		t.Fatal(err)
	}
	reps, err := p.Status(context.Background(), sms.StatusQuery{})
	if err != nil || len(reps) != 151 {
		t.Fatalf("%d reports, %v; want 151 (the pending one has none yet)", len(reps), err)
	}
	last := reps[150]
	if last.Phone != "13800002222" || last.State != sms.Failed || last.Reason != sms.ReasonUnreachable || last.Code != "MN:0017" {
		t.Errorf("report %+v", last)
	}
	if again, _ := p.Status(context.Background(), sms.StatusQuery{}); len(again) != 0 {
		t.Errorf("pulled again: %d reports", len(again))
	}
	pushed, err := p.ParseCallback(bytes.NewReader(fake.CallbackBody()))
	if err != nil || len(pushed) != 151 || pushed[0].State != sms.Delivered || pushed[0].Phone != "13800000000" {
		t.Fatalf("callback %d reports, %v", len(pushed), err)
	}
}

func FuzzParseCallback(f *testing.F) {
	f.Add([]byte(`[{"user_receive_time":"2015-10-17 08:03:04","nationcode":"86","mobile":"13xxxxxxxxx","report_status":"SUCCESS","errmsg":"DELIVRD","description":"用户短信送达成功","sid":"xxxxxxx"}]`))
	f.Add([]byte(`[{"report_status":"FAIL"}]`))
	p, _ := tencent.New(tencent.Config{SecretID: secretID, SecretKey: secretKey, AppID: app, SignName: sign})
	f.Fuzz(func(t *testing.T, b []byte) {
		reps, err := p.ParseCallback(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, r := range reps {
			if r.MessageID == "" || (r.State == sms.Failed) == (r.Reason == sms.ReasonNone) {
				t.Fatalf("report %+v", r)
			}
		}
	})
}
