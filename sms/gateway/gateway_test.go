package gateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"jiashu/sms"
	"jiashu/sms/gateway"
	"jiashu/sms/smstest"
)

// server answers each request with the next status (200 once they run out)
// and keeps what it got.
type server struct {
	mu       sync.Mutex
	statuses []int
	got      []map[string]string
	auth     []string
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var m map[string]string
	json.NewDecoder(r.Body).Decode(&m)
	s.got, s.auth = append(s.got, m), append(s.auth, r.Header.Get("Authorization"))
	status := 200
	if len(s.statuses) > 0 {
		status, s.statuses = s.statuses[0], s.statuses[1:]
	}
	w.WriteHeader(status)
}

func rig(t *testing.T, statuses ...int) (*server, *gateway.Provider, *smstest.Clock, *sms.Template) {
	t.Helper()
	s := &server{statuses: statuses}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	clock := smstest.NewClock(time.Now())
	p, err := gateway.New(gateway.Config{URL: srv.URL + "/send", Token: "s3cret", Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := sms.ParseTemplate(sms.GatewayRules, "", "", "${student}的家长，请确认家书：${link}", nil)
	return s, p, clock, tpl
}

func send(t *testing.T, p *gateway.Provider, tpl *sms.Template) ([]sms.Result, error) {
	t.Helper()
	txt, _ := tpl.Fill("r/1", "13800001111", map[string]string{"student": "王*明", "link": "https://x.cn/a/K7Q2?c=s"})
	return p.Send(context.Background(), sms.Batch{Template: tpl, Texts: []sms.Text{txt}})
}

func TestTheGatewayGetsMobileAndMessageWithTheToken(t *testing.T) {
	s, p, _, tpl := rig(t)
	res, err := send(t, p, tpl)
	if err != nil || len(res) != 1 || res[0].State != sms.Sent || res[0].Tries != 1 {
		t.Fatalf("%+v %v: want sent (no delivery reports) at the first try", res, err)
	}
	if s.got[0]["mobile"] != "13800001111" || s.got[0]["message"] != "王*明的家长，请确认家书：https://x.cn/a/K7Q2?c=s" || s.auth[0] != "Bearer s3cret" {
		t.Fatalf("gateway got %v with %q", s.got[0], s.auth[0])
	}
}

func TestBusyGatewayIsTriedAgainThenGivenUp(t *testing.T) {
	_, p, clock, tpl := rig(t, 503, 429)
	res, err := send(t, p, tpl)
	if err != nil || res[0].Tries != 3 || !slices.Equal(clock.Slept(), []time.Duration{500 * time.Millisecond, time.Second}) {
		t.Fatalf("%+v %v, waits %v: want sent at the third try after 0.5 s and 1 s", res, err, clock.Slept())
	}
	_, p, _, tpl = rig(t, 500, 502, 503, 200)
	_, err = send(t, p, tpl)
	var e *sms.Error
	if !errors.As(err, &e) || e.Code != "HTTP 503" || e.Reason != sms.ReasonProvider || e.Retry || e.Tries != 3 {
		t.Fatalf("%#v: want a final failure after 3 tries", err)
	}
}

func TestARefusalIsFinalWithAReason(t *testing.T) {
	for status, reason := range map[int]sms.Reason{400: sms.ReasonGatewayInput, 401: sms.ReasonCredentials, 403: sms.ReasonCredentials, 402: sms.ReasonBalance} {
		s, p, clock, tpl := rig(t, status)
		_, err := send(t, p, tpl)
		var e *sms.Error
		if !errors.As(err, &e) || e.Reason != reason || len(s.got) != 1 || len(clock.Slept()) != 0 {
			t.Errorf("HTTP %d: %v after %d tries, want %s at once", status, err, len(s.got), reason)
		}
	}
}

func TestTheTokenIsNeverShown(t *testing.T) {
	_, p, _, _ := rig(t)
	for _, s := range []string{p.String(), p.GoString()} {
		if s == "" || strings.Contains(s, "s3cret") {
			t.Errorf("%q", s)
		}
	}
}
