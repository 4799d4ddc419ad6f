package smstest

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"jiashu/sms"
)

// Tencent is a fake 腾讯云短信 application behind a local HTTP server.
type Tencent struct {
	fake
	*httptest.Server
	SecretID, SecretKey, AppID, Sign string
	Templates                        map[string]Template // by TemplateId
	queue                            []map[string]any    // reports not yet pulled
}

// NewTencent starts the fake; Close it when done.
func NewTencent(secretID, secretKey, appID, sign string, templates map[string]Template) *Tencent {
	f := &Tencent{SecretID: secretID, SecretKey: secretKey, AppID: appID, Sign: sign, Templates: templates}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

func tcError(code, msg string) map[string]any {
	return map[string]any{"Response": map[string]any{"Error": map[string]any{"Code": code, "Message": msg},
		"RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279"}}
}

func (f *Tencent) serve(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if code, msg := f.checkSignature(r, body); code != "" {
		f.problem("%s: %s", code, msg)
		writeJSON(w, http.StatusOK, tcError(code, msg))
		return
	}
	if x, ok := f.nextFailure(); ok {
		if x.status != http.StatusOK { // a proxy's page, not the API's JSON
			http.Error(w, http.StatusText(x.status), x.status)
			return
		}
		writeJSON(w, x.status, tcError(x.code, "scripted failure"))
		return
	}
	var answer map[string]any
	switch r.Header.Get("X-TC-Action") {
	case "SendSms":
		answer = f.sendSms(body)
	case "PullSmsSendStatus":
		answer = f.pull(body)
	default:
		answer = tcError("InvalidAction", "接口不存在")
	}
	if e, ok := answer["Response"].(map[string]any)["Error"].(map[string]any); ok {
		f.problem("%s: %s", e["Code"], e["Message"])
	}
	writeJSON(w, http.StatusOK, answer)
}

// checkSignature recomputes TC3-HMAC-SHA256 with the test key, as the API
// documents it (签名方法 v3).
func (f *Tencent) checkSignature(r *http.Request, body []byte) (string, string) {
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		return "InvalidAction", r.Method + " " + r.URL.Path
	}
	if v := r.Header.Get("X-TC-Version"); v != "2021-01-11" {
		return "NoSuchVersion", "version " + v
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		return "InvalidParameter", "Content-Type " + r.Header.Get("Content-Type")
	}
	auth := r.Header.Get("Authorization")
	alg, rest, _ := strings.Cut(auth, " ")
	if alg != "TC3-HMAC-SHA256" {
		return "AuthFailure.InvalidAuthorization", "algorithm " + alg
	}
	fields := map[string]string{}
	for _, kv := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		fields[k] = v
	}
	cred := strings.Split(fields["Credential"], "/")
	if len(cred) != 4 || cred[2] != "sms" || cred[3] != "tc3_request" {
		return "AuthFailure.InvalidAuthorization", "credential " + fields["Credential"]
	}
	if cred[0] != f.SecretID {
		return "AuthFailure.SecretIdNotFound", "密钥不存在"
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil || time.Since(time.Unix(ts, 0)).Abs() > 5*time.Minute {
		return "AuthFailure.SignatureExpire", "签名过期"
	}
	date := time.Unix(ts, 0).UTC().Format("2006-01-02")
	if cred[1] != date {
		return "AuthFailure.SignatureFailure", "credential date " + cred[1]
	}
	signed := strings.Split(fields["SignedHeaders"], ";")
	if !contains(signed, "content-type") || !contains(signed, "host") {
		return "AuthFailure.SignatureFailure", "content-type and host must be signed"
	}
	var canon strings.Builder
	canon.WriteString("POST\n/\n\n")
	for _, h := range signed {
		v := r.Header.Get(h)
		if h == "host" {
			v = r.Host
		}
		canon.WriteString(h + ":" + strings.ToLower(strings.TrimSpace(v)) + "\n")
	}
	canon.WriteString("\n" + fields["SignedHeaders"] + "\n" + sha256hex(body))
	scope := date + "/sms/tc3_request"
	toSign := "TC3-HMAC-SHA256\n" + r.Header.Get("X-TC-Timestamp") + "\n" + scope + "\n" + sha256hex([]byte(canon.String()))
	k := hmacSHA256([]byte("TC3"+f.SecretKey), date)
	k = hmacSHA256(k, "sms")
	k = hmacSHA256(k, "tc3_request")
	if fields["Signature"] != hex.EncodeToString(hmacSHA256(k, toSign)) {
		return "AuthFailure.SignatureFailure", "The provided credentials could not be validated."
	}
	return "", ""
}

type tcSend struct {
	PhoneNumberSet   []string
	SmsSdkAppId      string
	TemplateId       string
	SignName         string
	TemplateParamSet []string
	SessionContext   string
}

// sendSms is SendSms 2021-01-11.
func (f *Tencent) sendSms(body []byte) map[string]any {
	var in tcSend
	if err := json.Unmarshal(body, &in); err != nil {
		return tcError("FailedOperation.JsonParseFail", err.Error())
	}
	if in.SmsSdkAppId != f.AppID {
		return tcError("InvalidParameterValue.SdkAppIdNotExist", "SdkAppId 不存在")
	}
	if in.SignName != f.Sign {
		return tcError("FailedOperation.SignatureIncorrectOrUnapproved", "签名未审批或格式错误")
	}
	tpl, ok := f.Templates[in.TemplateId]
	if !ok {
		return tcError("FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批或内容不匹配")
	}
	if len(in.PhoneNumberSet) == 0 || len(in.PhoneNumberSet) > 200 {
		return tcError("LimitExceeded.PhoneNumberCountLimit", "调用接口单次提交的手机号个数超过200个")
	}
	nvars := len(tcVar.FindAllString(tpl.Text, -1))
	if len(in.TemplateParamSet) != nvars {
		return tcError("FailedOperation.TemplateParamSetNotMatchApprovedTemplate", "请求内容与审核通过的模板内容不匹配")
	}
	for _, v := range in.TemplateParamSet {
		switch {
		case utf8.RuneCountInString(v) > 12:
			return tcError("InvalidParameterValue.TemplateParameterLengthLimit", "单个模板变量字符数超过12个")
		case urlish.MatchString(v):
			return tcError("InvalidParameterValue.ProhibitedUseUrlInTemplateParameter", "禁止在模板变量中使用 URL")
		}
	}
	content := "【" + in.SignName + "】" + tcVar.ReplaceAllStringFunc(tpl.Text, func(v string) string {
		n, _ := strconv.Atoi(tcVar.FindStringSubmatch(v)[1])
		return in.TemplateParamSet[n-1]
	})
	params := map[string]string{}
	for i, v := range in.TemplateParamSet {
		params[strconv.Itoa(i+1)] = v
	}
	var set []map[string]any
	for _, e164 := range in.PhoneNumberSet {
		set = append(set, f.sendOne(e164, in, content, params))
	}
	return map[string]any{"Response": map[string]any{"SendStatusSet": set, "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279"}}
}

// sendOne answers one number of a SendSms.
func (f *Tencent) sendOne(e164 string, in tcSend, content string, params map[string]string) map[string]any {
	st := map[string]any{"PhoneNumber": e164, "SerialNo": "", "Fee": 0, "SessionContext": in.SessionContext, "IsoCode": "CN"}
	phone := strings.TrimPrefix(e164, "+86")
	if !strings.HasPrefix(e164, "+86") || !mainland.MatchString(phone) {
		st["Code"], st["Message"] = "InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误"
		return st
	}
	o := f.outcome(phone)
	if o.SendCode != "" {
		st["Code"], st["Message"] = o.SendCode, "scripted"
		return st
	}
	serial := fmt.Sprintf("2028:%d", 1045710669157053657+f.seq.Add(1))
	st["SerialNo"], st["Fee"], st["Code"], st["Message"] = serial, sms.Segments(content), "Ok", "send success"
	f.record(Message{Action: "SendSms", ID: serial, Phone: phone, Sign: in.SignName, Template: in.TemplateId,
		Params: params, Key: in.SessionContext, Content: content})
	if !o.Pending {
		status, desc := "SUCCESS", "DELIVRD"
		if o.Receipt != "" {
			status, desc = "FAIL", o.Receipt
		}
		f.mu.Lock()
		f.queue = append(f.queue, map[string]any{"UserReceiveTime": time.Now().Unix(), "CountryCode": "86",
			"SubscriberNumber": phone, "PhoneNumber": e164, "SerialNo": serial, "ReportStatus": status,
			"Description": desc, "SessionContext": in.SessionContext})
		f.mu.Unlock()
	}
	return st
}

// pull is PullSmsSendStatus: each report once, at most Limit (≤ 100).
func (f *Tencent) pull(body []byte) map[string]any {
	var in struct {
		Limit       int
		SmsSdkAppId string
	}
	if err := json.Unmarshal(body, &in); err != nil || in.Limit < 1 || in.Limit > 100 {
		return tcError("InvalidParameterValue", "Limit 1-100")
	}
	if in.SmsSdkAppId != f.AppID {
		return tcError("InvalidParameterValue.SdkAppIdNotExist", "SdkAppId 不存在")
	}
	f.mu.Lock()
	n := min(in.Limit, len(f.queue))
	set := append([]map[string]any{}, f.queue[:n]...)
	f.queue = f.queue[n:]
	f.mu.Unlock()
	return map[string]any{"Response": map[string]any{"PullSmsSendStatusSet": set, "RequestId": "b6c4ad8c-1c0b-4d32-9d36-3ef2a8bd8a07"}}
}

// CallbackBody is the status callback Tencent would push for the texts
// taken whose outcome is final.
func (f *Tencent) CallbackBody() []byte {
	var out []map[string]any
	now := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05")
	for _, m := range f.Messages() {
		o := f.outcome(m.Phone)
		if o.Pending {
			continue
		}
		status, code, desc := "SUCCESS", "DELIVRD", "用户短信送达成功"
		if o.Receipt != "" {
			status, code, desc = "FAIL", o.Receipt, "用户短信接收失败"
		}
		out = append(out, map[string]any{"user_receive_time": now, "nationcode": "86", "mobile": m.Phone,
			"report_status": status, "errmsg": code, "description": desc, "sid": m.ID})
	}
	b, _ := json.Marshal(out)
	return b
}
