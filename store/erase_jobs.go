package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// A letters job keeps its result, a ZIP of class PDFs with every student's
// name and letter code, in job_chunks for a week (PurgeJobResults). An
// erasure reaches those copies here, in its own transaction: every letters
// job of a campaign the erased students had letters in, of their school
// (or of every school, for a campaign's job), that holds output — stored
// chunks, or a worker writing them — loses it. A finished job's file is
// deleted (its page then says the file is gone and offers to make it
// again, without the erased family); a running job is put back in the
// queue, so it starts again from the database as it is after the erasure
// and its worker, which finds the job no longer its own, stops.

// heldJobs selects the letters jobs with output whose campaign and school
// hold the students the condition appended to it names (as st and l).
const heldJobs = `SELECT DISTINCT j.id FROM jobs j
	JOIN letters l ON l.campaign_id = j.campaign_id
	JOIN students st ON st.id = l.student_id
	WHERE j.kind IN ('` + JobSchoolLetters + `', '` + JobCampaignLetters + `') AND (j.school_id IS NULL OR j.school_id = st.school_id)
	AND (j.status = 'running' OR EXISTS (SELECT 1 FROM job_chunks c WHERE c.job_id = j.id)) AND `

// jobsHolding returns the letters jobs whose output may hold a letter of
// one of the students ids.
func (s *Store) jobsHolding(ctx context.Context, tx *sql.Tx, ids []int64) ([]Job, error) {
	jobIDs, err := s.queryIDsIn(ctx, tx, heldJobs+`l.student_id IN (…)`, ids)
	if err != nil {
		return nil, fmt.Errorf("jobs holding the students: %w", err)
	}
	return s.jobsByID(ctx, tx, jobIDs)
}

// jobsByID loads jobs in id order, each once.
func (s *Store) jobsByID(ctx context.Context, tx *sql.Tx, ids []int64) ([]Job, error) {
	seen := map[int64]bool{}
	var out []Job
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		j, err := scanJob(tx.QueryRowContext(ctx, s.Rebind(`SELECT `+jobCols+` FROM jobs WHERE id = ?`), id))
		if err != nil {
			return nil, fmt.Errorf("job %d: %w", id, err)
		}
		out = append(out, j)
	}
	slices.SortFunc(out, func(a, b Job) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// dropJobOutputs deletes the stored output of jobs: a finished job's file
// goes (its ResultName emptied, as after PurgeJobResults), a running job
// goes back to the queue to start again, a failed or cancelled one keeps
// no partial chunks.
func (s *Store) dropJobOutputs(ctx context.Context, tx *sql.Tx, jobs []Job) error {
	if len(jobs) == 0 {
		return nil
	}
	ids := make([]int64, len(jobs))
	for i, j := range jobs {
		ids[i] = j.ID
	}
	for _, q := range []string{
		`DELETE FROM job_chunks WHERE job_id IN (…)`,
		`UPDATE jobs SET result_name = '', result_size = 0 WHERE status = 'done' AND id IN (…)`,
		`UPDATE jobs SET status = 'queued', claimed_by = '', lease_until = NULL, done = 0,
			attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END WHERE status = 'running' AND id IN (…)`,
	} {
		if err := s.execIn(ctx, tx, q, nil, ids); err != nil {
			return fmt.Errorf("drop job outputs (%s): %w", strings.Fields(q)[0], err)
		}
	}
	return nil
}

// DropErasedJobOutputs deletes the output of letters jobs created before
// a student of theirs was erased: the copies an erasure made before
// erasures reached jobs left behind. app retention --compact runs it; it
// returns the jobs it reached.
func (s *Store) DropErasedJobOutputs(ctx context.Context) ([]Job, error) {
	var jobs []Job
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, heldJobs+`st.erased_at IS NOT NULL AND st.erased_at >= j.created_at`)
		if err != nil {
			return err
		}
		ids, err := scanIDs(rows)
		if err != nil {
			return err
		}
		if jobs, err = s.jobsByID(ctx, tx, ids); err != nil {
			return err
		}
		return s.dropJobOutputs(ctx, tx, jobs)
	})
	if err != nil {
		return nil, fmt.Errorf("store: drop erased job outputs: %w", err)
	}
	return jobs, nil
}
