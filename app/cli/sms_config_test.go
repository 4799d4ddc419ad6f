package cli

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jiashu/app/config"
)

// aliyunEnv is a complete Aliyun account in the environment.
func aliyunEnv(extra map[string]string) map[string]string {
	env := map[string]string{"JIASHU_SMS_PROVIDER": "aliyun", "JIASHU_SMS_ACCESS_KEY_ID": "LTAI5tKey",
		"JIASHU_SMS_ACCESS_KEY_SECRET": "ali-secret-value", "JIASHU_SMS_SIGN_NAME": "城东实验学校",
		"JIASHU_SMS_TEMPLATE_REMINDER": "SMS_1"}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// refusedSMSSettings are combinations that stop the program, each with
// the setting its message must name.
var refusedSMSSettings = []struct {
	name string
	env  map[string]string
	args []string
	want string // the setting named
}{
	{"an unknown provider", map[string]string{"JIASHU_SMS_PROVIDER": "yunpian"}, nil, "JIASHU_SMS_PROVIDER"},
	{"http without its URL", map[string]string{"JIASHU_SMS_PROVIDER": "http"}, nil, "JIASHU_SMS_GATEWAY_URL"},
	{"aliyun without a signature", aliyunEnv(map[string]string{"JIASHU_SMS_SIGN_NAME": ""}), nil, "JIASHU_SMS_SIGN_NAME"},
	{"a signature in brackets", aliyunEnv(map[string]string{"JIASHU_SMS_SIGN_NAME": "【城东实验学校】"}), nil, "JIASHU_SMS_SIGN_NAME"},
	{"aliyun without the secret", aliyunEnv(map[string]string{"JIASHU_SMS_ACCESS_KEY_SECRET": ""}), nil, "JIASHU_SMS_ACCESS_KEY_SECRET"},
	{"aliyun without the key ID", aliyunEnv(map[string]string{"JIASHU_SMS_ACCESS_KEY_ID": ""}), nil, "JIASHU_SMS_ACCESS_KEY_ID"},
	{"aliyun without a reminder template", aliyunEnv(map[string]string{"JIASHU_SMS_TEMPLATE_REMINDER": ""}), nil, "JIASHU_SMS_TEMPLATE_REMINDER"},
	{"aliyun with Tencent's app ID", aliyunEnv(map[string]string{"JIASHU_SMS_APP_ID": "1400006666"}), nil, "JIASHU_SMS_APP_ID"},
	{"tencent without its app ID", aliyunEnv(map[string]string{"JIASHU_SMS_PROVIDER": "tencent"}), nil, "JIASHU_SMS_APP_ID"},
	{"aliyun with a gateway URL", aliyunEnv(nil), []string{"--sms-gateway-url", "https://sms.example.cn/send"}, "JIASHU_SMS_GATEWAY_URL"},
	{"an endpoint in plain http on the network", aliyunEnv(nil), []string{"--sms-endpoint", "http://10.0.0.5:8080"}, "JIASHU_SMS_ENDPOINT"},
	{"a signature with the http gateway", nil, []string{"--sms-gateway-url", "https://sms.example.cn/send", "--sms-sign-name", "城东"}, "JIASHU_SMS_SIGN_NAME"},
	{"bad quiet hours", nil, []string{"--sms-quiet-hours", "9pm-8am"}, "JIASHU_SMS_QUIET_HOURS"},
	{"a negative price", nil, []string{"--sms-price-fen", "-1"}, "JIASHU_SMS_PRICE_FEN"},
	{"a short callback token", aliyunEnv(map[string]string{"JIASHU_SMS_CALLBACK_TOKEN": "short"}), nil, "JIASHU_SMS_CALLBACK_TOKEN"},
}

func TestSMSProviderSettings(t *testing.T) {
	t.Parallel()
	t.Run("a complete Aliyun account is read from the environment with the defaults", func(t *testing.T) {
		cfg, msg, ok := parseConfig(t, aliyunEnv(nil))
		if !ok || cfg.SMSProvider != "aliyun" || cfg.SMSAccessKeySecret.Reveal() != "ali-secret-value" || cfg.SMSSignName != "城东实验学校" ||
			cfg.SMSPriceFen != 5 || cfg.SMSQuietHours.String() != "21:00-08:00" || !cfg.SMSSends() || !cfg.SMSReports() {
			t.Fatalf("%v %s", ok, msg)
		}
	})
	t.Run("without any SMS setting texts are exported only, and a gateway URL alone means http as before", func(t *testing.T) {
		cfg, _, ok := parseConfig(t, nil)
		if !ok || cfg.SMSProvider != "" || cfg.SMSSends() {
			t.Fatalf("%q", cfg.SMSProvider)
		}
		cfg, _, ok = parseConfig(t, nil, "--sms-gateway-url", "https://sms.example.cn/send")
		if !ok || cfg.SMSProvider != "http" || cfg.SMSReports() {
			t.Fatalf("%q", cfg.SMSProvider)
		}
	})
	for _, c := range refusedSMSSettings {
		t.Run(c.name+" stops the program naming the setting", func(t *testing.T) {
			_, msg, ok := parseConfig(t, c.env, c.args...)
			if ok || !strings.Contains(msg, c.want) {
				t.Fatalf("ok=%v %s", ok, msg)
			}
		})
	}
	t.Run("quiet hours may be off", func(t *testing.T) {
		cfg, msg, ok := parseConfig(t, nil, "--sms-quiet-hours", "off")
		if !ok || !cfg.SMSQuietHours.Off {
			t.Fatal(msg)
		}
	})
	t.Run("the secret is refused on the command line, and the refusal does not repeat it", func(t *testing.T) {
		env := aliyunEnv(map[string]string{"JIASHU_SMS_ACCESS_KEY_SECRET": ""})
		_, msg, ok := parseConfig(t, env, "--sms-access-key-secret", "cmdline-secret-value")
		if ok || !strings.Contains(msg, "--sms-access-key-secret") || strings.Contains(msg, "cmdline-secret-value") {
			t.Fatalf("ok=%v %s", ok, msg)
		}
	})
	t.Run("the secret is read from a file", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "secret")
		if err := os.WriteFile(file, []byte("file-secret-value\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		env := aliyunEnv(map[string]string{"JIASHU_SMS_ACCESS_KEY_SECRET": "", "JIASHU_SMS_ACCESS_KEY_SECRET_FILE": file})
		cfg, msg, ok := parseConfig(t, env)
		if !ok || cfg.SMSAccessKeySecret.Reveal() != "file-secret-value" {
			t.Fatalf("ok=%v %s", ok, msg)
		}
		_, msg, ok = parseConfig(t, env, "--sms-access-key-secret-file", file+".missing")
		if ok || !strings.Contains(msg, "JIASHU_SMS_ACCESS_KEY_SECRET_FILE") {
			t.Fatalf("ok=%v %s", ok, msg)
		}
	})
	t.Run("neither the help nor the configuration prints a secret", func(t *testing.T) {
		vars := aliyunEnv(map[string]string{"JIASHU_SMS_GATEWAY_TOKEN": "gateway-token-value", "JIASHU_SMS_CALLBACK_TOKEN": "callback-token-value-0123"})
		var stderr bytes.Buffer
		e := &env{getenv: func(k string) string { return vars[k] }, stdout: &bytes.Buffer{}, stderr: &stderr}
		var cfg config.Config
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		parseFlags(e, fs, []string{"-help"}, &cfg)
		cfg2, _, _ := parseConfig(t, vars)
		for _, out := range []string{stderr.String(), fmt.Sprintf("%v %+v %#v", cfg2, cfg2, cfg2)} {
			for _, secret := range []string{"ali-secret-value", "gateway-token-value", "callback-token-value-0123"} {
				if strings.Contains(out, secret) {
					t.Fatalf("%s printed in %.3000s", secret, out)
				}
			}
		}
		if !strings.Contains(stderr.String(), "sms-access-key-secret-file") {
			t.Fatalf("help: %.2000s", stderr.String())
		}
	})
}
