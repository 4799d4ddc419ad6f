package cli

import (
	"strings"
	"testing"
)

func TestSMSGatewaySettings(t *testing.T) {
	t.Parallel()
	t.Run("no gateway by default, two reminders per guardian", func(t *testing.T) {
		cfg, msg, ok := parseConfig(t, nil)
		if !ok || cfg.SMSGatewayURL != "" || cfg.SMSMaxPerGuardian != 2 {
			t.Fatalf("%+v %s", cfg, msg)
		}
	})
	t.Run("the gateway is read from the environment", func(t *testing.T) {
		cfg, msg, ok := parseConfig(t, map[string]string{"JIASHU_SMS_GATEWAY_URL": "https://sms.example.cn/send",
			"JIASHU_SMS_GATEWAY_TOKEN": "t0k", "JIASHU_SMS_MAX_PER_GUARDIAN": "3"})
		if !ok || cfg.SMSGatewayURL != "https://sms.example.cn/send" || cfg.SMSGatewayToken != "t0k" || cfg.SMSMaxPerGuardian != 3 {
			t.Fatalf("%+v %s", cfg, msg)
		}
	})
	t.Run("a bad URL or limit is refused naming the variable", func(t *testing.T) {
		_, msg, ok := parseConfig(t, nil, "--sms-gateway-url", "sms.example.cn", "--sms-max-per-guardian", "-1")
		if ok || !strings.Contains(msg, "JIASHU_SMS_GATEWAY_URL") || !strings.Contains(msg, "JIASHU_SMS_MAX_PER_GUARDIAN") {
			t.Fatalf("ok=%v %s", ok, msg)
		}
	})
}
