package sms

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Reason is why a text failed, in terms a teacher can act on. The providers
// map their many codes (API errors, carrier receipt codes, HTTP statuses)
// onto these few; the raw code goes with it to the log and the audit.
type Reason string

// The reasons. The value is a stable key (for the text catalogue and
// metrics); Text gives the Chinese.
const (
	ReasonNone         Reason = ""
	ReasonNumber       Reason = "number"       // not a valid mobile number
	ReasonUnreachable  Reason = "unreachable"  // 空号, 停机, 关机
	ReasonRefused      Reason = "refused"      // unsubscribed, blacklisted
	ReasonTooFrequent  Reason = "too_frequent" // per-number flow control
	ReasonBusy         Reason = "busy"         // the API's own rate limit
	ReasonUnapproved   Reason = "unapproved"   // signature or template not approved
	ReasonVariables    Reason = "variables"    // a variable breaks the provider's rules
	ReasonContent      Reason = "content"      // blocked content or keyword
	ReasonBalance      Reason = "balance"      // no money or package left
	ReasonQuota        Reason = "quota"        // the account's daily or monthly cap
	ReasonAccount      Reason = "account"      // not activated, stopped, no permission
	ReasonCredentials  Reason = "credentials"  // key or signature wrong
	ReasonProvider     Reason = "provider"     // provider's own failure
	ReasonNetwork      Reason = "network"      // could not reach the provider
	ReasonUnsure       Reason = "unsure"       // broke off after sending
	ReasonCarrier      Reason = "carrier"      // the carrier did not deliver, no detail
	ReasonNoReport     Reason = "no_report"    // no delivery report came in time
	ReasonStopped      Reason = "stopped"      // the send stopped before this text was tried
	ReasonGatewayInput Reason = "gateway_input"
)

var reasonText = map[Reason]string{
	ReasonNumber:       "号码格式不对或不是手机号，请核对家长手机号",
	ReasonUnreachable:  "号码空号或停机（或长时间关机），请核对号码或电话联系家长",
	ReasonRefused:      "对方拒收（已退订或在运营商黑名单中），请电话联系家长",
	ReasonTooFrequent:  "发送太频繁被限制（同一号码当天短信过多），请明天再试",
	ReasonBusy:         "短信平台限流，请稍后重试",
	ReasonUnapproved:   "签名或模板未审核通过或已失效，请教管中心在短信平台核对",
	ReasonVariables:    "短信变量不符合平台规则（过长或含网址），请教管中心核对模板",
	ReasonContent:      "短信内容被平台或运营商拦截，请教管中心核对模板内容",
	ReasonBalance:      "短信账户余额不足，请教管中心充值",
	ReasonQuota:        "已达到短信平台设置的每日或每月发送上限，请教管中心调整或明天再发",
	ReasonAccount:      "短信服务未开通、已停用或无权限，请教管中心检查短信账户",
	ReasonCredentials:  "短信平台密钥不对，请管理员检查短信设置",
	ReasonProvider:     "短信平台出错，请稍后重试",
	ReasonNetwork:      "连不上短信平台，请稍后重试",
	ReasonUnsure:       "发送时网络中断，不确定是否已发出；不会重复发送，等待回执",
	ReasonCarrier:      "运营商未能送达，请电话联系家长",
	ReasonNoReport:     "三天内没有收到运营商的回执，可能没有送达，请电话联系家长",
	ReasonGatewayInput: "短信网关不接受这条短信，请管理员检查网关",
	ReasonStopped:      "发送中断，这条没有发出，请在任务页重发失败的短信",
}

// OfOneText says whether a request refused for this reason may have been
// refused for one of its texts only (its number, its variables, its
// content), not for the account or the template.
func (r Reason) OfOneText() bool {
	switch r {
	case ReasonNumber, ReasonRefused, ReasonTooFrequent, ReasonVariables, ReasonContent:
		return true
	}
	return false
}

// Text is the reason in Chinese, "" for none.
func (r Reason) Text() string {
	if r == ReasonNone {
		return ""
	}
	if s, ok := reasonText[r]; ok {
		return s
	}
	return reasonText[ReasonCarrier]
}

// Error is a request that failed as a whole.
type Error struct {
	Provider string
	// Code is the provider's code or the HTTP status ("isv.AMOUNT_NOT_ENOUGH",
	// "HTTP 503", "network"), for the log and the audit.
	Code   string
	Reason Reason
	// Retry: the provider refused the request before taking it (throttled,
	// busy, unreachable), so it may be sent again after a pause.
	Retry bool
	// Unsure: the request broke off after it was sent; it must not be
	// sent again blindly.
	Unsure bool
	// Tries is how many requests the provider made itself (the JSON
	// gateway tries three times); 0 for one.
	Tries int
	// Err is the cause, with URLs (and so phone numbers) removed.
	Err error
}

// Error names the provider, the code and the reason; never a secret.
func (e *Error) Error() string {
	s := fmt.Sprintf("sms: %s: %s (%s)", e.Provider, e.Code, e.Reason.Text())
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// TransportError classifies an error from the HTTP client: a connection
// that was never made may be retried; anything else (timeout, reset) may
// have reached the provider, so it is Unsure. The URL, which can carry
// phone numbers in its query, is dropped.
func TransportError(provider string, err error) *Error {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return &Error{Provider: provider, Code: "network", Reason: ReasonNetwork, Retry: true, Err: stripURL(err)}
	}
	return &Error{Provider: provider, Code: "network", Reason: ReasonUnsure, Unsure: true, Err: stripURL(err)}
}

// stripURL removes the request URL from a *url.Error.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", strings.ToLower(ue.Op), ue.Err)
	}
	return err
}

// HTTPStatusReason maps an HTTP status of a gateway or API onto a reason,
// and says whether the request may be sent again.
func HTTPStatusReason(status int) (Reason, bool) {
	switch {
	case status == 401 || status == 403:
		return ReasonCredentials, false
	case status == 402:
		return ReasonBalance, false
	case status == 429:
		return ReasonBusy, true
	case status >= 500:
		return ReasonProvider, true
	case status >= 400:
		return ReasonGatewayInput, false
	}
	return ReasonNone, false
}
