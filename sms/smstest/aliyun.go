package smstest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Aliyun is a fake 阿里云短信 account behind a local HTTP server.
type Aliyun struct {
	fake
	*httptest.Server
	KeyID, Secret, Sign string
	Templates           map[string]Template // by TemplateCode
	nonces              map[string]bool
	china               *time.Location
}

// NewAliyun starts the fake; Close it when done. Point the provider's
// endpoint at URL.
func NewAliyun(keyID, secret, sign string, templates map[string]Template) *Aliyun {
	a := &Aliyun{KeyID: keyID, Secret: secret, Sign: sign, Templates: templates, nonces: map[string]bool{},
		china: time.FixedZone("CST", 8*3600)}
	a.Server = httptest.NewServer(http.HandlerFunc(a.serve))
	return a
}

// aliError is Aliyun's error body.
func aliError(code, msg string) map[string]any {
	return map[string]any{"Code": code, "Message": msg, "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990"}
}

func (a *Aliyun) serve(w http.ResponseWriter, r *http.Request) {
	a.requests.Add(1)
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if status, code, msg := a.checkSignature(r, body); code != "" {
		a.problem("%s: %s", code, msg)
		writeJSON(w, status, aliError(code, msg))
		return
	}
	if f, ok := a.nextFailure(); ok {
		writeJSON(w, f.status, aliError(f.code, "scripted failure"))
		return
	}
	form, _ := url.ParseQuery(string(body))
	params := r.URL.Query()
	for k, v := range form {
		params[k] = v
	}
	var answer map[string]any
	switch r.Header.Get("x-acs-action") {
	case "SendSms":
		answer = a.sendSms(params)
	case "SendBatchSms":
		answer = a.sendBatchSms(params)
	case "QuerySendDetails":
		answer = a.querySendDetails(params)
	default:
		a.problem("unknown action %q", r.Header.Get("x-acs-action"))
		writeJSON(w, http.StatusNotFound, aliError("InvalidAction.NotFound", "Specified api is not found, please check your url and method."))
		return
	}
	if answer["Code"] != "OK" {
		a.problem("%s: %v", answer["Code"], answer["Message"])
	}
	writeJSON(w, http.StatusOK, answer)
}

// checkSignature recomputes the ACS3-HMAC-SHA256 signature of the request
// with the test secret, as Aliyun's V3 signing documents it.
func (a *Aliyun) checkSignature(r *http.Request, body []byte) (int, string, string) {
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		return 404, "InvalidAction.NotFound", r.Method + " " + r.URL.Path
	}
	if v := r.Header.Get("x-acs-version"); v != "2017-05-25" {
		return 400, "InvalidVersion", "version " + v
	}
	auth := r.Header.Get("Authorization")
	alg, rest, _ := strings.Cut(auth, " ")
	if alg != "ACS3-HMAC-SHA256" {
		return 400, "IncompleteSignature", "algorithm " + alg
	}
	fields := map[string]string{}
	for _, kv := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		fields[k] = v
	}
	if fields["Credential"] != a.KeyID {
		return 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."
	}
	signed := strings.Split(fields["SignedHeaders"], ";")
	for _, need := range []string{"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"} {
		if !contains(signed, need) {
			return 400, "IncompleteSignature", "header " + need + " not signed"
		}
	}
	if got := r.Header.Get("x-acs-content-sha256"); got != sha256hex(body) {
		return 400, "IncompleteSignature", "x-acs-content-sha256 is not the body's hash"
	}
	date, err := time.Parse("2006-01-02T15:04:05Z", r.Header.Get("x-acs-date"))
	if err != nil || time.Since(date).Abs() > 15*time.Minute {
		return 400, "InvalidTimeStamp.Expired", "x-acs-date " + r.Header.Get("x-acs-date")
	}
	var canon strings.Builder
	canon.WriteString(r.Method + "\n/\n" + canonicalQuery(r.URL.Query()) + "\n")
	for _, h := range signed {
		v := r.Header.Get(h)
		if h == "host" {
			v = r.Host
		}
		canon.WriteString(h + ":" + strings.TrimSpace(v) + "\n")
	}
	// The canonical headers end with a newline, and a newline follows them.
	canon.WriteString("\n" + fields["SignedHeaders"] + "\n" + sha256hex(body))
	toSign := "ACS3-HMAC-SHA256\n" + sha256hex([]byte(canon.String()))
	want := fmt.Sprintf("%x", hmacSHA256([]byte(a.Secret), toSign))
	if fields["Signature"] != want {
		return 400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."
	}
	nonce := r.Header.Get("x-acs-signature-nonce")
	a.mu.Lock()
	used := a.nonces[nonce]
	a.nonces[nonce] = true
	a.mu.Unlock()
	if used {
		return 400, "SignatureNonceUsed", "Specified signature nonce was used already."
	}
	return 0, "", ""
}

// canonicalQuery sorts the parameters and percent-encodes them (RFC 3986).
func canonicalQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, pct(k)+"="+pct(q.Get(k)))
	}
	return strings.Join(parts, "&")
}

func pct(s string) string {
	e := url.QueryEscape(s)
	return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(e)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sendSms is SendSms: PhoneNumbers (comma-separated, ≤ 1000), SignName,
// TemplateCode, TemplateParam (JSON object of strings), OutId.
func (a *Aliyun) sendSms(p url.Values) map[string]any {
	phones := strings.Split(p.Get("PhoneNumbers"), ",")
	if len(phones) > 1000 {
		return aliError("isv.MOBILE_COUNT_OVER_LIMIT", "手机号码数量超过限制")
	}
	var params map[string]string
	if err := json.Unmarshal([]byte(p.Get("TemplateParam")), &params); err != nil {
		return aliError("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
	}
	list := make([]map[string]string, len(phones))
	signs := make([]string, len(phones))
	for i := range phones {
		list[i], signs[i] = params, p.Get("SignName")
	}
	return a.take("SendSms", p.Get("TemplateCode"), phones, signs, list, p.Get("OutId"))
}

// sendBatchSms is SendBatchSms: PhoneNumberJson, SignNameJson and
// TemplateParamJson (JSON arrays of equal length, ≤ 100), TemplateCode.
func (a *Aliyun) sendBatchSms(p url.Values) map[string]any {
	var phones, signs []string
	var params []map[string]string
	if json.Unmarshal([]byte(p.Get("PhoneNumberJson")), &phones) != nil ||
		json.Unmarshal([]byte(p.Get("SignNameJson")), &signs) != nil ||
		json.Unmarshal([]byte(p.Get("TemplateParamJson")), &params) != nil {
		return aliError("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
	}
	if len(phones) > 100 {
		return aliError("isv.MOBILE_COUNT_OVER_LIMIT", "手机号码数量超过限制")
	}
	if len(signs) != len(phones) || len(params) != len(phones) {
		return aliError("isv.INVALID_PARAMETERS", "参数异常")
	}
	return a.take("SendBatchSms", p.Get("TemplateCode"), phones, signs, params, p.Get("OutId"))
}

// take checks a send and records its texts.
func (a *Aliyun) take(action, code string, phones, signs []string, params []map[string]string, outID string) map[string]any {
	tpl, ok := a.Templates[code]
	if !ok {
		return aliError("isv.SMS_TEMPLATE_ILLEGAL", "模板不合法(不存在或被拉黑)")
	}
	for i, phone := range phones {
		if signs[i] != a.Sign {
			return aliError("isv.SMS_SIGNATURE_ILLEGAL", "签名不合法(不存在或被拉黑)")
		}
		if !mainland.MatchString(phone) {
			return aliError("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
		}
		if c := a.outcome(phone).SendCode; c != "" {
			return aliError(c, "scripted")
		}
		if e := a.checkParams(tpl, params[i]); e != nil {
			return e
		}
	}
	bizID := fmt.Sprintf("%d^0", 900619746936498+a.seq.Add(1))
	for i, phone := range phones {
		a.record(Message{Action: action, ID: bizID, Phone: phone, Sign: signs[i], Template: code, Params: params[i],
			Key: outID, Content: "【" + signs[i] + "】" + aliVar.ReplaceAllStringFunc(tpl.Text, func(v string) string {
				return params[i][aliVar.FindStringSubmatch(v)[1]]
			})})
	}
	return map[string]any{"Code": "OK", "Message": "OK", "BizId": bizID, "RequestId": "C0A0BE93-B44F-4350-BCC8-B677F78C3802"}
}

// checkParams applies Aliyun's variable rules.
func (a *Aliyun) checkParams(tpl Template, params map[string]string) map[string]any {
	for _, m := range aliVar.FindAllStringSubmatch(tpl.Text, -1) {
		v, ok := params[m[1]]
		switch {
		case !ok || v == "":
			return aliError("isv.TEMPLATE_MISSING_PARAMETERS", "模板缺少变量 "+m[1])
		case utf8.RuneCountInString(v) > 35:
			return aliError("isv.PARAM_LENGTH_LIMIT", "参数超出长度限制 "+m[1])
		case m[1] != tpl.LinkVar && urlish.MatchString(v):
			return aliError("isv.PARAM_NOT_SUPPORT_URL", "不支持URL "+m[1])
		}
	}
	return nil
}

// querySendDetails is QuerySendDetails: PhoneNumber, BizId, SendDate
// (yyyyMMdd), PageSize (1–50), CurrentPage.
func (a *Aliyun) querySendDetails(p url.Values) map[string]any {
	if p.Get("PhoneNumber") == "" || len(p.Get("SendDate")) != 8 {
		return aliError("isv.INVALID_PARAMETERS", "参数异常")
	}
	if n, err := strconv.Atoi(p.Get("PageSize")); err != nil || n < 1 || n > 50 {
		return aliError("isv.INVALID_PARAMETERS", "PageSize 1-50")
	}
	var dto []map[string]any
	today := time.Now().In(a.china).Format("20060102")
	for _, m := range a.Messages() {
		if m.Phone != p.Get("PhoneNumber") || (p.Get("BizId") != "" && m.ID != p.Get("BizId")) || p.Get("SendDate") != today {
			continue
		}
		o := a.outcome(m.Phone)
		status, code, received := 3, "DELIVERED", time.Now().In(a.china).Format("2006-01-02 15:04:05")
		switch {
		case o.Pending:
			status, code, received = 1, "", ""
		case o.Receipt != "":
			status, code = 2, o.Receipt
		}
		dto = append(dto, map[string]any{"PhoneNum": m.Phone, "SendStatus": status, "ErrCode": code, "TemplateCode": m.Template,
			"Content": m.Content, "SendDate": time.Now().In(a.china).Format("2006-01-02 15:04:05"), "ReceiveDate": received, "OutId": m.Key})
	}
	return map[string]any{"Code": "OK", "Message": "OK", "RequestId": "819BE656-D2E0-4858-8B21-B2E477085AAF",
		"TotalCount": len(dto), "SmsSendDetailDTOs": map[string]any{"SmsSendDetailDTO": dto}}
}

// CallbackBody is the SmsReport push Aliyun would make for the texts
// taken whose outcome is final.
func (a *Aliyun) CallbackBody() []byte {
	var out []map[string]any
	now := time.Now().In(a.china).Format("2006-01-02 15:04:05")
	for _, m := range a.Messages() {
		o := a.outcome(m.Phone)
		if o.Pending {
			continue
		}
		code, msg := "DELIVERED", "用户接收成功"
		if o.Receipt != "" {
			code, msg = o.Receipt, "失败"
		}
		out = append(out, map[string]any{"phone_number": m.Phone, "send_time": now, "report_time": now, "success": o.Receipt == "",
			"err_code": code, "err_msg": msg, "sms_size": "1", "biz_id": m.ID, "out_id": m.Key})
	}
	b, _ := json.Marshal(out)
	return b
}
