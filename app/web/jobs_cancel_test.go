package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"jiashu/app/jobs"
	"jiashu/store"
)

func TestCancelQueuedJob(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			admin := newBrowser(t, f.srv.URL)
			admin.login("adminA")
			r := admin.post("/schools/"+itoa(f.schoolA)+"/letters", url.Values{})
			m := jobPath.FindStringSubmatch(r.Location)
			if m == nil {
				t.Fatalf("start: %d %q", r.Status, r.Location)
			}
			if p := admin.get(r.Location); !strings.Contains(p.Body, `action="/jobs/`+m[1]+`/cancel"`) {
				t.Fatal("the queued job's page offers no cancel button")
			}
			if c := admin.post(r.Location+"/cancel", nil); c.Status != http.StatusSeeOther || c.Location != r.Location {
				t.Fatalf("cancel: %d %q", c.Status, c.Location)
			}
			t.Run("the job is cancelled at once and its page says so", func(t *testing.T) {
				p := admin.get(r.Location)
				if !strings.Contains(p.Body, "已取消") || strings.Contains(p.Body, `http-equiv="refresh"`) || strings.Contains(p.Body, "/cancel") {
					t.Fatalf("page of a cancelled job: %.900s", p.Body)
				}
				if j, _ := f.st.Job(context.Background(), mustID(t, m[1])); j.Status != store.JobCancelled || j.FinishedAt.IsZero() {
					t.Fatalf("job %+v", j)
				}
			})
			t.Run("no runner picks it up", func(t *testing.T) {
				if ran, err := testRunner(t, f, "w").RunOnce(context.Background()); ran || err != nil {
					t.Fatalf("ran %v, err %v", ran, err)
				}
			})
			t.Run("cancelling a finished job through the API is a conflict", func(t *testing.T) {
				if c := admin.post("/api/v1/jobs/"+m[1]+"/cancel", nil, "Content-Type", "application/json"); c.Status != http.StatusConflict {
					t.Fatalf("status %d, want 409; %s", c.Status, c.Body)
				}
			})
			t.Run("a new job can be started after the cancel", func(t *testing.T) {
				again := admin.post("/schools/"+itoa(f.schoolA)+"/letters", url.Values{})
				if again.Location == r.Location || jobPath.FindStringSubmatch(again.Location) == nil {
					t.Fatalf("start again went to %q", again.Location)
				}
			})
		})
	}
}

// TestCancelRunningJobFromAnotherInstance: the job runs on one instance,
// the administrator cancels it through another; the worker stops at its
// next progress check, the job ends cancelled and its partial result is gone.
func TestCancelRunningJobFromAnotherInstance(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			ctx := context.Background()
			j, err := f.st.CreateJob(ctx, store.Job{Kind: store.JobReminders, SchoolID: f.schoolA, Params: "{}", CreatedBy: f.users["adminA"].ID})
			if err != nil {
				t.Fatal(err)
			}
			worker := testRunner(t, f, "worker")
			started := make(chan struct{})
			steps := 0
			// A job that writes part of a result, then reports progress
			// step by step until it is told to stop.
			jobs.AddWorker(worker, jobs.WorkFunc[jobs.SendReminders](func(ctx context.Context, j *jobs.Task, _ jobs.SendReminders) (string, error) {
				if err := f.st.AppendJobResult(ctx, j.ID, worker.Instance, 0, []byte("partial")); err != nil {
					return "", err
				}
				close(started)
				for steps = 1; steps < 10000; steps++ {
					if err := j.Report(ctx, steps, 10000, jobs.SendSummary{}); err != nil {
						return "", err
					}
					time.Sleep(10 * time.Millisecond)
				}
				return "", nil
			}))
			done := make(chan error, 1)
			exited := make(chan struct{})
			wctx, stop := context.WithCancel(ctx)
			go func() {
				defer close(exited)
				_, err := worker.RunOnce(wctx)
				done <- err
			}()
			t.Cleanup(func() { // a failed test does not leave the worker running
				stop()
				select {
				case <-exited:
				case <-time.After(5 * time.Second):
				}
			})
			<-started

			other, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			admin := newBrowser(t, f.serve(t, other).URL)
			admin.login("adminA")
			jobURL := "/jobs/" + itoa(j.ID)
			if p := admin.get(jobURL); !strings.Contains(p.Body, "停止发送") {
				t.Fatalf("the running job's page offers no way to stop it: %.900s", p.Body)
			}
			if c := admin.post(jobURL+"/cancel", nil); c.Status != http.StatusSeeOther {
				t.Fatalf("cancel: %d %.300s", c.Status, c.Body)
			}
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("worker: %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("the worker did not stop")
			}
			if steps >= 10000 {
				t.Fatal("the worker ran to the end")
			}
			got, _ := other.Job(ctx, j.ID)
			if got.Status != store.JobCancelled {
				t.Fatalf("status %q, want cancelled", got.Status)
			}
			var chunks int
			other.DB().QueryRow(other.Rebind(`SELECT COUNT(*) FROM job_chunks WHERE job_id = ?`), j.ID).Scan(&chunks)
			if chunks != 0 {
				t.Errorf("%d chunks of the partial result left", chunks)
			}
			if p := admin.get(jobURL); !strings.Contains(p.Body, "已取消") || strings.Contains(p.Body, `http-equiv="refresh"`) {
				t.Errorf("page after the cancel: %.900s", p.Body)
			}
			var audited int
			other.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'job_cancelled'`).Scan(&audited)
			if audited != 1 {
				t.Errorf("%d job_cancelled audit entries, want 1", audited)
			}
		})
	}
}
