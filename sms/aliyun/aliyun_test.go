package aliyun_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"jiashu/sms"
	"jiashu/sms/aliyun"
	"jiashu/sms/smstest"
)

const (
	keyID  = "LTAI5tTestKeyID"
	secret = "test-secret-7f3c9a1b"
	sign   = "城东实验学校"
	remind = "SMS_480215001"
	text   = "${school}${teacher}：${student}的家长，学校的防诈骗家书请您确认，免填免费：https://jiashu.example.cn/a/${link}"
)

func setup(t *testing.T) (*smstest.Aliyun, *aliyun.Provider, *sms.Template) {
	t.Helper()
	fake := smstest.NewAliyun(keyID, secret, sign, map[string]smstest.Template{remind: {Text: text, LinkVar: "link"}})
	t.Cleanup(fake.Close)
	p, err := aliyun.New(aliyun.Config{AccessKeyID: keyID, AccessKeySecret: secret, SignName: sign, Endpoint: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := sms.ParseTemplate(sms.AliyunRules, remind, sign, text, nil)
	if err != nil {
		t.Fatal(err)
	}
	return fake, p, tpl
}

func family(t *testing.T, tpl *sms.Template, key, phone, student string) sms.Text {
	t.Helper()
	txt, probs := tpl.Fill(key, phone, map[string]string{"school": "城东实验", "teacher": "王老师", "student": student,
		"link": "https://jiashu.example.cn/a/K7Q2M9XD?c=s"})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return txt
}

func TestOneTextGoesOutSignedWithItsVariables(t *testing.T) {
	fake, p, tpl := setup(t)
	res, err := p.Send(context.Background(), sms.Batch{Template: tpl, Texts: []sms.Text{family(t, tpl, "r/1", "13800001111", "王*明")}})
	if err != nil {
		t.Fatalf("%v; fake: %v", err, fake.Problems())
	}
	if len(res) != 1 || res[0].State != sms.Awaiting || res[0].MessageID == "" {
		t.Fatalf("results %+v", res)
	}
	msgs := fake.Messages()
	if len(msgs) != 1 || msgs[0].Content != "【城东实验学校】城东实验王老师：王*明的家长，学校的防诈骗家书请您确认，免填免费：https://jiashu.example.cn/a/K7Q2M9XD?c=s" {
		t.Fatalf("messages %+v", msgs)
	}
}

func TestSendBatchSmsCarriesEachFamilysVariables(t *testing.T) {
	fake, p, tpl := setup(t)
	texts := []sms.Text{family(t, tpl, "r/1", "13800001111", "王*明"), family(t, tpl, "r/2", "13800002222", "李*"), family(t, tpl, "r/3", "13800003333", "赵*华")}
	res, err := p.Send(context.Background(), sms.Batch{Template: tpl, Texts: texts})
	if err != nil {
		t.Fatalf("%v; fake: %v", err, fake.Problems())
	}
	msgs := fake.Messages()
	if len(msgs) != 3 || msgs[0].Action != "SendBatchSms" || fake.Requests() != 1 {
		t.Fatalf("%d requests, messages %+v", fake.Requests(), msgs)
	}
	for i, m := range msgs {
		if m.Phone != texts[i].Phone || m.Content != texts[i].Body || m.Params["student"] != texts[i].Params["student"] || m.Template != remind {
			t.Errorf("message %d: %+v, want %q to %s", i, m, texts[i].Body, texts[i].Phone)
		}
		if res[i].MessageID != m.ID || res[i].Key != texts[i].Key {
			t.Errorf("result %d: %+v", i, res[i])
		}
	}
}

func TestEveryRefusalBecomesAReasonATeacherCanActOn(t *testing.T) {
	for _, c := range []struct {
		status int
		code   string
		reason sms.Reason
		retry  bool
	}{
		{200, "isv.MOBILE_NUMBER_ILLEGAL", sms.ReasonNumber, false},
		{200, "isv.BUSINESS_LIMIT_CONTROL", sms.ReasonTooFrequent, false},
		{200, "isv.DAY_LIMIT_CONTROL", sms.ReasonQuota, false},
		{200, "isv.AMOUNT_NOT_ENOUGH", sms.ReasonBalance, false},
		{200, "isv.OUT_OF_SERVICE", sms.ReasonBalance, false},
		{200, "isv.SMS_TEMPLATE_ILLEGAL", sms.ReasonUnapproved, false},
		{200, "isv.SMS_SIGNATURE_ILLEGAL", sms.ReasonUnapproved, false},
		{200, "isv.PARAM_LENGTH_LIMIT", sms.ReasonVariables, false},
		{200, "isv.PARAM_NOT_SUPPORT_URL", sms.ReasonVariables, false},
		{200, "isv.BLACK_KEY_CONTROL_LIMIT", sms.ReasonContent, false},
		{200, "isv.PRODUCT_UN_SUBSCRIPT", sms.ReasonAccount, false},
		{403, "isp.RAM_PERMISSION_DENY", sms.ReasonAccount, false},
		{200, "isp.SYSTEM_ERROR", sms.ReasonProvider, true},
		{400, "Throttling.User", sms.ReasonBusy, true},
		{503, "ServiceUnavailable", sms.ReasonProvider, true},
	} {
		t.Run(c.code, func(t *testing.T) {
			fake, p, tpl := setup(t)
			fake.FailNext(1, c.status, c.code)
			_, err := p.Send(context.Background(), sms.Batch{Template: tpl, Texts: []sms.Text{family(t, tpl, "r/1", "13800001111", "王*明")}})
			var e *sms.Error
			if !errors.As(err, &e) || e.Code != c.code || e.Reason != c.reason || e.Retry != c.retry || e.Reason.Text() == "" {
				t.Fatalf("error %#v, want code %s, reason %s, retry %v", err, c.code, c.reason, c.retry)
			}
		})
	}
}

func TestTheFakeRefusesWhatAliyunWouldRefuse(t *testing.T) {
	fake, p, tpl := setup(t)
	send := func(txt sms.Text, code string) {
		t.Helper()
		_, err := p.Send(context.Background(), sms.Batch{Template: tpl, Texts: []sms.Text{txt}})
		var e *sms.Error
		if !errors.As(err, &e) || e.Code != code {
			t.Errorf("got %v, want %s", err, code)
		}
	}
	good := family(t, tpl, "r/1", "13800001111", "王*明")
	long := good
	long.Params = map[string]string{"school": strings.Repeat("实", 36), "teacher": "王", "student": "王", "link": "x"}
	send(long, "isv.PARAM_LENGTH_LIMIT")
	url := good
	url.Params = map[string]string{"school": "见 www.scam.cn", "teacher": "王", "student": "王", "link": "x"}
	send(url, "isv.PARAM_NOT_SUPPORT_URL")
	missing := good
	missing.Params = map[string]string{"school": "城东"}
	send(missing, "isv.TEMPLATE_MISSING_PARAMETERS")
	bad := good
	bad.Phone = "1380000111"
	send(bad, "isv.MOBILE_NUMBER_ILLEGAL")
	fake.SetOutcome("13800001111", smstest.Outcome{SendCode: "isv.BUSINESS_LIMIT_CONTROL"})
	send(good, "isv.BUSINESS_LIMIT_CONTROL")
	other, _ := sms.ParseTemplate(sms.AliyunRules, "SMS_999", sign, text, nil)
	if _, err := p.Send(context.Background(), sms.Batch{Template: other, Texts: []sms.Text{good}}); err == nil || !strings.Contains(err.Error(), "isv.SMS_TEMPLATE_ILLEGAL") {
		t.Errorf("unknown template: %v", err)
	}
	if len(fake.Messages()) != 0 {
		t.Errorf("refused texts were taken: %+v", fake.Messages())
	}
}

func TestAWrongSecretIsRefusedAndNeverShown(t *testing.T) {
	fake, _, tpl := setup(t)
	p, _ := aliyun.New(aliyun.Config{AccessKeyID: keyID, AccessKeySecret: "wrong-secret-123", SignName: sign, Endpoint: fake.URL})
	_, err := p.Send(context.Background(), sms.Batch{Template: tpl, Texts: []sms.Text{family(t, tpl, "r/1", "13800001111", "王*明")}})
	var e *sms.Error
	if !errors.As(err, &e) || e.Code != "SignatureDoesNotMatch" || e.Reason != sms.ReasonCredentials {
		t.Fatalf("got %v, want SignatureDoesNotMatch", err)
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%v %+v %#v %s", p, p, p, p)} {
		if strings.Contains(s, "wrong-secret-123") || strings.Contains(s, "13800001111") {
			t.Errorf("%q shows the secret or the number", s)
		}
	}
	p2, _ := aliyun.New(aliyun.Config{AccessKeyID: "LTAIother", AccessKeySecret: secret, SignName: sign, Endpoint: fake.URL})
	if _, err := p2.Send(context.Background(), sms.Batch{Template: tpl, Texts: []sms.Text{family(t, tpl, "r/1", "13800001111", "王*明")}}); err == nil || !strings.Contains(err.Error(), "InvalidAccessKeyId.NotFound") {
		t.Errorf("unknown key: %v", err)
	}
}

func TestDeliveryReportsSayDeliveredFailedWithAReasonOrAwaiting(t *testing.T) {
	fake, p, tpl := setup(t)
	fake.SetOutcome("13800002222", smstest.Outcome{Receipt: "MK:0001"})
	fake.SetOutcome("13800003333", smstest.Outcome{Pending: true})
	fake.SetOutcome("13800004444", smstest.Outcome{Receipt: "DB:0144"})
	var sent []sms.SentText
	for i, ph := range []string{"13800001111", "13800002222", "13800003333", "13800004444"} {
		res, err := p.Send(context.Background(), sms.Batch{Template: tpl, Texts: []sms.Text{family(t, tpl, fmt.Sprintf("r/%d", i), ph, "王*明")}})
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, sms.SentText{Key: res[0].Key, Phone: ph, MessageID: res[0].MessageID, At: time.Now()})
	}
	reps, err := p.Status(context.Background(), sms.StatusQuery{Sent: sent})
	if err != nil {
		t.Fatalf("%v; fake %v", err, fake.Problems())
	}
	want := []struct {
		state  sms.State
		reason sms.Reason
	}{{sms.Delivered, ""}, {sms.Failed, sms.ReasonUnreachable}, {sms.Awaiting, ""}, {sms.Failed, sms.ReasonRefused}}
	if len(reps) != 4 {
		t.Fatalf("reports %+v", reps)
	}
	for i, w := range want {
		if reps[i].State != w.state || reps[i].Reason != w.reason || reps[i].MessageID != sent[i].MessageID || reps[i].Key != sent[i].Key {
			t.Errorf("report %d: %+v, want %v %q", i, reps[i], w.state, w.reason)
		}
	}
	// The push of the same reports.
	pushed, err := p.ParseCallback(bytes.NewReader(fake.CallbackBody()))
	if err != nil || len(pushed) != 3 || pushed[1].State != sms.Failed || pushed[1].Code != "MK:0001" || pushed[0].At.IsZero() {
		t.Fatalf("callback: %+v, %v", pushed, err)
	}
	if ct, body := p.CallbackReply(true); ct != "application/json" || !strings.Contains(string(body), `"code":0`) {
		t.Errorf("reply %s %s", ct, body)
	}
}

func TestPlainHTTPOnlyForLoopback(t *testing.T) {
	for ep, ok := range map[string]bool{"http://127.0.0.1:8080": true, "http://[::1]:9": true, "http://localhost:9": true,
		"http://10.0.0.5:8080": false, "http://sms.internal": false, "https://sms.internal": true, "sms.internal:8443": true,
		"https://sms.internal/path": false, "ftp://sms.internal": false} {
		_, err := aliyun.New(aliyun.Config{AccessKeyID: keyID, AccessKeySecret: secret, SignName: sign, Endpoint: ep})
		if (err == nil) != ok {
			t.Errorf("endpoint %s: err %v, want ok=%v", ep, err, ok)
		}
	}
}

func FuzzParseCallback(f *testing.F) {
	f.Add([]byte(`[{"phone_number":"13800001111","send_time":"2017-01-01 00:00:00","report_time":"2017-01-01 00:00:00","success":true,"err_code":"DELIVERED","err_msg":"用户接收成功","sms_size":"1","biz_id":"12345^0","out_id":"r/1"}]`))
	f.Add([]byte(`[{"success":false}]`))
	f.Add([]byte(`{}`))
	p, _ := aliyun.New(aliyun.Config{AccessKeyID: keyID, AccessKeySecret: secret, SignName: sign})
	f.Fuzz(func(t *testing.T, b []byte) {
		reps, err := p.ParseCallback(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, r := range reps {
			if r.MessageID == "" || r.Phone == "" || (r.State != sms.Delivered && r.State != sms.Failed) {
				t.Fatalf("report %+v", r)
			}
		}
	})
}

func TestATextWhoseRequestBrokeOffIsFoundByItsKey(t *testing.T) {
	fake, p, tpl := setup(t)
	for i, key := range []string{"job/1/g/1/l/1", "job/1/g/1/l/2"} {
		if _, err := p.Send(context.Background(), sms.Batch{Template: tpl, Texts: []sms.Text{family(t, tpl, key, "13800001111", fmt.Sprintf("王*%d", i))}}); err != nil {
			t.Fatal(err)
		}
	}
	// The answer to the second never came: the app has no BizId, only the key.
	reps, err := p.Status(context.Background(), sms.StatusQuery{Sent: []sms.SentText{{Key: "job/1/g/1/l/2", Phone: "13800001111", At: time.Now()}}})
	if err != nil || len(reps) != 1 || reps[0].Key != "job/1/g/1/l/2" || reps[0].State != sms.Delivered {
		t.Fatalf("%+v %v; fake %v", reps, err, fake.Problems())
	}
}
