package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"
)

// Job kinds.
const (
	JobSchoolLetters   = "school_letters"   // the letters of one school as a ZIP
	JobCampaignLetters = "campaign_letters" // the letters of every school of a campaign as one ZIP
	JobReminders       = "reminders"        // reminder SMS through the gateway for a class, school or campaign
)

// Job statuses, in the order a job goes through them.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
	// JobCancelling is a running job someone cancelled: its worker stops
	// at its next progress or lease check and marks it JobCancelled.
	JobCancelling = "cancelling"
	JobCancelled  = "cancelled"
)

// JobMaxAttempts is how many times a job is started before a job whose
// instance keeps dying is given up as failed.
const JobMaxAttempts = 3

// ErrLeaseLost says the job is no longer this instance's: its lease ran out
// and another instance claimed it, or it was finished. The worker stops.
var ErrLeaseLost = errors.New("store: job lease lost")

// Job is a background job recorded in the database, so that it survives a
// restart and any instance can report its progress and serve its result.
type Job struct {
	ID         int64
	Kind       string // JobSchoolLetters or JobCampaignLetters
	SchoolID   int64  // the school of a school job; 0 for a campaign job
	CampaignID int64
	Params     string // JSON, kind-specific
	Status     string // JobQueued … JobFailed
	Done       int    // progress: classes written …
	Total      int    // … of this many
	ResultName string // file name of the result, once done
	ResultSize int64  // bytes of the result
	Error      string // why it failed, for people
	Attempts   int
	CreatedBy  int64
	CreatedAt  time.Time
	StartedAt  time.Time // zero until claimed
	FinishedAt time.Time // zero until done or failed
	ClaimedBy  string    // instance id of the worker
	LeaseUntil time.Time // the worker's claim ends then unless renewed
	Outcome    string    // JSON, kind-specific counts (a reminders job: sent, failed, skipped)
	// RunAt is when a job waiting for its time may start (a send asked for
	// in the quiet hours goes at 08:00); zero for at once.
	RunAt time.Time
}

// Scheduled says whether the job waits for its time.
func (j Job) Scheduled() bool { return j.Status == JobQueued && !j.RunAt.IsZero() }

// Finished says whether the job is done, failed or cancelled.
func (j Job) Finished() bool {
	return j.Status == JobDone || j.Status == JobFailed || j.Status == JobCancelled
}

// Cancellable says whether the job may still be cancelled.
func (j Job) Cancellable() bool { return j.Status == JobQueued || j.Status == JobRunning }

// Percent is the job's progress from 0 to 100.
func (j Job) Percent() int {
	if j.Status == JobDone {
		return 100
	}
	if j.Total <= 0 {
		return 0
	}
	return j.Done * 100 / j.Total
}

const jobCols = `id, kind, school_id, campaign_id, params, status, done, total, result_name, result_size, error,
	attempts, created_by, created_at, started_at, finished_at, claimed_by, lease_until, outcome, run_at`

func scanJob(row interface{ Scan(...any) error }) (Job, error) {
	var j Job
	var school, campaign, by sql.NullInt64
	var started, finished, lease, runAt sql.NullTime
	err := row.Scan(&j.ID, &j.Kind, &school, &campaign, &j.Params, &j.Status, &j.Done, &j.Total, &j.ResultName,
		&j.ResultSize, &j.Error, &j.Attempts, &by, &j.CreatedAt, &started, &finished, &j.ClaimedBy, &lease, &j.Outcome, &runAt)
	j.SchoolID, j.CampaignID, j.CreatedBy = school.Int64, campaign.Int64, by.Int64
	j.CreatedAt = j.CreatedAt.UTC()
	j.StartedAt, j.FinishedAt, j.LeaseUntil, j.RunAt = utcOrZero(started), utcOrZero(finished), utcOrZero(lease), utcOrZero(runAt)
	return j, err
}

func utcOrZero(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// CreateJob queues j (Kind, SchoolID, CampaignID, Params, CreatedBy, and
// RunAt for a job that waits for its time) and returns it as stored.
func (s *Store) CreateJob(ctx context.Context, j Job) (Job, error) {
	if j.Params == "" {
		j.Params = "{}"
	}
	var runAt any
	if !j.RunAt.IsZero() {
		runAt = j.RunAt.UTC()
	}
	out, err := scanJob(s.db.QueryRowContext(ctx, s.Rebind(`INSERT INTO jobs
		(kind, school_id, campaign_id, params, status, created_by, created_at, run_at) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)
		RETURNING `+jobCols), j.Kind, nullID(j.SchoolID), nullID(j.CampaignID), j.Params, nullID(j.CreatedBy), s.Now(), runAt))
	if err != nil {
		return Job{}, fmt.Errorf("store: create %s job: %w", j.Kind, err)
	}
	return out, nil
}

// PendingJob returns the queued or running job of that kind for the school
// (0 for none) and campaign with the same params, if there is one, so that
// a second click does not start the same work twice — while a different
// request (duplex, another class's reminders) is work of its own, and so
// is a job waiting for its time (ScheduledJob).
func (s *Store) PendingJob(ctx context.Context, kind string, schoolID, campaignID int64, params string) (Job, bool, error) {
	j, err := scanJob(s.db.QueryRowContext(ctx, s.Rebind(`SELECT `+jobCols+` FROM jobs
		WHERE kind = ? AND COALESCE(school_id, 0) = ? AND COALESCE(campaign_id, 0) = ? AND params = ? AND status IN ('queued', 'running')
		AND run_at IS NULL ORDER BY id DESC LIMIT 1`), kind, schoolID, campaignID, params))
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, false, nil
	}
	if err != nil {
		return Job{}, false, fmt.Errorf("store: pending %s job: %w", kind, err)
	}
	return j, true, nil
}

// Job returns the job with id.
func (s *Store) Job(ctx context.Context, id int64) (Job, error) {
	j, err := scanJob(s.db.QueryRowContext(ctx, s.Rebind(`SELECT `+jobCols+` FROM jobs WHERE id = ?`), id))
	if err != nil {
		return Job{}, notFound(err, fmt.Sprintf("job %d", id))
	}
	return j, nil
}

// SchoolJobs lists the latest limit jobs of a school, newest first.
func (s *Store) SchoolJobs(ctx context.Context, schoolID int64, limit int) ([]Job, error) {
	return s.jobs(ctx, `school_id = ? AND kind = 'school_letters'`, schoolID, limit)
}

// CampaignJobs lists the latest limit district jobs of a campaign, newest
// first.
func (s *Store) CampaignJobs(ctx context.Context, campaignID int64, limit int) ([]Job, error) {
	return s.jobs(ctx, `campaign_id = ? AND kind = 'campaign_letters'`, campaignID, limit)
}

func (s *Store) jobs(ctx context.Context, where string, arg any, limit int) ([]Job, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT `+jobCols+` FROM jobs WHERE `+where+` ORDER BY id DESC LIMIT ?`), arg, limit)
	if err != nil {
		return nil, fmt.Errorf("store: jobs: %w", err)
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("store: jobs: %w", err)
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// claimable is the condition of a job an instance may take: queued (and
// its time come, for a job that waits for it), or running under a lease
// that has run out (its instance died or hung).
const claimable = `((status = 'queued' AND (run_at IS NULL OR run_at <= ?)) OR (status = 'running' AND lease_until < ?)) AND attempts < ?`

// ClaimJob takes the oldest claimable job for instance, for lease, and
// returns it (ok false when there is none). Exactly one caller gets a job
// however many instances ask at once: on PostgreSQL the row is picked with
// FOR UPDATE SKIP LOCKED, so instances never wait for each other; on SQLite
// the pick and the update run in one immediate (write-locked) transaction
// and the update re-checks the condition. A job that keeps losing its
// instance is marked failed after JobMaxAttempts starts.
func (s *Store) ClaimJob(ctx context.Context, instance string, lease time.Duration) (Job, bool, error) {
	now := s.Now()
	var j Job
	var ok bool
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE jobs SET status = 'failed', finished_at = ?,
			error = '生成过程多次中断，请重新开始' WHERE status = 'running' AND lease_until < ? AND attempts >= ?`),
			now, now, JobMaxAttempts); err != nil {
			return err
		}
		// A cancelled job whose worker died before it noticed.
		if err := s.finishCancel(ctx, tx, `status = 'cancelling' AND lease_until < ?`, now); err != nil {
			return err
		}
		pick := `SELECT id FROM jobs WHERE ` + claimable + ` ORDER BY id LIMIT 1`
		if s.dialect == Postgres {
			pick += ` FOR UPDATE SKIP LOCKED`
		}
		var id int64
		err := tx.QueryRowContext(ctx, s.Rebind(pick), now, now, JobMaxAttempts).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		j, err = scanJob(tx.QueryRowContext(ctx, s.Rebind(`UPDATE jobs SET status = 'running', claimed_by = ?, lease_until = ?,
			attempts = attempts + 1, started_at = ?, done = 0, error = ''
			WHERE id = ? AND `+claimable+` RETURNING `+jobCols),
			instance, now.Add(lease), now, id, now, now, JobMaxAttempts))
		if errors.Is(err, sql.ErrNoRows) {
			return nil // taken between the pick and the update
		}
		if err != nil {
			return err
		}
		ok = true
		// A job claimed again starts its result from scratch.
		_, err = tx.ExecContext(ctx, s.Rebind(`DELETE FROM job_chunks WHERE job_id = ?`), id)
		return err
	})
	if err != nil {
		return Job{}, false, fmt.Errorf("store: claim job: %w", err)
	}
	return j, ok, nil
}

// jobUpdate runs an update of a running job held by instance and says
// ErrLeaseLost when the job is not (or no longer) that.
func (s *Store) jobUpdate(ctx context.Context, q queryer, id int64, instance, set string, args ...any) error {
	args = append(args, id, instance)
	res, err := q.ExecContext(ctx, s.Rebind(`UPDATE jobs SET `+set+` WHERE id = ? AND claimed_by = ? AND status = 'running'`), args...)
	if err != nil {
		return fmt.Errorf("store: job %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: job %d: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("job %d: %w", id, ErrLeaseLost)
	}
	return nil
}

// JobProgress records progress (done of total) and renews the lease.
func (s *Store) JobProgress(ctx context.Context, id int64, instance string, done, total int, lease time.Duration) error {
	return s.jobUpdate(ctx, s.db, id, instance, `done = ?, total = ?, lease_until = ?`, done, total, s.Now().Add(lease))
}

// JobOutcome records progress (done of total) and the job's counts so far
// (outcome, JSON), and renews the lease.
func (s *Store) JobOutcome(ctx context.Context, id int64, instance string, done, total int, outcome string, lease time.Duration) error {
	return s.jobUpdate(ctx, s.db, id, instance, `done = ?, total = ?, outcome = ?, lease_until = ?`, done, total, outcome, s.Now().Add(lease))
}

// RenewJobLease extends instance's claim on job id by lease from now.
func (s *Store) RenewJobLease(ctx context.Context, id int64, instance string, lease time.Duration) error {
	return s.jobUpdate(ctx, s.db, id, instance, `lease_until = ?`, s.Now().Add(lease))
}

// AppendJobResult stores the next chunk (seq from 0) of the job's result.
func (s *Store) AppendJobResult(ctx context.Context, id int64, instance string, seq int, data []byte) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		// Checked in the same transaction, so a worker that lost the job
		// cannot add to the new worker's result.
		if err := s.jobUpdate(ctx, tx, id, instance, `claimed_by = claimed_by`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO job_chunks (job_id, seq, data) VALUES (?, ?, ?)`), id, seq, data); err != nil {
			return fmt.Errorf("store: job %d chunk %d: %w", id, seq, err)
		}
		return nil
	})
}

// FinishJob marks the job done with its result's name and size.
func (s *Store) FinishJob(ctx context.Context, id int64, instance, resultName string, size int64) error {
	return s.jobUpdate(ctx, s.db, id, instance, `status = 'done', done = total, result_name = ?, result_size = ?, finished_at = ?, lease_until = NULL`,
		resultName, size, s.Now())
}

// FailJob marks the job failed with a message for people.
func (s *Store) FailJob(ctx context.Context, id int64, instance, message string) error {
	return s.jobUpdate(ctx, s.db, id, instance, `status = 'failed', error = ?, finished_at = ?, lease_until = NULL`, cleanLogText(message), s.Now())
}

// CancelJob cancels job id: a queued job is cancelled at once; a running
// one is marked cancelling, and its worker (on whichever instance) stops at
// its next progress or lease check, since every update of a running job
// requires status 'running' (jobUpdate), and marks it cancelled
// (FinishCancelledJob). It returns the job as it now is; a job already
// finished is returned unchanged.
func (s *Store) CancelJob(ctx context.Context, id int64) (Job, error) {
	var j Job
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.finishCancel(ctx, tx, `id = ? AND status = 'queued'`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE jobs SET status = 'cancelling' WHERE id = ? AND status = 'running'`), id); err != nil {
			return err
		}
		var err error
		if j, err = scanJob(tx.QueryRowContext(ctx, s.Rebind(`SELECT `+jobCols+` FROM jobs WHERE id = ?`), id)); err != nil {
			return notFound(err, fmt.Sprintf("job %d", id))
		}
		return nil
	})
	if err != nil {
		return Job{}, fmt.Errorf("store: cancel job %d: %w", id, err)
	}
	return j, nil
}

// FinishCancelledJob marks job id cancelled if it is cancelling under
// instance's claim, deleting its partial result; ok says whether it was.
func (s *Store) FinishCancelledJob(ctx context.Context, id int64, instance string) (bool, error) {
	var ok bool
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) FROM jobs WHERE id = ? AND claimed_by = ? AND status = 'cancelling'`),
			id, instance).Scan(&n); err != nil {
			return err
		}
		ok = n > 0
		return s.finishCancel(ctx, tx, `id = ? AND claimed_by = ? AND status = 'cancelling'`, id, instance)
	})
	if err != nil {
		return false, fmt.Errorf("store: finish cancelled job %d: %w", id, err)
	}
	return ok, nil
}

// finishCancel marks the jobs matching where cancelled and deletes their
// partial results.
func (s *Store) finishCancel(ctx context.Context, tx *sql.Tx, where string, args ...any) error {
	if _, err := tx.ExecContext(ctx, s.Rebind(`DELETE FROM job_chunks WHERE job_id IN (SELECT id FROM jobs WHERE `+where+`)`), args...); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, s.Rebind(`UPDATE jobs SET status = 'cancelled', finished_at = ?, lease_until = NULL WHERE `+where),
		append([]any{s.Now()}, args...)...)
	return err
}

// ReleaseJob gives a running job back to the queue at once, when its
// instance stops gracefully: another instance (or this one, restarted)
// starts it again without waiting for the lease, and the interrupted start
// does not count as an attempt.
func (s *Store) ReleaseJob(ctx context.Context, id int64, instance string) error {
	return s.jobUpdate(ctx, s.db, id, instance, `status = 'queued', claimed_by = '', lease_until = NULL, done = 0,
		attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END`)
}

// PurgeJobResults deletes the results of jobs finished before cutoff: the
// ZIPs hold every student's name and must not linger. The jobs stay, with
// an empty ResultName, so their pages can say the file has expired. It
// returns how many results went.
func (s *Store) PurgeJobResults(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.Rebind(`DELETE FROM job_chunks WHERE job_id IN
			(SELECT id FROM jobs WHERE status = 'done' AND result_name <> '' AND finished_at < ?)`), cutoff.UTC()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.Rebind(`UPDATE jobs SET result_name = '', result_size = 0
			WHERE status = 'done' AND result_name <> '' AND finished_at < ?`), cutoff.UTC())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge job results: %w", err)
	}
	return n, nil
}

// WriteJobResult copies a done job's result to w, chunk by chunk (one
// chunk in memory at a time).
func (s *Store) WriteJobResult(ctx context.Context, id int64, w io.Writer) (int64, error) {
	var n int64
	for seq := 0; ; seq++ {
		var data []byte
		err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT data FROM job_chunks WHERE job_id = ? AND seq = ?`), id, seq).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("store: job %d result: %w", id, err)
		}
		m, err := w.Write(data)
		n += int64(m)
		if err != nil {
			return n, fmt.Errorf("store: job %d result: %w", id, err)
		}
	}
}
