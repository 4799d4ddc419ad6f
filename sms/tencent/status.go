package tencent

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"jiashu/sms"
)

// pulled is one PullSmsSendStatus report.
type pulled struct {
	UserReceiveTime  int64
	CountryCode      string
	SubscriberNumber string
	PhoneNumber      string
	SerialNo         string
	ReportStatus     string // SUCCESS or FAIL
	Description      string // the receipt code (DELIVRD, MK:0001 …)
	SessionContext   string
}

// PullLimit is the most reports one PullSmsSendStatus returns.
const PullLimit = 100

// maxPulls bounds one Status call.
const maxPulls = 50

// Status pulls the delivery reports not yet collected (each report comes
// once; the caller keeps all of them, whatever q asks).
func (p *Provider) Status(ctx context.Context, _ sms.StatusQuery) ([]sms.Report, error) {
	var out []sms.Report
	for range maxPulls {
		var a struct{ PullSmsSendStatusSet []pulled }
		if err := p.call(ctx, "PullSmsSendStatus", map[string]any{"Limit": PullLimit, "SmsSdkAppId": p.cfg.AppID}, &a); err != nil {
			return out, err
		}
		for _, r := range a.PullSmsSendStatusSet {
			out = append(out, report(r.SerialNo, r.PhoneNumber, r.SessionContext, r.ReportStatus, r.Description, time.Unix(r.UserReceiveTime, 0)))
		}
		if len(a.PullSmsSendStatusSet) < PullLimit {
			break
		}
	}
	return out, nil
}

// report makes a report; phone may carry +86.
func report(serial, phone, key, status, code string, at time.Time) sms.Report {
	r := sms.Report{MessageID: serial, Phone: strings.TrimPrefix(phone, "+86"), Key: key, Code: code, At: at}
	if status == "SUCCESS" {
		r.State = sms.Delivered
		return r
	}
	r.State = sms.Failed
	if r.Reason = sms.CarrierReason(code); r.Reason == sms.ReasonNone {
		r.Reason = sms.ReasonCarrier
	}
	return r
}

// callbackReport is one report of the status callback (短信下发状态通知).
type callbackReport struct {
	UserReceiveTime string `json:"user_receive_time"`
	NationCode      string `json:"nationcode"`
	Mobile          string `json:"mobile"`
	ReportStatus    string `json:"report_status"`
	ErrMsg          string `json:"errmsg"`
	Description     string `json:"description"`
	SID             string `json:"sid"`
}

// ParseCallback reads a status callback: a JSON array of reports.
func (p *Provider) ParseCallback(r io.Reader) ([]sms.Report, error) { return parseCallback(r) }

func parseCallback(r io.Reader) ([]sms.Report, error) {
	var in []callbackReport
	if err := sms.DecodeCallback(r, &in); err != nil {
		return nil, fmt.Errorf("tencent: callback: %w", err)
	}
	china := time.FixedZone("CST", 8*3600)
	out := make([]sms.Report, 0, len(in))
	for _, c := range in {
		if c.SID == "" || c.Mobile == "" || (c.ReportStatus != "SUCCESS" && c.ReportStatus != "FAIL") {
			return nil, fmt.Errorf("tencent: callback: a report without sid, mobile or report_status")
		}
		at, _ := time.ParseInLocation("2006-01-02 15:04:05", c.UserReceiveTime, china)
		out = append(out, report(c.SID, c.Mobile, "", c.ReportStatus, c.ErrMsg, at))
	}
	return out, nil
}

// CallbackReply is the answer the callback expects: result 0 when taken.
func (p *Provider) CallbackReply(ok bool) (string, []byte) {
	if ok {
		return "application/json", []byte(`{"result":0,"errmsg":"OK"}`)
	}
	return "application/json", []byte(`{"result":1,"errmsg":"not taken"}`)
}
