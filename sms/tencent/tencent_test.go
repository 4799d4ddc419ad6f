package tencent_test

import (
	"context"
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
