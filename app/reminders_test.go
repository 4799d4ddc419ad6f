package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestCellTextDefusesFormulas(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"}, {"+86138", "'+86138"}, {"-1", "'-1"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"13800001234", "13800001234"}, {"【阳光小学】请阅读", "【阳光小学】请阅读"}, {"", ""},
	} {
		if got := cellText(c.in); got != c.want {
			t.Errorf("cellText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestReminderMessageFitsOneSegment(t *testing.T) {
	f := newParentFixture(t, "")
	for _, school := range []string{"阳光小学", "北京市海淀区中关村第三实验小学教育集团明德校区", strings.Repeat("长", 60)} {
		m, err := f.srv.reminderMessage(school, "ABCD2345EFGH")
		if err != nil {
			t.Fatal(err)
		}
		if n := smsLength(m); n > smsSegment || !strings.Contains(m, "https://jiashu.example.edu.cn/a/ABCD2345EFGH?c=s") {
			t.Errorf("%s: %q (%d units)", school, m, n)
		}
	}
	t.Run("a link too long for any text is an error, not a two-part SMS", func(t *testing.T) {
		f.srv.cfg.BaseURL = "https://" + strings.Repeat("x", 60) + ".example.edu.cn"
		defer func() { f.srv.cfg.BaseURL = "https://jiashu.example.edu.cn" }()
		if _, err := f.srv.reminderMessage("阳光小学", "ABCD2345EFGH"); err == nil {
			t.Fatal("no error")
		}
	})
	if smsLength("𠮷a") != 3 {
		t.Error("a character beyond U+FFFF must count as two")
	}
}

func TestReminderExports(t *testing.T) {
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			f := newWebFixture(t, dsn)
			camp, tokens := seedLetters(t, f)
			ta := newBrowser(t, f.srv.URL)
			ta.login("ta")
			t.Run("CSV has a BOM, the two columns and one row per guardian with a mobile", func(t *testing.T) {
				r := ta.get(fmt.Sprintf("/classes/%d/reminders.csv", f.classA1))
				if r.Status != 200 || !strings.HasPrefix(r.Body, "\uFEFF") {
					t.Fatalf("%d %.200q", r.Status, r.Body)
				}
				rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\uFEFF"))).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				// 李华's guardian has no mobile: only 王小明's is listed.
				if len(rows) != 2 || rows[0][0] != "手机号码" || rows[0][1] != "短信内容" || rows[1][0] != "13800001234" {
					t.Fatalf("%q", rows)
				}
				if msg := rows[1][1]; smsLength(msg) > 70 || !strings.Contains(msg, "http://jiashu.test/a/"+tokens[f.studentA1]+"?c=s") {
					t.Fatalf("message %q", msg)
				}
			})
			t.Run("XLSX holds the same list as text cells", func(t *testing.T) {
				r := ta.get(fmt.Sprintf("/classes/%d/reminders.xlsx", f.classA1))
				if r.Status != 200 {
					t.Fatalf("%d", r.Status)
				}
				x, err := excelize.OpenReader(bytes.NewReader([]byte(r.Body)))
				if err != nil {
					t.Fatal(err)
				}
				defer x.Close()
				rows, err := x.GetRows(x.GetSheetName(0))
				if err != nil || len(rows) != 2 || rows[1][0] != "13800001234" || !strings.Contains(rows[1][1], "?c=s") {
					t.Fatalf("%q %v", rows, err)
				}
			})
			t.Run("every export is in the audit log with who", func(t *testing.T) {
				log, err := f.st.AuditLog(context.Background(), 10)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, e := range log {
					if e.Action == "reminders_export" && e.UserID == f.users["ta"].ID {
						n++
					}
				}
				if n != 2 {
					t.Fatalf("%d export entries, want 2: %+v", n, log)
				}
			})
			t.Run("a teacher of another school gets nothing", func(t *testing.T) {
				tc := newBrowser(t, f.srv.URL)
				tc.login("tc")
				if r := tc.get(fmt.Sprintf("/classes/%d/reminders.csv", f.classA1)); r.Status != http.StatusNotFound {
					t.Fatalf("%d", r.Status)
				}
				if r := tc.get(fmt.Sprintf("/api/v1/schools/%d/reminders.csv", f.schoolA)); r.Status < 400 {
					t.Fatalf("school list: %d", r.Status)
				}
				if r := tc.get(fmt.Sprintf("/api/v1/campaigns/%d/reminders.csv", camp)); r.Status != http.StatusForbidden {
					t.Fatalf("campaign list: %d", r.Status)
				}
			})
			t.Run("the district gets the whole campaign", func(t *testing.T) {
				d := newBrowser(t, f.srv.URL)
				d.login("district")
				r := d.get(fmt.Sprintf("/api/v1/campaigns/%d/reminders.csv", camp))
				if r.Status != 200 || !strings.Contains(r.Body, "13800001234") || !strings.Contains(r.Body, "13900005678") {
					t.Fatalf("%d %.300s", r.Status, r.Body)
				}
			})
		})
	}
}

// fakeGateway is an SMS gateway for tests: it fails the first try for
// each number listed in flaky with 503, refuses numbers in refused with
// 400, and records what it accepted.
type fakeGateway struct {
	mu       sync.Mutex
	flaky    map[string]bool
	refused  map[string]bool
	tries    map[string]int
	accepted []map[string]string
	auth     []string
}

func (g *fakeGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var m map[string]string
	json.NewDecoder(r.Body).Decode(&m)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.auth = append(g.auth, r.Header.Get("Authorization"))
	g.tries[m["mobile"]]++
	switch {
	case g.refused[m["mobile"]]:
		w.WriteHeader(http.StatusBadRequest)
	case g.flaky[m["mobile"]] && g.tries[m["mobile"]] == 1:
		w.WriteHeader(http.StatusServiceUnavailable)
	default:
		g.accepted = append(g.accepted, m)
		w.Write([]byte(`{"ok":true}`))
	}
}

func TestReminderSending(t *testing.T) {
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	camp, _ := seedLetters(t, f)
	// A second guardian with a mobile in class A1 whom the gateway refuses.
	f.addStudent(t, f.schoolA, f.classA1, "A0003", "周杰", "13700009999")
	if _, err := f.st.DB().Exec(`INSERT INTO letters (campaign_id, student_id, token, status, produced_at)
		SELECT ?, id, 'ZZZZ22223333', 'delivered', CURRENT_TIMESTAMP FROM students WHERE number = 'A0003'`, camp); err != nil {
		t.Fatal(err)
	}
	gw := &fakeGateway{flaky: map[string]bool{"13800001234": true}, refused: map[string]bool{"13700009999": true}, tries: map[string]int{}}
	gws := httptest.NewServer(gw)
	defer gws.Close()

	clock := time.Date(2026, 11, 20, 10, 0, 0, 0, chinaTime) // 10:00 in China
	var slept []time.Duration
	cfg := f.cfg
	cfg.SMSGatewayURL, cfg.SMSGatewayToken, cfg.SMSMaxPerGuardian = gws.URL+"/send", "s3cret", 1
	srv, err := newServer(cfg, f.st, slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelError})))
	if err != nil {
		t.Fatal(err)
	}
	srv.now = func() time.Time { return clock }
	srv.parentPages().sleep = func(d time.Duration) { slept = append(slept, d) }
	hs := httptest.NewServer(srv.handler())
	defer hs.Close()
	ta := newBrowser(t, hs.URL)
	ta.login("ta")
	send := func() sendSummary {
		t.Helper()
		r := ta.post(fmt.Sprintf("/api/v1/classes/%d/reminders/send", f.classA1), url.Values{})
		if r.Status != 200 {
			t.Fatalf("%d %.300s", r.Status, r.Body)
		}
		var sum sendSummary
		if err := json.Unmarshal([]byte(r.Body), &sum); err != nil {
			t.Fatal(err)
		}
		return sum
	}

	t.Run("a 503 is retried after a backoff, a 400 is not, with the token", func(t *testing.T) {
		sum := send()
		if sum != (sendSummary{Sent: 1, Failed: 1}) {
			t.Fatalf("%+v", sum)
		}
		if gw.tries["13800001234"] != 2 || gw.tries["13700009999"] != 1 || len(slept) != 1 || slept[0] != 500*time.Millisecond {
			t.Fatalf("tries %v, slept %v", gw.tries, slept)
		}
		if gw.auth[0] != "Bearer s3cret" || !strings.Contains(gw.accepted[0]["message"], "?c=s") {
			t.Fatalf("auth %q, accepted %v", gw.auth[0], gw.accepted)
		}
	})
	t.Run("no guardian gets more than the limit per campaign", func(t *testing.T) {
		sum := send()
		// 13800001234 had its one reminder; the refused one is tried again.
		if sum.Sent != 0 || sum.Skipped != 1 || sum.Failed != 1 || gw.tries["13800001234"] != 2 {
			t.Fatalf("%+v, tries %v", sum, gw.tries)
		}
	})
	t.Run("nothing is sent between 21:00 and 08:00", func(t *testing.T) {
		for _, hour := range []int{21, 23, 0, 7} {
			clock = time.Date(2026, 11, 20, hour, 30, 0, 0, chinaTime)
			before := len(gw.auth)
			r := ta.post(fmt.Sprintf("/api/v1/classes/%d/reminders/send", f.classA1), url.Values{})
			if r.Status != http.StatusConflict || len(gw.auth) != before {
				t.Fatalf("%02d:30: status %d, %d requests to the gateway", hour, r.Status, len(gw.auth)-before)
			}
		}
		clock = time.Date(2026, 11, 20, 8, 0, 0, 0, chinaTime)
		if quietHours(clock) {
			t.Fatal("08:00 is not quiet")
		}
	})
	t.Run("every send is in the audit log", func(t *testing.T) {
		log, _ := f.st.AuditLog(context.Background(), 20)
		n := 0
		for _, e := range log {
			if e.Action == "reminders_send" && e.UserID == f.users["ta"].ID {
				n++
			}
		}
		if n != 2 {
			t.Fatalf("%d send entries, want 2", n)
		}
	})
}
