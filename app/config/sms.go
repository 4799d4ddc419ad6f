package config

import (
	"flag"
	"io"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"

	"jiashu/sms"
)

// The SMS provider's settings (issue 20): which provider, its account, the
// approved signature and template codes, the price of a segment and the
// quiet hours. The two secrets — the provider's AccessKey secret and the
// token of the delivery-report callback — come from the environment or a
// file, never from the command line (which every user of the machine can
// read in the process list), and are held as sms.Secret, which prints as
// [redacted] wherever it goes.

// smsRaw is what was given for the SMS settings, before validation.
type smsRaw struct {
	provider, url, maxPer                             string
	endpoint, keyID, secretFile, sign, appID, region  string
	tplReminder, tplAlert, price, quiet, callbackFile string
	gatewayToken, secretFlag, callbackFlag            string
	secretEnv, callbackEnv, gatewayTokenEnv           string
	fs                                                *flag.FlagSet
}

// smsSettings are the SMS settings that read like the others (a flag, its
// variable, a default).
func smsSettings(raw *smsRaw) []setting {
	return []setting{
		{"sms-provider", "how reminder and alert texts go out: http (a JSON gateway), aliyun (阿里云短信) or tencent (腾讯云短信); empty: exported only (http when --sms-gateway-url is set)", "", &raw.provider},
		{"sms-gateway-url", "HTTP gateway for reminder SMS (JSON POST), with --sms-provider http", "", &raw.url},
		{"sms-max-per-guardian", "most reminder SMS per guardian per campaign", "2", &raw.maxPer},
		{"sms-endpoint", "the provider's API host (host[:port] or https://…; plain http only for a loopback address); default the provider's public endpoint", "", &raw.endpoint},
		{"sms-access-key-id", "the provider's AccessKey ID (Aliyun) or SecretId (Tencent)", "", &raw.keyID},
		{"sms-access-key-secret-file", "a file holding the AccessKey secret (Aliyun) or SecretKey (Tencent); or set JIASHU_SMS_ACCESS_KEY_SECRET", "", &raw.secretFile},
		{"sms-sign-name", "the approved SMS signature (签名) without 【】", "", &raw.sign},
		{"sms-app-id", "Tencent's SMS SdkAppId (1400…)", "", &raw.appID},
		{"sms-region", "the provider's region (default cn-hangzhou for Aliyun, ap-guangzhou for Tencent)", "", &raw.region},
		{"sms-template-reminder", "the approved template code (Aliyun SMS_…) or ID (Tencent) of reminders", "", &raw.tplReminder},
		{"sms-template-alert", "the approved template code or ID of new-scam alerts; empty: alerts are exported only", "", &raw.tplAlert},
		{"sms-price-fen", "price of one SMS segment in fen (分), for the estimates and the money spent", "5", &raw.price},
		{"sms-quiet-hours", "China-time hours when no text is sent, HH:MM-HH:MM, or off", sms.DefaultQuiet.String(), &raw.quiet},
		{"sms-callback-token-file", "a file holding the token of the delivery-report callback URL (/sms/report/TOKEN, at least 16 characters); or set JIASHU_SMS_CALLBACK_TOKEN", "", &raw.callbackFile},
	}
}

// smsSecretFlags registers the flags whose values are secrets: their
// variables are read here, not as the flags' defaults (a default is
// printed by -help), and a secret on the command line is refused.
func smsSecretFlags(fs *flag.FlagSet, getenv func(string) string, raw *smsRaw) {
	raw.fs = fs
	fs.StringVar(&raw.gatewayToken, "sms-gateway-token", "", "bearer token for the SMS gateway (env "+EnvName("sms-gateway-token")+")")
	fs.StringVar(&raw.secretFlag, "sms-access-key-secret", "", "refused: give the secret in "+EnvName("sms-access-key-secret")+" or --sms-access-key-secret-file")
	fs.StringVar(&raw.callbackFlag, "sms-callback-token", "", "refused: give the token in "+EnvName("sms-callback-token")+" or --sms-callback-token-file")
	raw.secretEnv = getenv(EnvName("sms-access-key-secret"))
	raw.callbackEnv = getenv(EnvName("sms-callback-token"))
	raw.gatewayTokenEnv = getenv(EnvName("sms-gateway-token"))
}

// given says whether flag name was set on the command line.
func (raw *smsRaw) given(name string) bool {
	set := false
	raw.fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

var (
	appIDPattern  = regexp.MustCompile(`^14[0-9]{8}$`)
	regionPattern = regexp.MustCompile(`^[a-z]{2}-[a-z0-9-]{2,30}$`)
	tokenPattern  = regexp.MustCompile(`^[A-Za-z0-9_-]{16,128}$`)
)

// checkSMS validates the SMS settings into cfg; bad reports a setting.
func checkSMS(cfg *Config, raw *smsRaw, bad func(name, format string, args ...any)) {
	provider := strings.ToLower(strings.TrimSpace(raw.provider))
	gw := strings.TrimSpace(raw.url)
	switch provider {
	case "":
		if gw != "" {
			provider = "http" // as before the providers came: a gateway URL is enough
		}
	case "http", "aliyun", "tencent":
	default:
		bad("sms-provider", "%q is none of http, aliyun, tencent", raw.provider)
	}
	cfg.SMSProvider = provider
	checkGateway(cfg, raw, provider, gw, bad)
	if n, err := strconv.Atoi(raw.maxPer); err != nil || n < 0 {
		bad("sms-max-per-guardian", "%q is not a number of at least 0", raw.maxPer)
	} else {
		cfg.SMSMaxPerGuardian = n
	}
	if n, err := strconv.ParseInt(raw.price, 10, 64); err != nil || n < 0 || n > 10000 {
		bad("sms-price-fen", "%q is not a price in fen from 0 to 10000", raw.price)
	} else {
		cfg.SMSPriceFen = n
	}
	if q, err := sms.ParseQuiet(raw.quiet); err != nil {
		bad("sms-quiet-hours", "%v", err)
	} else {
		cfg.SMSQuietHours = q
	}
	if raw.given("sms-access-key-secret") {
		bad("sms-access-key-secret", "a secret on the command line is visible to every user of this machine; set the variable or --sms-access-key-secret-file")
	}
	if raw.given("sms-callback-token") {
		bad("sms-callback-token", "a token on the command line is visible to every user of this machine; set the variable or --sms-callback-token-file")
	}
	secret := readSecret("sms-access-key-secret", raw.secretEnv, raw.secretFile, bad)
	token := readSecret("sms-callback-token", raw.callbackEnv, raw.callbackFile, bad)
	cloud := provider == "aliyun" || provider == "tencent"
	if !cloud {
		for name, v := range map[string]string{"sms-endpoint": raw.endpoint, "sms-access-key-id": raw.keyID,
			"sms-access-key-secret": string(secret), "sms-sign-name": raw.sign, "sms-app-id": raw.appID, "sms-region": raw.region,
			"sms-template-reminder": raw.tplReminder, "sms-template-alert": raw.tplAlert, "sms-callback-token": string(token)} {
			if strings.TrimSpace(v) != "" {
				bad(name, "is only for --sms-provider aliyun or tencent (the provider is %q)", provider)
			}
		}
		return
	}
	checkCloud(cfg, raw, secret, token, bad)
}

// checkGateway validates the JSON gateway's settings.
func checkGateway(cfg *Config, raw *smsRaw, provider, gw string, bad func(name, format string, args ...any)) {
	cfg.SMSGatewayURL = gw
	cfg.SMSGatewayToken = sms.Secret(raw.gatewayTokenEnv)
	if raw.given("sms-gateway-token") {
		cfg.SMSGatewayToken = sms.Secret(raw.gatewayToken)
	}
	switch {
	case provider == "http" && gw == "":
		bad("sms-gateway-url", "--sms-provider http needs the gateway's URL")
	case provider != "http" && provider != "" && gw != "":
		bad("sms-gateway-url", "is only for --sms-provider http (the provider is %q)", provider)
	case gw != "" && !httpURL(gw):
		bad("sms-gateway-url", "%q is not an http(s) URL", gw)
	}
}

// checkCloud validates the settings of Aliyun and Tencent.
func checkCloud(cfg *Config, raw *smsRaw, secret, token sms.Secret, bad func(name, format string, args ...any)) {
	cfg.SMSAccessKeyID, cfg.SMSAccessKeySecret = strings.TrimSpace(raw.keyID), secret
	cfg.SMSSignName, cfg.SMSAppID = strings.TrimSpace(raw.sign), strings.TrimSpace(raw.appID)
	cfg.SMSRegion, cfg.SMSEndpoint = strings.TrimSpace(raw.region), strings.TrimSpace(raw.endpoint)
	cfg.SMSTemplateReminder, cfg.SMSTemplateAlert = strings.TrimSpace(raw.tplReminder), strings.TrimSpace(raw.tplAlert)
	cfg.SMSCallbackToken = token
	if cfg.SMSAccessKeyID == "" {
		bad("sms-access-key-id", "--sms-provider %s needs the account's key ID", cfg.SMSProvider)
	}
	if secret == "" {
		bad("sms-access-key-secret", "--sms-provider %s needs the key's secret, in the variable or in --sms-access-key-secret-file", cfg.SMSProvider)
	}
	switch {
	case cfg.SMSSignName == "":
		bad("sms-sign-name", "--sms-provider %s needs the approved signature (签名)", cfg.SMSProvider)
	case strings.ContainsAny(cfg.SMSSignName, "【】[]"):
		bad("sms-sign-name", "%q: give the signature without its brackets, such as 城东实验学校", cfg.SMSSignName)
	}
	if cfg.SMSTemplateReminder == "" {
		bad("sms-template-reminder", "--sms-provider %s needs the code of the approved reminder template", cfg.SMSProvider)
	}
	if cfg.SMSEndpoint != "" {
		if _, err := sms.ParseEndpoint(cfg.SMSEndpoint); err != nil {
			bad("sms-endpoint", "%v", strings.TrimPrefix(err.Error(), "sms: "))
		}
	}
	if cfg.SMSRegion != "" && !regionPattern.MatchString(cfg.SMSRegion) {
		bad("sms-region", "%q is not a region such as cn-hangzhou or ap-guangzhou", cfg.SMSRegion)
	}
	switch {
	case cfg.SMSProvider == "tencent" && !appIDPattern.MatchString(cfg.SMSAppID):
		bad("sms-app-id", "--sms-provider tencent needs the SMS application's SdkAppId, 10 digits starting 14 (got %q)", cfg.SMSAppID)
	case cfg.SMSProvider == "aliyun" && cfg.SMSAppID != "":
		bad("sms-app-id", "is only for --sms-provider tencent")
	}
	if token != "" && !tokenPattern.MatchString(string(token)) {
		bad("sms-callback-token", "must be 16 to 128 letters, digits, - or _ (a long random value)")
	}
}

// readSecret reads a secret from its variable or from the file of its
// -file setting (not both). Its value is never part of a message.
func readSecret(name, env, file string, bad func(name, format string, args ...any)) sms.Secret {
	file = strings.TrimSpace(file)
	switch {
	case env != "" && file != "":
		bad(name+"-file", "both %s and a file are given; keep one", EnvName(name))
		return ""
	case file == "":
		return sms.Secret(strings.TrimSpace(env))
	}
	f, err := os.Open(file)
	if err != nil {
		bad(name+"-file", "cannot read %q: %v", file, err)
		return ""
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 4097))
	switch {
	case err != nil:
		bad(name+"-file", "cannot read %q: %v", file, err)
		return ""
	case len(b) > 4096:
		bad(name+"-file", "%q is over 4 KB: not a secret", file)
		return ""
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		bad(name+"-file", "%q is empty", file)
	}
	return sms.Secret(v)
}

// httpURL says whether raw is an http(s) URL with a host.
func httpURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// SMSSends says whether texts can be sent (a provider is configured);
// without one, reminders are exported for the school messaging platform.
func (c Config) SMSSends() bool { return c.SMSProvider != "" }

// SMSReports says whether the provider reports delivery (Aliyun and
// Tencent; the JSON gateway does not).
func (c Config) SMSReports() bool { return c.SMSProvider == "aliyun" || c.SMSProvider == "tencent" }
