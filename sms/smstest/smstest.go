// Package smstest runs local fakes of the SMS providers' HTTP APIs for
// tests: 阿里云短信 (dysmsapi 2017-05-25) and 腾讯云短信 (sms 2021-01-11).
// Each fake checks what the official client sends as the real API would —
// the signature computed again with the test secret, the action and
// version, the signature name, the template and its variables, the numbers
// — and answers with the providers' documented bodies: message IDs, each
// error code, and delivery reports (by query, pull or push body). What a
// fake refuses is kept in Problems, so a test can say why.
package smstest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"sync/atomic"
)

// Outcome is what becomes of a text sent to a number.
type Outcome struct {
	// SendCode refuses the request with this provider code (Aliyun: the
	// whole request; Tencent: this number's SendStatus).
	SendCode string
	// Receipt is the delivery report's code: "" for a delivered text,
	// a carrier code (MK:0001, UNDELIV …) for a failed one.
	Receipt string
	// Pending keeps the text awaiting its report.
	Pending bool
}

// Message is a text the fake took.
type Message struct {
	Action   string
	ID       string // BizId or SerialNo
	Phone    string // 11 digits
	Sign     string
	Template string
	Params   map[string]string // by variable name ("school", "1")
	Key      string            // OutId or SessionContext
	Content  string            // 【sign】 and the filled text
}

// Template is an approved template of a fake account.
type Template struct {
	Text string
	// LinkVar is the Aliyun variable that may hold a link's tail.
	LinkVar string
}

// fake is what both fakes share.
type fake struct {
	mu       sync.Mutex
	problems []string
	messages []Message
	outcomes map[string]Outcome
	failNext []failure
	requests atomic.Int64
	seq      atomic.Int64
}

type failure struct {
	status int
	code   string
}

func (f *fake) problem(format string, a ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.problems = append(f.problems, fmt.Sprintf(format, a...))
}

// Problems are the fake's reasons for refusing requests, oldest first.
func (f *fake) Problems() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.problems...)
}

// Messages are the texts taken, in order.
func (f *fake) Messages() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Message(nil), f.messages...)
}

// Requests is how many API requests arrived.
func (f *fake) Requests() int { return int(f.requests.Load()) }

// SetOutcome scripts what happens to texts for phone (11 digits).
func (f *fake) SetOutcome(phone string, o Outcome) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.outcomes == nil {
		f.outcomes = map[string]Outcome{}
	}
	f.outcomes[phone] = o
}

func (f *fake) outcome(phone string) Outcome {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.outcomes[phone]
}

// FailNext makes the next n requests fail with the provider's error code
// (Throttling.User, RequestLimitExceeded, isp.SYSTEM_ERROR …) and status.
func (f *fake) FailNext(n, status int, code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.failNext = append(f.failNext, failure{status, code})
	}
}

func (f *fake) nextFailure() (failure, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.failNext) == 0 {
		return failure{}, false
	}
	x := f.failNext[0]
	f.failNext = f.failNext[1:]
	return x, true
}

func (f *fake) record(m Message) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.messages = append(f.messages, m)
}

// Duplicates are the keys (OutId, SessionContext) taken more than once:
// a family texted twice.
func (f *fake) Duplicates() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	seen, dup := map[string]int{}, []string{}
	for _, m := range f.messages {
		if m.Key == "" {
			continue
		}
		if seen[m.Key]++; seen[m.Key] == 2 {
			dup = append(dup, m.Key)
		}
	}
	return dup
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func sha256hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

var (
	mainland = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	urlish   = regexp.MustCompile(`(?i)(https?://|www\.|[a-z0-9-]+\.(com|cn|net|org)\b)`)
	aliVar   = regexp.MustCompile(`\$\{([A-Za-z0-9_]+)\}`)
	tcVar    = regexp.MustCompile(`\{([0-9]+)\}`)
)
