package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestJobCancel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, b := range testBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			dsn := b.newDSN(t)
			var mu sync.Mutex
			now := testNow
			a := instanceStore(t, dsn, &now, &mu)
			other := instanceStore(t, dsn, &now, &mu)
			advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
			sc, _, err := a.EnsureSchool(ctx, "阳光小学")
			if err != nil {
				t.Fatal(err)
			}
			chunks := func(id int64) int {
				var n int
				a.DB().QueryRow(a.Rebind(`SELECT COUNT(*) FROM job_chunks WHERE job_id = ?`), id).Scan(&n)
				return n
			}

			t.Run("a queued job is cancelled at once and never claimed", func(t *testing.T) {
				j, _ := a.CreateJob(ctx, Job{Kind: JobSchoolLetters, SchoolID: sc.ID})
				got, err := other.CancelJob(ctx, j.ID)
				if err != nil || got.Status != JobCancelled || !got.Finished() || got.FinishedAt.IsZero() {
					t.Fatalf("cancel %+v %v", got, err)
				}
				if _, ok, _ := a.ClaimJob(ctx, "w", time.Minute); ok {
					t.Fatal("a cancelled job was claimed")
				}
			})

			t.Run("a running job stops at its worker's next check and loses its partial result", func(t *testing.T) {
				j, _ := a.CreateJob(ctx, Job{Kind: JobSchoolLetters, SchoolID: sc.ID, Params: `{"n":2}`})
				if _, ok, err := a.ClaimJob(ctx, "w", time.Minute); !ok || err != nil {
					t.Fatalf("claim %v %v", ok, err)
				}
				if err := a.AppendJobResult(ctx, j.ID, "w", 0, []byte("half")); err != nil {
					t.Fatal(err)
				}
				got, err := other.CancelJob(ctx, j.ID)
				if err != nil || got.Status != JobCancelling || got.Finished() {
					t.Fatalf("cancel %+v %v", got, err)
				}
				if err := a.JobProgress(ctx, j.ID, "w", 1, 2, time.Minute); !errors.Is(err, ErrLeaseLost) {
					t.Fatalf("progress after the cancel: %v, want ErrLeaseLost", err)
				}
				if err := a.AppendJobResult(ctx, j.ID, "w", 1, []byte("more")); !errors.Is(err, ErrLeaseLost) {
					t.Fatalf("chunk after the cancel: %v, want ErrLeaseLost", err)
				}
				if ok, err := a.FinishCancelledJob(ctx, j.ID, "someone-else"); ok || err != nil {
					t.Fatalf("another instance finished the cancel: %v %v", ok, err)
				}
				if ok, err := a.FinishCancelledJob(ctx, j.ID, "w"); !ok || err != nil {
					t.Fatalf("finish cancel %v %v", ok, err)
				}
				if got, _ := a.Job(ctx, j.ID); got.Status != JobCancelled || chunks(j.ID) != 0 {
					t.Fatalf("job %+v with %d chunks", got, chunks(j.ID))
				}
			})

			t.Run("a cancelled job whose worker died is finished by the next claim", func(t *testing.T) {
				j, _ := a.CreateJob(ctx, Job{Kind: JobSchoolLetters, SchoolID: sc.ID, Params: `{"n":3}`})
				if _, ok, err := a.ClaimJob(ctx, "dead", time.Minute); !ok || err != nil {
					t.Fatalf("claim %v %v", ok, err)
				}
				a.AppendJobResult(ctx, j.ID, "dead", 0, []byte("half"))
				if _, err := other.CancelJob(ctx, j.ID); err != nil {
					t.Fatal(err)
				}
				advance(2 * time.Minute)
				if _, ok, _ := other.ClaimJob(ctx, "alive", time.Minute); ok {
					t.Fatal("a cancelled job was claimed again")
				}
				if got, _ := a.Job(ctx, j.ID); got.Status != JobCancelled || chunks(j.ID) != 0 {
					t.Fatalf("job %+v with %d chunks", got, chunks(j.ID))
				}
			})

			t.Run("a finished job stays as it is", func(t *testing.T) {
				j, _ := a.CreateJob(ctx, Job{Kind: JobSchoolLetters, SchoolID: sc.ID, Params: `{"n":4}`})
				a.ClaimJob(ctx, "w", time.Minute)
				if err := a.FinishJob(ctx, j.ID, "w", "x.zip", 4); err != nil {
					t.Fatal(err)
				}
				if got, err := other.CancelJob(ctx, j.ID); err != nil || got.Status != JobDone {
					t.Fatalf("cancel of a done job: %+v %v", got, err)
				}
			})
		})
	}
}
