package sms_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"jiashu/sms"
	"jiashu/sms/aliyun"
	"jiashu/sms/gateway"
	"jiashu/sms/tencent"
)

const hush = "hush-7f3c9a1b"

// TestSecretsNeverPrint: configs and providers printed with every verb,
// marshalled and logged show no secret.
func TestSecretsNeverPrint(t *testing.T) {
	ac := aliyun.Config{AccessKeyID: "LTAI5t", AccessKeySecret: hush, SignName: "城东"}
	tc := tencent.Config{SecretID: "AKID", SecretKey: hush, AppID: "1400006666", SignName: "城东"}
	gc := gateway.Config{URL: "https://gw.example.cn/send", Token: hush}
	ap, err := aliyun.New(ac)
	if err != nil {
		t.Fatal(err)
	}
	tp, err := tencent.New(tc)
	if err != nil {
		t.Fatal(err)
	}
	gp, err := gateway.New(gc)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for _, v := range []any{ac, &ac, tc, gc, ap, tp, gp, sms.Secret(hush)} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
		b, _ := json.Marshal(v)
		out.Write(b)
	}
	log := slog.New(slog.NewJSONHandler(&out, nil))
	log.Info("sms", "aliyun", ac, "tencent", tc, "gateway", gc, "provider", ap, "secret", sms.Secret(hush))
	slog.New(slog.NewTextHandler(&out, nil)).Info("sms", "aliyun", ac, "provider", tp)
	if strings.Contains(out.String(), hush) || strings.Contains(out.String(), fmt.Sprintf("%x", hush)) {
		t.Fatalf("a secret shows in:\n%s", out.String())
	}
	if sms.Secret(hush).Reveal() != hush {
		t.Fatal("Reveal lost the value")
	}
}

func TestEndpoints(t *testing.T) {
	for raw, want := range map[string]string{
		"dysmsapi.aliyuncs.com": "https://dysmsapi.aliyuncs.com", "http://127.0.0.1:9000": "http://127.0.0.1:9000",
		"https://sms.gov.example:8443/": "https://sms.gov.example:8443", "http://10.1.2.3": "", "http://sms.lan": "",
		"https://h/v1": "", "https://u:p@h": "", "": "",
	} {
		ep, err := sms.ParseEndpoint(raw)
		got := ""
		if err == nil {
			got = ep.Scheme + "://" + ep.Host
		}
		if got != want {
			t.Errorf("%q: %q (%v), want %q", raw, got, err, want)
		}
	}
}

func TestCarrierCodesBecomeReasons(t *testing.T) {
	for code, want := range map[string]sms.Reason{
		"DELIVRD": "", "DELIVERED": "", "MK:0001": sms.ReasonUnreachable, "MN:0017": sms.ReasonUnreachable,
		"UNDELIV": sms.ReasonUnreachable, "EXPIRED": sms.ReasonUnreachable, "DB:0144": sms.ReasonRefused,
		"MBBLACK": sms.ReasonRefused, "BLACKLIST": sms.ReasonRefused, "BEYONDD": sms.ReasonTooFrequent,
		"KEYWORD": sms.ReasonContent, "SIGFAIL": sms.ReasonUnapproved, "IB:0008": sms.ReasonCarrier, "": sms.ReasonCarrier,
	} {
		if got := sms.CarrierReason(code); got != want {
			t.Errorf("%q: %q, want %q", code, got, want)
		}
	}
}

func TestEveryReasonSaysWhatToDoInChinese(t *testing.T) {
	for _, r := range []sms.Reason{sms.ReasonNumber, sms.ReasonUnreachable, sms.ReasonRefused, sms.ReasonTooFrequent,
		sms.ReasonBusy, sms.ReasonUnapproved, sms.ReasonVariables, sms.ReasonContent, sms.ReasonBalance, sms.ReasonQuota,
		sms.ReasonAccount, sms.ReasonCredentials, sms.ReasonProvider, sms.ReasonNetwork, sms.ReasonUnsure,
		sms.ReasonCarrier, sms.ReasonGatewayInput, sms.ReasonNoReport, sms.ReasonStopped} {
		if txt := r.Text(); !strings.ContainsRune(txt, '，') || !strings.ContainsAny(txt, "请等不") {
			t.Errorf("%s: %q says no next step", r, txt)
		}
	}
}

func TestCallbackTokenMustMatchAndBeLong(t *testing.T) {
	want := sms.Secret("k3Jd9QmZ2xTq7LwP0aVb")
	for got, ok := range map[string]bool{"k3Jd9QmZ2xTq7LwP0aVb": true, "k3Jd9QmZ2xTq7LwP0aVc": false, "": false, "k3Jd9QmZ2xTq7LwP0aV": false} {
		if sms.SameToken(got, want) != ok {
			t.Errorf("%q: want %v", got, ok)
		}
	}
	if sms.SameToken("short", "short") {
		t.Error("a short configured token was accepted")
	}
}
