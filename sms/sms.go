// Package sms sends templated text messages to families through the
// providers Chinese schools use (阿里云短信, 腾讯云短信, or a plain JSON
// gateway) and reads back whether each text was delivered.
//
// A provider sends only texts made from a template it has approved, under a
// signature it has approved (【城东实验学校】), with the template's variables
// filled in per family; it answers each number with a message ID or an
// error code, and later reports whether the text reached the phone. This
// package holds what is common to them: the Provider interface, templates
// with the providers' variable rules, segments and cost, error codes turned
// into Chinese reasons a teacher can act on, and the bulk sender (batches,
// rate limits, backoff, idempotency). The providers live in sms/aliyun,
// sms/tencent and sms/gateway; local fakes of their HTTP APIs in sms/smstest.
//
// Nothing here knows about the database or the web: the caller persists
// texts through the Journal it hands to the Sender.
package sms

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Provider sends batches of templated texts.
type Provider interface {
	// Name is the setting's value: "aliyun", "tencent" or "http".
	Name() string
	// Limits says how texts may be grouped into one request and how fast
	// requests may go.
	Limits() Limits
	// Send hands one batch (at most Limits().PerRequest texts, grouped as
	// Limits says) to the provider. It returns one Result per text, in
	// order, when the provider answered the request; or an *Error when the
	// whole request failed (and then no Result).
	Send(ctx context.Context, b Batch) ([]Result, error)
}

// StatusQuerier is a provider that reports delivery on request.
type StatusQuerier interface {
	// Status returns the delivery reports the provider has for the texts
	// (by message ID, number and time sent), or, for a provider that hands
	// out each report once (Tencent), every report not yet collected: the
	// caller keeps every report returned, also those of other texts.
	Status(ctx context.Context, q StatusQuery) ([]Report, error)
}

// CallbackReceiver is a provider that can push delivery reports to a URL of
// the app's.
type CallbackReceiver interface {
	// ParseCallback reads the provider's push body (bounded by the caller)
	// into reports.
	ParseCallback(r io.Reader) ([]Report, error)
	// CallbackReply is the body the provider expects in answer, telling it
	// whether the reports were taken (a refusal makes it push them again).
	CallbackReply(ok bool) (contentType string, body []byte)
}

// Limits are a provider's rules for grouping texts into requests.
type Limits struct {
	// PerRequest is the most texts (numbers) one request may carry.
	PerRequest int
	// SameParams: every number of one request receives the same variables
	// (Tencent's SendSms), so only texts with equal Params share a request.
	SameParams bool
	// Interval is the least time between two requests: a pace well under
	// the provider's documented limit for one account.
	Interval time.Duration
}

// Text is one templated message to one family.
type Text struct {
	// Key identifies the text for ever (say "reminder/12/345/2"): a text
	// whose key was handed to the provider once is never sent again.
	Key string
	// Phone is the mainland mobile number, 11 digits.
	Phone string
	// Params are the template's variables by name (Aliyun "school",
	// Tencent "1") as the provider receives them.
	Params map[string]string
	// Body is the exact text the family receives, 【signature】 included;
	// the JSON gateway sends it as it is.
	Body string
}

// Segments is how many segments the text is billed as.
func (t Text) Segments() int { return Segments(t.Body) }

// Batch is texts of one template going out in one request.
type Batch struct {
	Template *Template
	Texts    []Text
}

// State is where a text stands.
type State int

// The states of a text. Awaiting, Delivered and Failed come from providers
// with delivery reports; Sent from the JSON gateway, which has none.
const (
	// Awaiting: the provider took the text; its delivery report has not come.
	Awaiting State = iota + 1
	// Delivered: the phone received it.
	Delivered
	// Failed: it was refused or could not be delivered (see Reason).
	Failed
	// Sent: a gateway without delivery reports took it; final.
	Sent
	// Unsure: the request broke off after it was sent; the provider may
	// have the text. It is not sent again; a delivery report may still
	// settle it (matched by Key).
	Unsure
)

// String is the state's name for logs and metrics.
func (s State) String() string {
	switch s {
	case Awaiting:
		return "awaiting"
	case Delivered:
		return "delivered"
	case Failed:
		return "failed"
	case Sent:
		return "sent"
	case Unsure:
		return "unsure"
	}
	return "unknown"
}

// Result is the provider's answer for one text of a batch.
type Result struct {
	Key, Phone string
	// MessageID is the provider's ID of the text (Aliyun's BizId, shared by
	// a batch; Tencent's SerialNo), "" when it has none.
	MessageID string
	State     State
	// Code is the provider's raw code, for the log and the audit ("" or
	// "OK" when accepted).
	Code string
	// Reason says in Chinese terms why a text failed.
	Reason Reason
	// Segments billed, when the provider says (Tencent's Fee), else
	// counted from the body.
	Segments int
	// Tries is how many requests it took.
	Tries int
}

// StatusQuery asks for delivery reports.
type StatusQuery struct {
	Sent []SentText
}

// SentText is a text whose report is awaited.
type SentText struct {
	Key, Phone, MessageID string
	At                    time.Time
}

// Report is a delivery report.
type Report struct {
	MessageID, Phone string
	// Key is the text's key when the provider echoes it (Aliyun's OutId,
	// Tencent's SessionContext), "" otherwise.
	Key    string
	State  State // Awaiting, Delivered or Failed
	Code   string
	Reason Reason
	At     time.Time // when the phone received it or the carrier gave up; zero when awaiting
}

// MaxCallback is the largest push body read (a push carries a few
// hundred reports at most).
const MaxCallback = 1 << 20

// DecodeCallback reads a push body of at most MaxCallback bytes as JSON.
func DecodeCallback(r io.Reader, v any) error {
	body, err := io.ReadAll(io.LimitReader(r, MaxCallback+1))
	if err != nil {
		return err
	}
	if len(body) > MaxCallback {
		return fmt.Errorf("body over %d bytes", MaxCallback)
	}
	return json.Unmarshal(body, v)
}
