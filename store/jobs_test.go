package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// instanceStore opens another handle on dsn — another instance of the
// service — whose clock reads *now.
func instanceStore(t *testing.T, dsn string, now *time.Time, mu *sync.Mutex) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, WithClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return *now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestJobClaims(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, b := range testBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			dsn := b.newDSN(t)
			var mu sync.Mutex
			now := testNow
			a := instanceStore(t, dsn, &now, &mu)
			bb := instanceStore(t, dsn, &now, &mu)
			advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
			sc, _, err := a.EnsureSchool(ctx, "阳光小学")
			if err != nil {
				t.Fatal(err)
			}

			t.Run("two instances asking at once never get the same job", func(t *testing.T) {
				const jobs = 6
				for i := 0; i < jobs; i++ {
					if _, err := a.CreateJob(ctx, Job{Kind: JobSchoolLetters, SchoolID: sc.ID}); err != nil {
						t.Fatal(err)
					}
				}
				var wg sync.WaitGroup
				type claim struct {
					id   int64
					inst string
				}
				got := make(chan claim, 4*jobs)
				for w, st := range []*Store{a, bb, a, bb} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							j, ok, err := st.ClaimJob(ctx, fmt.Sprintf("inst-%d", w), time.Minute)
							if err != nil {
								t.Error(err)
								return
							}
							if !ok {
								return
							}
							got <- claim{j.ID, j.ClaimedBy}
						}
					}()
				}
				wg.Wait()
				close(got)
				seen := map[int64]int{}
				for c := range got {
					seen[c.id]++
					// Done, so the later subtests start from an empty queue.
					if err := a.FinishJob(ctx, c.id, c.inst, "", 0); err != nil {
						t.Error(err)
					}
				}
				if len(seen) != jobs {
					t.Fatalf("%d distinct jobs claimed, want %d", len(seen), jobs)
				}
				for id, n := range seen {
					if n != 1 {
						t.Errorf("job %d claimed %d times", id, n)
					}
				}
			})

			t.Run("a job under a live lease is not claimed again, an expired one is", func(t *testing.T) {
				j, err := a.CreateJob(ctx, Job{Kind: JobSchoolLetters, SchoolID: sc.ID, Params: `{"x":1}`})
				if err != nil {
					t.Fatal(err)
				}
				first, ok, err := a.ClaimJob(ctx, "dead", time.Minute)
				if err != nil || !ok || first.ID != j.ID || first.Status != JobRunning || first.Attempts != 1 {
					t.Fatalf("first claim %+v %v %v", first, ok, err)
				}
				if err := a.AppendJobResult(ctx, j.ID, "dead", 0, []byte("half a zip")); err != nil {
					t.Fatal(err)
				}
				if _, ok, _ := bb.ClaimJob(ctx, "alive", time.Minute); ok {
					t.Fatal("claimed a job whose lease is live")
				}
				advance(2 * time.Minute)
				again, ok, err := bb.ClaimJob(ctx, "alive", time.Minute)
				if err != nil || !ok || again.ID != j.ID || again.ClaimedBy != "alive" || again.Attempts != 2 {
					t.Fatalf("re-claim %+v %v %v", again, ok, err)
				}
				if err := a.JobProgress(ctx, j.ID, "dead", 1, 2, time.Minute); !errors.Is(err, ErrLeaseLost) {
					t.Fatalf("the old worker's progress: %v, want ErrLeaseLost", err)
				}
				if err := a.AppendJobResult(ctx, j.ID, "dead", 1, []byte("x")); !errors.Is(err, ErrLeaseLost) {
					t.Fatalf("the old worker's chunk: %v, want ErrLeaseLost", err)
				}
				var buf bytes.Buffer
				if _, err := bb.WriteJobResult(ctx, j.ID, &buf); err != nil || buf.Len() != 0 {
					t.Fatalf("the dead worker's half result survived the re-claim: %q %v", buf.String(), err)
				}
				if err := bb.FailJob(ctx, j.ID, "alive", "stopped by the test"); err != nil {
					t.Fatal(err)
				}
			})

			t.Run("progress, result and completion are recorded", func(t *testing.T) {
				j, err := a.CreateJob(ctx, Job{Kind: JobSchoolLetters, SchoolID: sc.ID})
				if err != nil {
					t.Fatal(err)
				}
				c, ok, err := a.ClaimJob(ctx, "w", time.Minute)
				if err != nil || !ok || c.ID != j.ID {
					t.Fatalf("claim %+v %v %v", c, ok, err)
				}
				if err := a.JobProgress(ctx, j.ID, "w", 3, 8, time.Minute); err != nil {
					t.Fatal(err)
				}
				got, _ := bb.Job(ctx, j.ID)
				if got.Done != 3 || got.Total != 8 || got.Percent() != 37 || got.Finished() {
					t.Fatalf("progress seen by the other instance: %+v", got)
				}
				for i, part := range []string{"PK", "zip", "end"} {
					if err := a.AppendJobResult(ctx, j.ID, "w", i, []byte(part)); err != nil {
						t.Fatal(err)
					}
				}
				if err := a.FinishJob(ctx, j.ID, "w", "阳光小学.zip", 8); err != nil {
					t.Fatal(err)
				}
				got, _ = bb.Job(ctx, j.ID)
				if got.Status != JobDone || got.Done != 8 || got.ResultName != "阳光小学.zip" || got.FinishedAt.IsZero() {
					t.Fatalf("done job %+v", got)
				}
				var buf bytes.Buffer
				if _, err := bb.WriteJobResult(ctx, j.ID, &buf); err != nil || buf.String() != "PKzipend" {
					t.Fatalf("result %q %v", buf.String(), err)
				}
				if _, ok, _ := bb.ClaimJob(ctx, "x", time.Minute); ok {
					t.Fatal("a done job was claimed")
				}
				if err := a.FailJob(ctx, j.ID, "w", "late"); !errors.Is(err, ErrLeaseLost) {
					t.Fatalf("failing a done job: %v", err)
				}
			})

			t.Run("a job whose instance keeps dying fails after the last attempt", func(t *testing.T) {
				j, _ := a.CreateJob(ctx, Job{Kind: JobSchoolLetters, SchoolID: sc.ID})
				for i := 0; i < JobMaxAttempts; i++ {
					if c, ok, err := a.ClaimJob(ctx, "crashy", time.Minute); err != nil || !ok || c.ID != j.ID {
						t.Fatalf("attempt %d: %+v %v %v", i+1, c, ok, err)
					}
					advance(2 * time.Minute)
				}
				if _, ok, _ := a.ClaimJob(ctx, "crashy", time.Minute); ok {
					t.Fatal("claimed beyond the last attempt")
				}
				got, _ := a.Job(ctx, j.ID)
				if got.Status != JobFailed || got.Error == "" {
					t.Fatalf("job %+v", got)
				}
			})

			t.Run("a job released on a graceful stop is claimed again at once, the attempt not counted", func(t *testing.T) {
				j, _ := a.CreateJob(ctx, Job{Kind: JobSchoolLetters, SchoolID: sc.ID})
				if c, ok, _ := a.ClaimJob(ctx, "stopping", time.Minute); !ok || c.ID != j.ID {
					t.Fatalf("claim %+v", c)
				}
				if err := a.ReleaseJob(ctx, j.ID, "stopping"); err != nil {
					t.Fatal(err)
				}
				c, ok, err := bb.ClaimJob(ctx, "next", time.Minute)
				if err != nil || !ok || c.ID != j.ID || c.Attempts != 1 {
					t.Fatalf("re-claim after release %+v %v %v", c, ok, err)
				}
				if err := bb.AppendJobResult(ctx, j.ID, "next", 0, []byte("zip")); err != nil {
					t.Fatal(err)
				}
				if err := bb.FinishJob(ctx, j.ID, "next", "x.zip", 3); err != nil {
					t.Fatal(err)
				}
			})

			t.Run("old results are purged, recent ones kept", func(t *testing.T) {
				n, err := a.PurgeJobResults(ctx, testNow.Add(-time.Hour))
				if err != nil || n != 0 {
					t.Fatalf("purge of nothing old: %d %v", n, err)
				}
				advance(8 * 24 * time.Hour)
				mu.Lock()
				cutoff := now.Add(-7 * 24 * time.Hour)
				mu.Unlock()
				if n, err = a.PurgeJobResults(ctx, cutoff); err != nil || n < 1 {
					t.Fatalf("purge: %d %v", n, err)
				}
				list, _ := a.SchoolJobs(ctx, sc.ID, 100)
				for _, j := range list {
					var buf bytes.Buffer
					bb.WriteJobResult(ctx, j.ID, &buf)
					if j.ResultName != "" || buf.Len() != 0 {
						t.Errorf("job %d keeps %q, %d bytes", j.ID, j.ResultName, buf.Len())
					}
				}
			})

			t.Run("a second start finds the pending job", func(t *testing.T) {
				j, _ := a.CreateJob(ctx, Job{Kind: JobSchoolLetters, SchoolID: sc.ID})
				p, ok, err := a.PendingJob(ctx, JobSchoolLetters, sc.ID, 0, "{}")
				if err != nil || !ok || p.ID != j.ID {
					t.Fatalf("pending %+v %v %v", p, ok, err)
				}
				if _, ok, _ := a.PendingJob(ctx, JobSchoolLetters, sc.ID+1, 0, "{}"); ok {
					t.Fatal("another school's job was found")
				}
				list, err := a.SchoolJobs(ctx, sc.ID, 3)
				if err != nil || len(list) != 3 || list[0].ID != j.ID {
					t.Fatalf("school jobs %v %v", list, err)
				}
			})
		})
	}
}
