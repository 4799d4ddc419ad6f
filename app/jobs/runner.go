// Package jobs runs the background work of the service: a school's or a
// campaign's letters, and reminder texts through the SMS gateway. Jobs live
// in the database (store/jobs.go), so any instance may run any job; the
// runner maps a job's kind to its handler.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"jiashu/problem"
	"jiashu/store"
)

// Background jobs (letters of a school or of a whole campaign) live in the
// jobs table, not in memory: any instance may claim a queued job, the
// claim is a lease the worker renews while it works, and a job whose
// instance died is claimed again once its lease runs out (store/jobs.go).
// The result ZIP is stored in the database in chunks, so whichever
// instance the browser reaches can serve the download, and nothing is
// lost when the worker's disk or process goes away.

const (
	// jobLease is how long a claim lasts without renewal: how soon another
	// instance takes over the job of one that died.
	jobLease = time.Minute
	// jobPoll is how often an idle runner looks for queued jobs (a job
	// started on this instance wakes it at once).
	jobPoll = 3 * time.Second
	// jobChunk is the size of the pieces the result is stored in.
	jobChunk = 4 << 20
	// jobResultRetention is how long a finished job's ZIP is kept: it holds
	// every student's name, so it goes once it has served its purpose.
	jobResultRetention = 7 * 24 * time.Hour
	// jobPurgeEvery is how often a runner deletes expired results.
	jobPurgeEvery = time.Hour
)

// Runner claims and runs jobs, one at a time per instance (a job uses
// every core already: the letters engine typesets classes in parallel).
type Runner struct {
	st       *store.Store
	log      *slog.Logger
	now      func() time.Time
	Instance string        // who claims, as recorded in jobs.claimed_by
	Lease    time.Duration // jobLease; tests shorten it
	Poll     time.Duration // jobPoll; tests shorten it
	wake     chan struct{}
	handlers map[string]handler
}

// handler runs one kind of job: it writes the job's result (if any) to the
// task and returns the result's file name.
type handler func(ctx context.Context, t *Task) (resultName string, err error)

// Worker does the jobs of one kind, whose parameters are A (in the manner
// of river's Worker[T]): it writes the job's result (if any) to the task
// and returns the result's file name.
type Worker[A Args] interface {
	Work(ctx context.Context, t *Task, args A) (resultName string, err error)
}

// WorkFunc is a function as a Worker.
type WorkFunc[A Args] func(ctx context.Context, t *Task, args A) (string, error)

// Work calls f.
func (f WorkFunc[A]) Work(ctx context.Context, t *Task, args A) (string, error) {
	return f(ctx, t, args)
}

// AddWorker makes w the worker of the jobs of A's kind. The runner decodes
// a job's parameters once, before w sees them: parameters that do not
// decode fail the job (ErrParams), whatever its kind.
func AddWorker[A Args](r *Runner, w Worker[A]) {
	var kind A
	r.handlers[kind.Kind()] = func(ctx context.Context, t *Task) (string, error) {
		args, err := Decode[A](t.Job)
		if err != nil {
			return "", err
		}
		return w.Work(ctx, t, args)
	}
}

// New returns a runner of no kind of job: AddWorker adds them.
func New(st *store.Store, log *slog.Logger, now func() time.Time) *Runner {
	return &Runner{st: st, log: log, now: now, Instance: instanceID(),
		Lease: jobLease, Poll: jobPoll, wake: make(chan struct{}, 1), handlers: map[string]handler{}}
}

// instanceID names this process among the instances sharing the database.
func instanceID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Notify wakes the runner: a job was just queued on this instance.
func (r *Runner) Notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run claims and runs jobs until ctx ends.
func (r *Runner) Run(ctx context.Context) {
	r.log.Info("job runner started", "instance", r.Instance)
	var purged time.Time
	for {
		if r.now().Sub(purged) >= jobPurgeEvery {
			purged = r.now()
			if n, err := r.st.PurgeJobResults(ctx, purged.Add(-jobResultRetention)); err != nil && ctx.Err() == nil {
				r.log.Error("purge job results", "err", err)
			} else if n > 0 {
				r.log.Info("job results purged", "jobs", n)
			}
		}
		ran, err := r.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			r.log.Error("job runner", "err", err)
		}
		if ran {
			continue // there may be more
		}
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		case <-time.After(r.Poll):
		}
	}
}

// RunOnce claims one job and runs it to the end; ran is false when there
// was nothing to do.
func (r *Runner) RunOnce(ctx context.Context) (ran bool, err error) {
	j, ok, err := r.st.ClaimJob(ctx, r.Instance, r.Lease)
	if err != nil || !ok {
		return false, err
	}
	r.log.Info("job claimed", "job", j.ID, "kind", j.Kind, "attempt", j.Attempts)
	jctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Renew the lease while the job runs; losing it (another instance took
	// the job after a long stall) stops this worker.
	go func() {
		t := time.NewTicker(r.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-jctx.Done():
				return
			case <-t.C:
				if err := r.st.RenewJobLease(jctx, j.ID, r.Instance, r.Lease); err != nil {
					if jctx.Err() == nil {
						r.log.Warn("job lease", "job", j.ID, "err", err)
					}
					cancel()
					return
				}
			}
		}
	}()
	name, size, runErr := r.runJob(jctx, j)
	switch {
	case runErr == nil:
		err = r.st.FinishJob(ctx, j.ID, r.Instance, name, size)
		r.log.Info("job done", "job", j.ID, "bytes", size)
	case ctx.Err() != nil:
		// Shutting down: hand the job back so the next instance (or this
		// one, restarted) starts it at once. Should that fail, the lease
		// runs out and it is picked up all the same.
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := r.st.ReleaseJob(rctx, j.ID, r.Instance); err != nil {
			r.log.Warn("release job", "job", j.ID, "err", err)
		}
		r.log.Info("job released for another instance", "job", j.ID)
		return true, nil
	case errors.Is(runErr, store.ErrLeaseLost):
		// Cancelled (handled below), or another instance took it over after
		// this one stalled.
		err = runErr
	default:
		msg := "生成失败，请稍后重试；如果再次失败，请联系管理员。"
		if m := problem.Message(runErr); m != "" {
			msg = m
		} else {
			r.log.Error("job failed", "job", j.ID, "err", runErr)
		}
		err = r.st.FailJob(ctx, j.ID, r.Instance, msg)
	}
	if errors.Is(err, store.ErrLeaseLost) {
		// The job is no longer running under this instance: someone
		// cancelled it (its partial result goes) or another instance took it.
		cancelled, cerr := r.st.FinishCancelledJob(ctx, j.ID, r.Instance)
		if cerr != nil {
			return true, cerr
		}
		if cancelled {
			r.log.Info("job cancelled", "job", j.ID)
		} else {
			r.log.Warn("job stopped", "job", j.ID, "err", err)
		}
		err = nil
	}
	return true, err
}

// refused is a job's failure people can act on: its message is shown on
// the job's page as it is (any problem.Error's is).
func refused(msg string) error { return &problem.Error{Code: problem.Conflict, Message: msg} }

// Task is a claimed job as its handler sees it: the job, where its result
// goes (Write), and its progress.
type Task struct {
	store.Job
	r   *Runner
	out *chunkWriter
}

// Write appends to the job's result.
func (t *Task) Write(p []byte) (int, error) { return t.out.Write(p) }

// Progress records done of total, renewing the lease; a lost lease stops
// the result's writer at its next chunk.
func (t *Task) Progress(done, total int) {
	if err := t.r.st.JobProgress(t.out.ctx, t.ID, t.r.Instance, done, total, t.r.Lease); err != nil && t.out.err == nil {
		t.out.err = err
	}
}

// runJob runs the job's handler, its result going into the database, and
// returns the result's file name and size.
func (r *Runner) runJob(ctx context.Context, j store.Job) (string, int64, error) {
	h, ok := r.handlers[j.Kind]
	if !ok {
		return "", 0, fmt.Errorf("jobs: job %d: no handler of kind %q on this instance", j.ID, j.Kind)
	}
	t := &Task{Job: j, r: r, out: &chunkWriter{ctx: ctx, st: r.st, job: j.ID, instance: r.Instance}}
	name, err := h(ctx, t)
	if err == nil {
		err = t.out.Close()
	}
	return name, t.out.n, err
}

// chunkWriter stores what is written to it as the job's result, in chunks
// of jobChunk bytes.
type chunkWriter struct {
	ctx      context.Context
	st       *store.Store
	job      int64
	instance string
	buf      []byte
	seq      int
	n        int64
	err      error
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if err := w.ctx.Err(); err != nil {
		return 0, err
	}
	w.buf = append(w.buf, p...)
	w.n += int64(len(p))
	if len(w.buf) >= jobChunk {
		if err := w.flush(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (w *chunkWriter) flush() error {
	if len(w.buf) == 0 {
		return w.err
	}
	if err := w.st.AppendJobResult(w.ctx, w.job, w.instance, w.seq, w.buf); err != nil {
		w.err = err
		return err
	}
	w.seq++
	w.buf = w.buf[:0]
	return nil
}

// Close stores the last chunk.
func (w *chunkWriter) Close() error {
	if w.err != nil {
		return w.err
	}
	return w.flush()
}
