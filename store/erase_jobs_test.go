package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestErasureReachesStoredLettersJobs: erasing a family deletes the stored
// ZIPs of every letters job of their school (and the campaign's own) that
// may hold their letters, lists them in the dry run, sends a running job
// back to the queue, and leaves another school's job alone;
// DropErasedJobOutputs reaches the copies an older erasure left.
func TestErasureReachesStoredLettersJobs(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newPurgeFixture(t, s) // school A's done jobs of both campaigns
		jobs, _ := s.SchoolJobs(ctx, f.schoolA.ID, 10)
		var held []int64
		for _, j := range jobs {
			held = append(held, j.ID)
		}
		whole := finishedCampaignJob(t, s, f.running.ID)
		var schoolB int64
		if err := s.DB().QueryRowContext(ctx, `SELECT id FROM schools WHERE name = '明德中学'`).Scan(&schoolB); err != nil {
			t.Fatal(err)
		}
		other := finishedJob(t, s, schoolB, f.running.ID)
		running, err := s.CreateJob(ctx, Job{Kind: JobSchoolLetters, SchoolID: f.schoolA.ID, CampaignID: f.running.ID, Params: `{"duplex":true}`})
		if err != nil {
			t.Fatal(err)
		}
		if j, ok, err := s.ClaimJob(ctx, "i2", time.Minute); err != nil || !ok || j.ID != running.ID {
			t.Fatalf("claim: %+v %v %v", j, ok, err)
		}
		if err := s.AppendJobResult(ctx, running.ID, "i2", 0, []byte("half a zip with names")); err != nil {
			t.Fatal(err)
		}
		held = append(held, whole.ID, running.ID)
		slices.Sort(held)
		first := f.doneLetters[0].StudentID
		chunks := func(id int64) int { return countRows(t, s, `SELECT COUNT(*) FROM job_chunks WHERE job_id = ?`, id) }

		dry, err := s.EraseFamily(ctx, first, EraseOptions{DryRun: true})
		if err != nil || dry.Counts.Jobs != len(held) || fmt.Sprint(jobIDs(dry.Jobs)) != fmt.Sprint(held) {
			t.Fatalf("dry run lists jobs %v (%d), %v; want %v", jobIDs(dry.Jobs), dry.Counts.Jobs, err, held)
		}
		for _, id := range held {
			if chunks(id) == 0 {
				t.Fatalf("the dry run deleted job %d's output", id)
			}
		}
		res, err := s.EraseFamily(ctx, first, EraseOptions{})
		if err != nil || fmt.Sprint(jobIDs(res.Jobs)) != fmt.Sprint(held) {
			t.Fatalf("erasure reached jobs %v, %v; want %v", jobIDs(res.Jobs), err, held)
		}
		for _, id := range held {
			j, _ := s.Job(ctx, id)
			switch {
			case chunks(id) != 0:
				t.Errorf("job %d still holds %d chunks", id, chunks(id))
			case id == running.ID && (j.Status != JobQueued || j.ClaimedBy != ""):
				t.Errorf("the running job is %s (claimed by %q), want queued again", j.Status, j.ClaimedBy)
			case id != running.ID && (j.Status != JobDone || j.ResultName != ""):
				t.Errorf("done job %d: status %s, result %q; want done without a file", id, j.Status, j.ResultName)
			}
		}
		st, err := s.Student(ctx, first)
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.ClassPrint(ctx, f.running.ID, st.ClassID, nil)
		if err != nil || len(p.Students) == 0 {
			t.Fatalf("class print after the erasure: %d students, %v", len(p.Students), err)
		}
		for _, ps := range p.Students {
			if ps.Student.ID == first {
				t.Errorf("the restarted job would print a letter to the erased family (%q)", ps.Student.Name)
			}
		}
		if _, err := s.ClassPrint(ctx, f.running.ID, st.ClassID, []int64{first}); !errors.Is(err, ErrNotFound) {
			t.Errorf("the erased student's own letter: %v, want not found", err)
		}
		if err := s.AppendJobResult(ctx, running.ID, "i2", 1, []byte("more")); !errors.Is(err, ErrLeaseLost) {
			t.Errorf("the old worker appended to the restarted job: %v", err)
		}
		if j, _ := s.Job(ctx, other.ID); chunks(other.ID) != 1 || j.ResultName == "" {
			t.Errorf("another school's job lost its file")
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'personal_data_erased' AND detail LIKE '%"jobs":4%'`); n != 1 {
			t.Errorf("the audit entry does not count the jobs (%d)", n)
		}

		t.Run("a copy left by an earlier erasure is reached by DropErasedJobOutputs", func(t *testing.T) {
			// As an erasure before this change left it: a job of school A made
			// no later than the erasure, still holding its ZIP. (The restarted
			// job is cancelled first, so the new one is claimed.)
			if _, err := s.CancelJob(ctx, running.ID); err != nil {
				t.Fatal(err)
			}
			left := finishedJob(t, s, f.schoolA.ID, f.running.ID)
			if _, err := s.DB().ExecContext(ctx, s.Rebind(`UPDATE jobs SET created_at = ? WHERE id = ?`), s.Now().Add(-time.Hour), left.ID); err != nil {
				t.Fatal(err)
			}
			got, err := s.DropErasedJobOutputs(ctx)
			if err != nil || fmt.Sprint(jobIDs(got)) != fmt.Sprint([]int64{left.ID}) || chunks(left.ID) != 0 {
				t.Fatalf("swept %v, %v; want [%d] without chunks", jobIDs(got), err, left.ID)
			}
			if chunks(other.ID) != 1 {
				t.Error("the sweep reached another school's job")
			}
		})
	})
}

// finishedCampaignJob makes a done letters job of a whole campaign with a ZIP.
func finishedCampaignJob(t *testing.T, s *Store, campaignID int64) Job {
	t.Helper()
	return doneJob(t, s, Job{Kind: JobCampaignLetters, CampaignID: campaignID}, "全部学校.zip", "PK zip of every school")
}

func jobIDs(js []Job) []int64 {
	var out []int64
	for _, j := range js {
		out = append(out, j.ID)
	}
	return out
}
