package aliyun_test

import (
	"context"
	"testing"

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
