package jobs

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"jiashu/app/campaign"
	"jiashu/app/config"
	"jiashu/app/locale"
	"jiashu/assets"
	"jiashu/grade"
	"jiashu/letters"
	"jiashu/store"
	"jiashu/store/storetest"
)

// gateway is an SMS gateway that records what it is sent; refuse maps a
// mobile to the status it answers (default 200).
type gateway struct {
	mu       sync.Mutex
	srv      *httptest.Server
	refuse   map[string]int
	tries    map[string]int
	accepted map[string]int
}

func newGateway(t testing.TB) *gateway {
	g := &gateway{refuse: map[string]int{}, tries: map[string]int{}, accepted: map[string]int{}}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m struct{ Mobile, Message string }
		json.NewDecoder(r.Body).Decode(&m)
		g.mu.Lock()
		defer g.mu.Unlock()
		g.tries[m.Mobile]++
		if code := g.refuse[m.Mobile]; code != 0 {
			w.WriteHeader(code)
			return
		}
		g.accepted[m.Mobile]++
	}))
	t.Cleanup(g.srv.Close)
	return g
}

// rig is a seeded school (one class, two students with a mobile each, their
// letters delivered) and the service's workers over it, on a clock the test
// sets.
type rig struct {
	st     *store.Store
	school storetest.School
	gw     *gateway
	cfg    config.Config // the settings the runners get: the JSON gateway unless a test changes them
	clock  time.Time
	slept  []time.Duration
	mu     sync.Mutex
}

func newRig(t testing.TB, dsn string) *rig {
	return newRigOf(t, dsn, 2)
}

// newRigOf is a rig whose class has n students.
func newRigOf(t testing.TB, dsn string, n int) *rig {
	st := storetest.Open(t, dsn)
	rg := &rig{st: st, school: storetest.Seed(t, st, 1, n), gw: newGateway(t),
		clock: time.Date(2026, 11, 20, 10, 0, 0, 0, campaign.ChinaTime)}
	rg.cfg = config.Config{BaseURL: "https://jiashu.example.cn", AgeGroups: grade.DefaultMapping(), SMSProvider: "http",
		SMSGatewayURL: rg.gw.srv.URL, SMSGatewayToken: "s3cret", SMSMaxPerGuardian: 1, SMSPriceFen: 5}
	return rg
}

func (rg *rig) now() time.Time {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	return rg.clock
}

// Now and Sleep make the rig the SMS sender's clock: a wait is recorded
// and moves the clock on, so backoff and pace cost the test nothing.
func (rg *rig) Now() time.Time { return rg.now() }

func (rg *rig) Sleep(ctx context.Context, d time.Duration) error {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	rg.slept = append(rg.slept, d)
	rg.clock = rg.clock.Add(d)
	return ctx.Err()
}

// deps are the service's dependencies on the rig.
func (rg *rig) deps(t testing.TB) Deps {
	t.Helper()
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locale.Load(assets.Web)
	if err != nil {
		t.Fatal(err)
	}
	return Deps{Store: rg.st, Engine: eng, Catalogue: cat, Now: rg.now, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Config: rg.cfg, Clock: rg}
}

// runner is an instance of the service's runner with every worker.
func (rg *rig) runner(t testing.TB, instance string) *Runner {
	t.Helper()
	d := rg.deps(t)
	r := New(rg.st, d.Log, rg.now)
	r.Instance = instance
	NewLetters(d).Register(r)
	rem, err := NewReminders(d)
	if err != nil {
		t.Fatal(err)
	}
	rem.Register(r)
	return r
}

// queue stores a job of args for the seeded school.
func (rg *rig) queue(t *testing.T, args Args) store.Job {
	t.Helper()
	j, err := rg.st.CreateJob(context.Background(), NewJob(args, store.Job{SchoolID: rg.school.SchoolID, CampaignID: rg.school.CampaignID, CreatedBy: rg.school.TeacherID}))
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// run runs the next job on r and returns it as stored after.
func (rg *rig) run(t *testing.T, r *Runner, id int64) store.Job {
	t.Helper()
	if ran, err := r.RunOnce(context.Background()); !ran || err != nil {
		t.Fatalf("ran %v: %v", ran, err)
	}
	j, err := rg.st.Job(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func forEachDB(t *testing.T, f func(t *testing.T, dsn string)) {
	for name, dsn := range storetest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f(t, dsn)
		})
	}
}

func TestParametersAreDecodedOnceAndAMalformedOneFailsTheJobWhateverItsKind(t *testing.T) {
	t.Parallel()
	if a, err := Decode[SchoolLetters](store.Job{Kind: store.JobSchoolLetters}); err != nil || a.Duplex {
		t.Errorf("a job stored without parameters: %+v %v, want the defaults", a, err)
	}
	if _, err := Decode[SchoolLetters](store.Job{Kind: store.JobReminders, Params: "{}"}); !errors.Is(err, ErrParams) {
		t.Errorf("another kind's job: %v", err)
	}
	j := NewJob(SendReminders{CampaignID: 3, ClassID: 7, Label: "class 7"}, store.Job{SchoolID: 1})
	if a, err := Decode[SendReminders](j); err != nil || j.Kind != store.JobReminders || a.ClassID != 7 || a.Label != "class 7" {
		t.Errorf("round trip: %+v %+v %v", j, a, err)
	}
	forEachDB(t, func(t *testing.T, dsn string) {
		rg := newRig(t, dsn)
		r := rg.runner(t, "one")
		for _, kind := range []string{store.JobSchoolLetters, store.JobCampaignLetters, store.JobReminders} {
			j, err := rg.st.CreateJob(context.Background(), store.Job{Kind: kind, SchoolID: rg.school.SchoolID, CampaignID: rg.school.CampaignID,
				Params: `{"duplex": "yes"`, CreatedBy: rg.school.TeacherID})
			if err != nil {
				t.Fatal(err)
			}
			if got := rg.run(t, r, j.ID); got.Status != store.JobFailed || !strings.Contains(got.Error, "生成失败") {
				t.Errorf("%s with malformed parameters: %s %q, want failed", kind, got.Status, got.Error)
			}
		}
		if len(rg.gw.tries) != 0 {
			t.Errorf("a malformed job sent %v", rg.gw.tries)
		}
	})
}

func TestSchoolLettersJobWritesAPDFPerClassAndItsOutcome(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, dsn string) {
		rg := newRig(t, dsn)
		j := rg.run(t, rg.runner(t, "one"), rg.queue(t, SchoolLetters{Duplex: true}).ID)
		if j.Status != store.JobDone || !strings.HasSuffix(j.ResultName, ".zip") {
			t.Fatalf("%s %q %q", j.Status, j.Error, j.ResultName)
		}
		o, ok := LettersOf(j)
		if !ok || o.Letters != 2 || j.Done != 1 || j.Total != 1 {
			t.Errorf("outcome %+v (%v), progress %d/%d", o, ok, j.Done, j.Total)
		}
		var buf bytes.Buffer
		if _, err := rg.st.WriteJobResult(context.Background(), j.ID, &buf); err != nil {
			t.Fatal(err)
		}
		z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil || len(z.File) != 1 || z.File[0].Name != "三年级1班.pdf" {
			t.Fatalf("result: %v %v", z, err)
		}
	})
}

func TestRemindersJobCountsEveryTextAndRetriesWhatTheGatewayMayTakeLater(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, dsn string) {
		rg := newRig(t, dsn)
		rg.gw.refuse["13900000001"] = http.StatusServiceUnavailable // tried three times
		rg.gw.refuse["13900000002"] = http.StatusBadRequest         // tried once: final
		j := rg.run(t, rg.runner(t, "one"), rg.queue(t, SendReminders{CampaignID: rg.school.CampaignID, ClassID: rg.school.ClassID, Label: "class"}).ID)
		if j.Status != store.JobDone || SentOf(j) != (SendSummary{Failed: 2, Undelivered: 2}) || j.Done != 2 || j.Total != 2 {
			t.Fatalf("%s %q %+v %d/%d", j.Status, j.Error, SentOf(j), j.Done, j.Total)
		}
		if rg.gw.tries["13900000001"] != 3 || rg.gw.tries["13900000002"] != 1 || len(rg.slept) != 2 || rg.slept[1] != 2*rg.slept[0] {
			t.Errorf("tries %v, waits %v: want three tries with a doubling backoff for a 503, one for a 400", rg.gw.tries, rg.slept)
		}
		delete(rg.gw.refuse, "13900000001")
		delete(rg.gw.refuse, "13900000002")
		retry := rg.run(t, rg.runner(t, "one"), rg.queue(t, SendReminders{CampaignID: rg.school.CampaignID, ClassID: rg.school.ClassID, RetryOf: j.ID}).ID)
		if SentOf(retry) != (SendSummary{Sent: 2, Segments: 2, CostFen: 10}) {
			t.Errorf("retrying the failed ones: %+v", SentOf(retry))
		}
	})
}

func TestTheLimitHoldsWhenTwoInstancesSendToTheSameGuardiansAtOnce(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, dsn string) {
		rg := newRig(t, dsn)
		a := rg.queue(t, SendReminders{CampaignID: rg.school.CampaignID, ClassID: rg.school.ClassID, Label: "class"})
		b := rg.queue(t, SendReminders{CampaignID: rg.school.CampaignID, SchoolID: rg.school.SchoolID, Label: "school"})
		var wg sync.WaitGroup
		for _, name := range []string{"one", "two"} {
			r := rg.runner(t, name)
			wg.Go(func() {
				if _, err := r.RunOnce(context.Background()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		for mobile, n := range rg.gw.accepted {
			if n > 1 {
				t.Errorf("%s got %d reminders, the limit is 1", mobile, n)
			}
		}
		ja, _ := rg.st.Job(context.Background(), a.ID)
		jb, _ := rg.st.Job(context.Background(), b.ID)
		sa, sb := SentOf(ja), SentOf(jb)
		if sa.Sent+sb.Sent != 2 || sa.Skipped+sb.Skipped != 2 || ja.Status != store.JobDone || jb.Status != store.JobDone {
			t.Errorf("job a %+v, job b %+v: want each guardian sent once and skipped once", sa, sb)
		}
	})
}

func TestARemindersJobStopsAtNineInTheEvening(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, dsn string) {
		rg := newRig(t, dsn)
		rg.clock = time.Date(2026, 11, 20, 21, 0, 0, 0, campaign.ChinaTime)
		j := rg.run(t, rg.runner(t, "one"), rg.queue(t, SendReminders{CampaignID: rg.school.CampaignID, ClassID: rg.school.ClassID}).ID)
		if j.Status != store.JobFailed || !strings.Contains(j.Error, "21:00") || len(rg.gw.tries) != 0 {
			t.Fatalf("%s %q, %d texts tried", j.Status, j.Error, len(rg.gw.tries))
		}
	})
}
