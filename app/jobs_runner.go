package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"jiashu/letters"
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

// jobRunner claims and runs jobs, one at a time per instance (a job uses
// every core already: the letters engine typesets classes in parallel).
type jobRunner struct {
	st       *store.Store
	cfg      Config
	eng      *letters.Engine
	log      *slog.Logger
	now      func() time.Time
	instance string        // who claims, as recorded in jobs.claimed_by
	lease    time.Duration // jobLease; tests shorten it
	poll     time.Duration
	wake     chan struct{}
	// remind runs a reminders job (server.runReminderJob): it needs the
	// server's gateway, texts and clock. Nil on a runner of letters only.
	remind func(ctx context.Context, r *jobRunner, j store.Job) error
}

func newJobRunner(st *store.Store, cfg Config, eng *letters.Engine, log *slog.Logger, now func() time.Time) *jobRunner {
	return &jobRunner{st: st, cfg: cfg, eng: eng, log: log, now: now, instance: instanceID(),
		lease: jobLease, poll: jobPoll, wake: make(chan struct{}, 1)}
}

// instanceID names this process among the instances sharing the database.
func instanceID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Notify wakes the runner: a job was just queued on this instance.
func (r *jobRunner) Notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run claims and runs jobs until ctx ends.
func (r *jobRunner) Run(ctx context.Context) {
	r.log.Info("job runner started", "instance", r.instance)
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
		case <-time.After(r.poll):
		}
	}
}

// RunOnce claims one job and runs it to the end; ran is false when there
// was nothing to do.
func (r *jobRunner) RunOnce(ctx context.Context) (ran bool, err error) {
	j, ok, err := r.st.ClaimJob(ctx, r.instance, r.lease)
	if err != nil || !ok {
		return false, err
	}
	r.log.Info("job claimed", "job", j.ID, "kind", j.Kind, "attempt", j.Attempts)
	jctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Renew the lease while the job runs; losing it (another instance took
	// the job after a long stall) stops this worker.
	go func() {
		t := time.NewTicker(r.lease / 3)
		defer t.Stop()
		for {
			select {
			case <-jctx.Done():
				return
			case <-t.C:
				if err := r.st.RenewJobLease(jctx, j.ID, r.instance, r.lease); err != nil {
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
		err = r.st.FinishJob(ctx, j.ID, r.instance, name, size)
		r.log.Info("job done", "job", j.ID, "bytes", size)
	case ctx.Err() != nil:
		// Shutting down: hand the job back so the next instance (or this
		// one, restarted) starts it at once. Should that fail, the lease
		// runs out and it is picked up all the same.
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := r.st.ReleaseJob(rctx, j.ID, r.instance); err != nil {
			r.log.Warn("release job", "job", j.ID, "err", err)
		}
		r.log.Info("job released for another instance", "job", j.ID)
		return true, nil
	case errors.Is(runErr, store.ErrLeaseLost):
		// Cancelled (handled below), or another instance took it over after
		// this one stalled.
		err = runErr
	default:
		var pe problemError
		msg := "生成失败，请稍后重试；如果再次失败，请联系管理员。"
		if errors.As(runErr, &pe) {
			msg = pe.msg
		} else {
			r.log.Error("job failed", "job", j.ID, "err", runErr)
		}
		err = r.st.FailJob(ctx, j.ID, r.instance, msg)
	}
	if errors.Is(err, store.ErrLeaseLost) {
		// The job is no longer running under this instance: someone
		// cancelled it (its partial result goes) or another instance took it.
		cancelled, cerr := r.st.FinishCancelledJob(ctx, j.ID, r.instance)
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

// problemError is a failure people can act on; its message is shown on the
// job's page as it is.
type problemError struct{ msg string }

func (e problemError) Error() string { return e.msg }

// runJob produces the job's result into the database and returns its file
// name and size.
func (r *jobRunner) runJob(ctx context.Context, j store.Job) (string, int64, error) {
	w := &chunkWriter{ctx: ctx, st: r.st, job: j.ID, instance: r.instance}
	var name string
	var err error
	switch j.Kind {
	case store.JobSchoolLetters:
		name, err = r.schoolLetters(ctx, j, w)
	case store.JobCampaignLetters:
		name, err = r.campaignLetters(ctx, j, w)
	case store.JobReminders:
		if r.remind == nil {
			return "", 0, fmt.Errorf("job %d: this runner sends no reminders", j.ID)
		}
		return "", 0, r.remind(ctx, r, j)
	default:
		err = fmt.Errorf("job %d: unknown kind %q", j.ID, j.Kind)
	}
	if err == nil {
		err = w.Close()
	}
	return name, w.n, err
}

// progress records done of total, renewing the lease; a lost lease stops
// the writer at its next chunk.
func (r *jobRunner) progress(ctx context.Context, j store.Job, w *chunkWriter) func(done, total int) {
	return func(done, total int) {
		if err := r.st.JobProgress(ctx, j.ID, r.instance, done, total, r.lease); err != nil && w.err == nil {
			w.err = err
		}
	}
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
