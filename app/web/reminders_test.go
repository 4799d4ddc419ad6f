package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jiashu/app/campaign"
	"jiashu/app/config"
	"jiashu/app/jobs"
	"jiashu/app/reminders"
	"jiashu/store"
)

func TestReminderExports(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
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
				if msg := rows[1][1]; reminders.SMSLength(msg) > 70 || !strings.Contains(msg, "http://jiashu.test/a/"+tokens[f.studentA1]+"?c=s") {
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
	delay    time.Duration // per request, so concurrent jobs overlap
}

// acceptedBy counts the accepted texts per mobile.
func (g *fakeGateway) acceptedBy() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := map[string]int{}
	for _, m := range g.accepted {
		out[m["mobile"]]++
	}
	return out
}

func (g *fakeGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var m map[string]string
	json.NewDecoder(r.Body).Decode(&m)
	time.Sleep(g.delay)
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

// reminderRig is a server with a fake SMS gateway, a settable China-time
// clock and job runners, on one backend.
type reminderRig struct {
	f     *webFixture
	srv   *Server
	gw    *fakeGateway
	camp  int64
	ta    *browser // teacher of class A1
	admin *browser // school A's administrator
	first int64    // the first job
	mu    sync.Mutex
	clock time.Time
	slept []time.Duration
}

func (rg *reminderRig) setClock(t time.Time) { rg.mu.Lock(); rg.clock = t; rg.mu.Unlock() }

// Now and Sleep make the rig the SMS sender's clock: waits are recorded,
// not spent.
func (rg *reminderRig) Now() time.Time { rg.mu.Lock(); defer rg.mu.Unlock(); return rg.clock }

func (rg *reminderRig) Sleep(ctx context.Context, d time.Duration) error {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	rg.slept = append(rg.slept, d)
	return ctx.Err()
}

// runner is one instance's job runner (its own instance id).
func (rg *reminderRig) runner(t *testing.T) *jobs.Runner {
	r := jobs.New(rg.f.st, rg.srv.log, rg.srv.now)
	rem, err := jobs.NewReminders(jobs.Deps{Config: rg.srv.cfg, Store: rg.f.st, Catalogue: rg.srv.cat, Log: rg.srv.log, Now: rg.srv.now, Clock: rg})
	if err != nil {
		t.Fatal(err)
	}
	rem.Register(r)
	return r
}

// queue sends POST …/reminders/send through the API and returns the 202's job.
func (rg *reminderRig) queue(t *testing.T, b *browser, path string) apiJob {
	t.Helper()
	r := b.post(path, url.Values{})
	if r.Status != http.StatusAccepted {
		t.Fatalf("%s: %d %.300s", path, r.Status, r.Body)
	}
	var j apiJob
	if err := json.Unmarshal([]byte(r.Body), &j); err != nil {
		t.Fatal(err)
	}
	return j
}

func newReminderRig(t *testing.T, dsn string, maxPerGuardian int) *reminderRig {
	return newReminderRigWith(t, dsn, maxPerGuardian, nil, nil)
}

// newReminderRigWith is a reminder rig whose settings set changes (nil:
// the JSON gateway) and whose server logs into log (nil: the test's log,
// errors only).
func newReminderRigWith(t *testing.T, dsn string, maxPerGuardian int, set func(*config.Config), log io.Writer) *reminderRig {
	f := newWebFixture(t, dsn)
	rg := &reminderRig{f: f}
	rg.camp, _ = seedLetters(t, f)
	// A second guardian with a mobile in class A1 whom the gateway refuses.
	f.addStudent(t, f.schoolA, f.classA1, "A0003", "周杰", "13700009999")
	if _, err := f.st.DB().Exec(f.st.Rebind(`INSERT INTO letters (campaign_id, student_id, token, status, produced_at)
		SELECT ?, id, 'ZZZZ22223333', 'delivered', CURRENT_TIMESTAMP FROM students WHERE number = 'A0003'`), rg.camp); err != nil {
		t.Fatal(err)
	}
	rg.gw = &fakeGateway{flaky: map[string]bool{"13800001234": true}, refused: map[string]bool{"13700009999": true}, tries: map[string]int{},
		delay: 20 * time.Millisecond}
	gws := httptest.NewServer(rg.gw)
	t.Cleanup(gws.Close)
	cfg := f.cfg
	cfg.SMSProvider, cfg.SMSGatewayURL, cfg.SMSGatewayToken, cfg.SMSMaxPerGuardian, cfg.SMSPriceFen = "http", gws.URL+"/send", "s3cret", maxPerGuardian, 5
	if set != nil {
		set(&cfg)
	}
	logger := slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	if log != nil {
		logger = slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	srv, err := New(cfg, f.st, logger)
	if err != nil {
		t.Fatal(err)
	}
	rg.srv = srv
	rg.clock = time.Date(2026, 11, 20, 10, 0, 0, 0, campaign.ChinaTime) // 10:00 in China
	srv.now = func() time.Time { rg.mu.Lock(); defer rg.mu.Unlock(); return rg.clock }
	hs := httptest.NewServer(checked(t, srv.Handler()))
	t.Cleanup(hs.Close)
	rg.ta = newBrowser(t, hs.URL)
	rg.ta.login("ta")
	rg.admin = newBrowser(t, hs.URL)
	rg.admin.login("adminA")
	return rg
}

func TestReminderJob(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			rg := newReminderRig(t, dsn, 1)
			classSend := fmt.Sprintf("/api/v1/classes/%d/reminders/send", rg.f.classA1)

			t.Run("the send answers 202 with a queued job and sends nothing yet", func(t *testing.T) {
				j := rg.queue(t, rg.ta, classSend)
				rg.first = j.ID
				if j.Kind != store.JobReminders || j.Status != store.JobQueued || j.Reminders == nil || len(rg.gw.auth) != 0 {
					t.Fatalf("%+v, %d gateway requests", j, len(rg.gw.auth))
				}
				if again := rg.queue(t, rg.ta, classSend); again.ID != j.ID {
					t.Fatalf("a second click queued job %d beside %d", again.ID, j.ID)
				}
			})
			t.Run("the job sends, retries a 503 after a backoff, not a 400, and records its progress", func(t *testing.T) {
				if ran, err := rg.runner(t).RunOnce(ctx); !ran || err != nil {
					t.Fatalf("ran %v, %v", ran, err)
				}
				r := rg.ta.get(fmt.Sprintf("/api/v1/jobs/%d", rg.first))
				var j apiJob
				json.Unmarshal([]byte(r.Body), &j)
				if r.Status != 200 || j.Status != store.JobDone || j.Done != 2 || j.Total != 2 || j.Reminders.Sent != 1 || j.Reminders.Failed != 1 || j.Reminders.Undelivered != 1 {
					t.Fatalf("%d %+v %+v", r.Status, j, j.Reminders)
				}
				if rg.gw.tries["13800001234"] != 2 || rg.gw.tries["13700009999"] != 1 || len(rg.slept) != 1 || rg.slept[0] != 500*time.Millisecond {
					t.Fatalf("tries %v, slept %v", rg.gw.tries, rg.slept)
				}
				if rg.gw.auth[0] != "Bearer s3cret" || !strings.Contains(rg.gw.accepted[0]["message"], "?c=s") {
					t.Fatalf("auth %q, accepted %v", rg.gw.auth[0], rg.gw.accepted)
				}
				page := rg.ta.get(fmt.Sprintf("/jobs/%d", j.ID))
				if page.Status != 200 || !strings.Contains(page.Body, "已交给短信网关 1 条（网关不提供送达回执），未发出 1 条") || !strings.Contains(page.Body, "短信网关不接受这条短信") {
					t.Fatalf("job page %d %.2000s", page.Status, page.Body)
				}
			})
			t.Run("between 21:00 and 08:00 nothing is queued, and a job that starts then ends saying so", func(t *testing.T) {
				for _, hour := range []int{21, 23, 0, 7} {
					rg.setClock(time.Date(2026, 11, 20, hour, 30, 0, 0, campaign.ChinaTime))
					if r := rg.ta.post(classSend, url.Values{}); r.Status != http.StatusConflict {
						t.Fatalf("%02d:30: status %d", hour, r.Status)
					}
				}
				rg.setClock(time.Date(2026, 11, 20, 20, 59, 0, 0, campaign.ChinaTime))
				j := rg.queue(t, rg.ta, classSend)
				rg.setClock(time.Date(2026, 11, 20, 21, 0, 0, 0, campaign.ChinaTime))
				before := len(rg.gw.auth)
				rg.runner(t).RunOnce(ctx)
				got, _ := rg.f.st.Job(ctx, j.ID)
				if got.Status != store.JobFailed || !strings.Contains(got.Error, "21:00") || len(rg.gw.auth) != before {
					t.Fatalf("%s %q, %d gateway requests", got.Status, got.Error, len(rg.gw.auth)-before)
				}
				if page := rg.ta.get(fmt.Sprintf("/jobs/%d", j.ID)); !strings.Contains(page.Body, "21:00") {
					t.Fatalf("job page %.2000s", page.Body)
				}
				rg.setClock(time.Date(2026, 11, 20, 10, 0, 0, 0, campaign.ChinaTime))
			})
			t.Run("the audit log has who queued each send and what each job sent", func(t *testing.T) {
				log, _ := rg.f.st.AuditLog(ctx, 50)
				queued, sent := 0, 0
				for _, e := range log {
					if e.UserID != rg.f.users["ta"].ID && e.UserID != rg.f.users["adminA"].ID {
						continue
					}
					switch e.Action {
					case "reminders_send":
						queued++
					case "reminders_sent":
						sent++
					}
				}
				// The class job, the quiet-hours job (which failed before
				// sending anything, so it wrote no "sent").
				if queued != 2 || sent != 1 {
					t.Fatalf("%d queued, %d sent entries", queued, sent)
				}
			})
			t.Run("another teacher cannot see the job", func(t *testing.T) {
				tb := newBrowser(t, rg.ta.base)
				tb.login("tb")
				if r := tb.get(fmt.Sprintf("/api/v1/jobs/%d", rg.first)); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
					t.Fatalf("status %d", r.Status)
				}
			})
		})
	}
}

func (rg *reminderRig) jobSummary(t *testing.T, id int64) jobs.SendSummary {
	j, err := rg.f.st.Job(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return jobs.SentOf(j)
}
