package aliyun

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"jiashu/sms"
)

// detail is one SmsSendDetailDTO of QuerySendDetails.
type detail struct {
	PhoneNum     string
	SendStatus   flexInt // 1 等待回执, 2 发送失败, 3 发送成功
	ErrCode      string
	OutId        string
	ReceiveDate  string
	SendDate     string
	TemplateCode string
	Content      string
}

type queryAnswer struct {
	Code              string
	Message           string
	TotalCount        flexInt
	SmsSendDetailDTOs struct {
		SmsSendDetailDTO []detail
	}
}

// flexInt reads a JSON number or a string of digits (the API has given
// both for TotalCount).
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	n, err := strconv.Atoi(string(b))
	*f = flexInt(n)
	return err
}

// Status asks QuerySendDetails, for each text, about its number and BizId
// on the day it was sent (China time); a text without BizId (its request
// broke off) by its number and day, recognised by its key (OutId). A query that fails leaves its text
// awaiting; the error says how many failed.
func (p *Provider) Status(ctx context.Context, q sms.StatusQuery) ([]sms.Report, error) {
	var out []sms.Report
	var errs []error
	for _, s := range q.Sent {
		query := map[string]string{"PhoneNumber": s.Phone, "SendDate": s.At.In(p.china).Format("20060102"),
			"PageSize": "50", "CurrentPage": "1"}
		switch {
		case s.MessageID != "":
			query["BizId"] = s.MessageID
		case s.Key == "":
			continue // nothing to tell its detail from the number's others
		}
		body, err := p.call(ctx, "QuerySendDetails", query, nil)
		if err != nil {
			errs = append(errs, err)
			if ctx.Err() != nil {
				break
			}
			continue
		}
		var a queryAnswer
		raw, _ := json.Marshal(body)
		if err := json.Unmarshal(raw, &a); err != nil {
			errs = append(errs, fmt.Errorf("aliyun: QuerySendDetails: %w", err))
			continue
		}
		if a.Code != "OK" {
			errs = append(errs, codeErr(a.Code, nil))
			continue
		}
		for _, d := range a.SmsSendDetailDTOs.SmsSendDetailDTO {
			// A text whose request broke off (no BizId) is told apart by
			// its key, which SendSms passed as OutId.
			if d.PhoneNum != s.Phone || (s.MessageID == "" && d.OutId != s.Key) {
				continue
			}
			out = append(out, p.report(s.MessageID, d))
		}
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("aliyun: %d of %d status queries failed: %w", len(errs), len(q.Sent), errors.Join(errs...))
	}
	return out, nil
}

// report reads one detail.
func (p *Provider) report(bizID string, d detail) sms.Report {
	r := sms.Report{MessageID: bizID, Phone: d.PhoneNum, Key: d.OutId, Code: d.ErrCode}
	switch d.SendStatus {
	case 3:
		r.State = sms.Delivered
	case 2:
		r.State, r.Reason = sms.Failed, failReason(d.ErrCode)
	default:
		r.State = sms.Awaiting
		return r
	}
	r.At, _ = time.ParseInLocation("2006-01-02 15:04:05", d.ReceiveDate, p.china)
	return r
}

// failReason is the reason of a failed delivery: a carrier's receipt
// code, or one of Aliyun's own codes.
func failReason(code string) sms.Reason {
	if r, ok := apiCodes[code]; ok {
		return r.r
	}
	if r := sms.CarrierReason(code); r != sms.ReasonNone {
		return r
	}
	return sms.ReasonCarrier
}

// callbackReport is one report of Aliyun's HTTP push (SmsReport).
type callbackReport struct {
	PhoneNumber string `json:"phone_number"`
	SendTime    string `json:"send_time"`
	ReportTime  string `json:"report_time"`
	Success     bool   `json:"success"`
	ErrCode     string `json:"err_code"`
	ErrMsg      string `json:"err_msg"`
	SmsSize     string `json:"sms_size"`
	BizID       string `json:"biz_id"`
	OutID       string `json:"out_id"`
}

// ParseCallback reads an SmsReport push: a JSON array of reports.
func (p *Provider) ParseCallback(r io.Reader) ([]sms.Report, error) {
	return parseCallback(r, p.china)
}

func parseCallback(r io.Reader, china *time.Location) ([]sms.Report, error) {
	var in []callbackReport
	if err := sms.DecodeCallback(r, &in); err != nil {
		return nil, fmt.Errorf("aliyun: callback: %w", err)
	}
	out := make([]sms.Report, 0, len(in))
	for _, c := range in {
		if c.BizID == "" || c.PhoneNumber == "" {
			return nil, errors.New("aliyun: callback: a report without biz_id or phone_number")
		}
		rep := sms.Report{MessageID: c.BizID, Phone: c.PhoneNumber, Key: c.OutID, Code: c.ErrCode, State: sms.Delivered}
		if !c.Success {
			rep.State, rep.Reason = sms.Failed, failReason(c.ErrCode)
		}
		rep.At, _ = time.ParseInLocation("2006-01-02 15:04:05", c.ReportTime, china)
		out = append(out, rep)
	}
	return out, nil
}

// CallbackReply is the answer SmsReport expects: code 0 when taken (any
// other code makes Aliyun push again later).
func (p *Provider) CallbackReply(ok bool) (string, []byte) {
	if ok {
		return "application/json", []byte(`{"code":0,"msg":"接收成功"}`)
	}
	return "application/json", []byte(`{"code":1,"msg":"接收失败"}`)
}
