package web

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/app/config"
	"jiashu/grade"
	"jiashu/store"
	"jiashu/store/storetest"
)

// The evening-rush load test (issue 5): the real router on real loopback
// listeners, 100 concurrent keep-alive clients, first parent page views
// then acknowledgements (10 % of them repeats), latency percentiles, error
// count, and afterwards a check that every acknowledged letter holds exactly
// the first acknowledgement. A bare Gin handler is measured in the same run
// as the baseline: the ratio survives this noisy shared machine better than
// the absolute figures.
//
//	go test ./app -run '^$' -bench ParentLoad -benchtime 1x
//
// Environment: JIASHU_LOAD_SECONDS (per phase, default 5),
// JIASHU_LOAD_CLIENTS (default 100), JIASHU_LOAD_LETTERS (default 50000);
// with JIASHU_TEST_POSTGRES_DSN set, the same against PostgreSQL with two
// app instances, the clients alternating between them.
func BenchmarkParentLoad(b *testing.B) {
	seconds := envInt("JIASHU_LOAD_SECONDS", 5)
	clients := envInt("JIASHU_LOAD_CLIENTS", 100)
	nLetters := envInt("JIASHU_LOAD_LETTERS", 50000)
	phase := time.Duration(seconds) * time.Second

	b.Run("sqlite", func(b *testing.B) {
		st := loadStore(b, filepath.Join(b.TempDir(), "load.db"))
		tokens := loadSeed(b, st, nLetters)
		bases := []string{loadServe(b, st)}
		runLoad(b, st, bases, tokens, clients, phase)
	})
	b.Run("postgres-2-instances", func(b *testing.B) {
		dsn := os.Getenv("JIASHU_TEST_POSTGRES_DSN")
		if dsn == "" {
			b.Skip("JIASHU_TEST_POSTGRES_DSN not set")
		}
		dsn = storetest.PostgresSchema(b, dsn)
		st := loadStore(b, dsn)
		tokens := loadSeed(b, st, nLetters)
		st2 := loadStore(b, dsn)
		bases := []string{loadServe(b, st), loadServe(b, st2)}
		runLoad(b, st, bases, tokens, clients, phase)
	})
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func loadStore(b *testing.B, dsn string) *store.Store {
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// loadSeed writes n letters (40 per class) in one transaction and returns their tokens.
func loadSeed(b *testing.B, st *store.Store, n int) []string {
	ctx := context.Background()
	now := st.Now()
	var tokens []string
	err := st.Tx(ctx, func(tx *sql.Tx) error {
		one := func(q string, args ...any) (int64, error) {
			var id int64
			err := tx.QueryRowContext(ctx, st.Rebind(q+" RETURNING id"), args...).Scan(&id)
			return id, err
		}
		school, err := one(`INSERT INTO schools (name, created_at) VALUES ('压测学校', ?)`, now)
		if err != nil {
			return err
		}
		campaign, err := one(`INSERT INTO campaigns (name, quiz_enabled, created_at) VALUES ('压测', TRUE, ?)`, now)
		if err != nil {
			return err
		}
		stud, err := tx.PrepareContext(ctx, st.Rebind(`INSERT INTO students (school_id, class_id, number, name, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`))
		if err != nil {
			return err
		}
		defer stud.Close()
		let, err := tx.PrepareContext(ctx, st.Rebind(`INSERT INTO letters (campaign_id, student_id, token, status, produced_at) VALUES (?, ?, ?, 'delivered', ?)`))
		if err != nil {
			return err
		}
		defer let.Close()
		var class int64
		for i := 0; i < n; i++ {
			if i%40 == 0 {
				g := 1 + (i/40)%12
				if class, err = one(`INSERT INTO classes (school_id, grade, number, name, head_teacher) VALUES (?, ?, ?, ?, '陈老师')`,
					school, g, i/40, fmt.Sprintf("%d年级%d班", g, i/40)); err != nil {
					return err
				}
			}
			var sid int64
			if err := stud.QueryRowContext(ctx, school, class, fmt.Sprintf("L%07d", i), "学生"+strconv.Itoa(i), now).Scan(&sid); err != nil {
				return err
			}
			tok := storetest.Token(i + 1)
			if _, err := let.ExecContext(ctx, campaign, sid, tok, now); err != nil {
				return err
			}
			tokens = append(tokens, tok)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return tokens
}

// loadServe runs the real router on a loopback listener and returns its URL.
func loadServe(b *testing.B, st *store.Store) string {
	cfg := config.Config{Addr: "127.0.0.1:0", BaseURL: "http://127.0.0.1", DataDir: b.TempDir(), AgeGroups: grade.DefaultMapping(),
		MaxUploadBytes: 1 << 20, LogFormat: "text"}
	srv, err := New(cfg, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	return serveOnLoopback(b, srv.HTTPServer().Handler)
}

func serveOnLoopback(b *testing.B, h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	b.Cleanup(func() { hs.Close() })
	return "http://" + ln.Addr().String()
}

// loadResult is one phase's figures.
type loadResult struct {
	name     string
	requests int
	errors   int
	rate     float64 // requests per second
	p50, p99 time.Duration
}

func (r loadResult) String() string {
	return fmt.Sprintf("%-22s %8d req %9.0f/s  p50 %6.2f ms  p99 %6.2f ms  errors %d",
		r.name, r.requests, r.rate, float64(r.p50.Microseconds())/1000, float64(r.p99.Microseconds())/1000, r.errors)
}

// hammer runs clients goroutines for d, each calling do in a loop, and
// collects latencies and errors.
func hammer(name string, clients int, d time.Duration, do func(client int, i int) error) loadResult {
	var wg sync.WaitGroup
	lat := make([][]time.Duration, clients)
	var errs atomic.Int64
	deadline := time.Now().Add(d)
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				t0 := time.Now()
				if err := do(c, i); err != nil {
					if err == errLoadDone {
						return
					}
					errs.Add(1)
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	r := loadResult{name: name, requests: len(all), errors: int(errs.Load()), rate: float64(len(all)) / elapsed.Seconds()}
	if len(all) > 0 {
		r.p50, r.p99 = all[len(all)/2], all[len(all)*99/100]
	}
	return r
}

var errLoadDone = fmt.Errorf("no more work")

// profilePhase writes the CPU profile of one phase to
// $JIASHU_LOAD_PROFILE/<name>.cpu when that folder is set (the server and
// the load client share the process: look at the server's functions).
// It returns the function that stops it.
func profilePhase(b *testing.B, name string) func() {
	dir := os.Getenv("JIASHU_LOAD_PROFILE")
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, name+".cpu"))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// serveBare runs the baseline: a bare Gin handler answering every GET with
// the bytes of the page at pageURL (a parent page), so that both move the
// same bytes. It returns the handler's URL.
func serveBare(b *testing.B, client *http.Client, pageURL string) string {
	resp, err := client.Get(pageURL)
	if err != nil {
		b.Fatal(err)
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("parent page: %v, status %d", err, resp.StatusCode)
	}
	gin.SetMode(gin.ReleaseMode)
	bare := gin.New()
	bare.GET("/page", func(c *gin.Context) { c.Data(http.StatusOK, "text/html; charset=utf-8", page) })
	return serveOnLoopback(b, bare) + "/page"
}

func loadClient(clients int) *http.Client {
	tr := &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, MaxConnsPerHost: 0, IdleConnTimeout: time.Minute}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// expect returns a check that a response arrived with status, draining it.
func expect(status int) func(*http.Response, error) error {
	return func(resp *http.Response, err error) error { return checkResponse(resp, err, status) }
}

func checkResponse(resp *http.Response, err error, status int) error {
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != status {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

func runLoad(b *testing.B, st *store.Store, bases []string, tokens []string, clients int, phase time.Duration) {
	ctx := context.Background()
	client := loadClient(clients)
	base := func(c int) string { return bases[c%len(bases)] }
	bareURL := serveBare(b, client, base(0)+"/a/"+tokens[0])

	// Warm up connections and the letter cache.
	for c := 0; c < clients; c++ {
		expect(200)(client.Get(base(c) + "/a/" + tokens[c]))
	}
	baseline := hammer("bare gin GET", clients, phase, func(c, i int) error {
		return expect(200)(client.Get(bareURL))
	})
	stop := profilePhase(b, "views")
	views := hammer("parent page views", clients, phase, func(c, i int) error {
		return expect(200)(client.Get(base(c) + "/a/" + tokens[rand.IntN(len(tokens))]))
	})
	stop()
	// Acknowledgements: fresh letters in order, and every tenth a repeat of
	// one already acknowledged (a parent pressing twice).
	var next atomic.Int64
	var acked sync.Map // token → relation of the first successful acknowledgement
	relations := []string{"父亲", "母亲", "祖父母", "外祖父母", "其他"}
	stop = profilePhase(b, "acks")
	acks := hammer("acknowledgements", clients, phase, func(c, i int) error {
		var tok string
		if i%10 == 9 && i > 0 {
			tok = tokens[rand.IntN(int(min(next.Load(), int64(len(tokens)))))]
		} else {
			n := next.Add(1) - 1
			if n >= int64(len(tokens)) {
				return errLoadDone
			}
			tok = tokens[n]
		}
		rel := relations[(c+i)%len(relations)]
		err := expect(http.StatusSeeOther)(client.PostForm(base(c)+"/a/"+tok, url.Values{"relation": {rel}, "c": {"q"}}))
		if err == nil {
			acked.LoadOrStore(tok, rel)
		}
		return err
	})
	stop()
	// Check: exactly the letters acknowledged with success are acknowledged,
	// each once (the table holds one acknowledgement per letter, so a repeat
	// that overwrote the first would show as a changed relation).
	var want, mismatched int
	acked.Range(func(k, v any) bool {
		want++
		l, err := st.ParentLetterByToken(ctx, k.(string))
		if err != nil || !l.Acknowledged() {
			mismatched++
		}
		return true
	})
	var got int
	if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM letters WHERE acknowledged_at IS NOT NULL`).Scan(&got); err != nil {
		b.Fatal(err)
	}
	b.Logf("\n%s\n%s  (%.1f%% of bare Gin)\n%s  (%.1f%% of bare Gin)\nacknowledged letters in the database: %d, distinct letters acknowledged with success: %d, missing: %d",
		baseline, views, 100*views.rate/baseline.rate, acks, 100*acks.rate/baseline.rate, got, want, mismatched)
	b.ReportMetric(baseline.rate, "bare-req/s")
	b.ReportMetric(views.rate, "views/s")
	b.ReportMetric(float64(views.p99.Microseconds())/1000, "views-p99-ms")
	b.ReportMetric(acks.rate, "acks/s")
	b.ReportMetric(float64(acks.p99.Microseconds())/1000, "acks-p99-ms")
	b.ReportMetric(float64(views.errors+acks.errors), "errors")
	if got != want || mismatched != 0 {
		b.Errorf("acknowledged in the database %d, confirmed %d, missing %d", got, want, mismatched)
	}
}
