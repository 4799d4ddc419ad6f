package store

import (
	"context"
	"testing"
)

func TestJobIDsAreNeverReused(t *testing.T) {
	ctx := context.Background()
	for _, b := range testBackends() {
		t.Run(b.name, func(t *testing.T) {
			dsn := b.newDSN(t)
			s := openTest(t, dsn, 1)
			f := newPurgeFixture(t, s)

			t.Run("a job created after the newest was deleted gets a larger id", func(t *testing.T) {
				var max int64
				for range 3 {
					j, err := s.CreateJob(ctx, Job{Kind: JobSchoolLetters, SchoolID: f.schoolA.ID, CampaignID: f.running.ID})
					if err != nil {
						t.Fatal(err)
					}
					max = j.ID
				}
				// As the purge does: the job rows go.
				if _, err := s.DB().ExecContext(ctx, s.Rebind(`DELETE FROM jobs WHERE id = ?`), max); err != nil {
					t.Fatal(err)
				}
				j, err := s.CreateJob(ctx, Job{Kind: JobSchoolLetters, SchoolID: f.schoolA.ID, CampaignID: f.running.ID})
				if err != nil {
					t.Fatal(err)
				}
				if j.ID <= max {
					t.Errorf("new job got id %d, not above the deleted job's %d", j.ID, max)
				}
			})

			if b.name != "sqlite" {
				return
			}
			t.Run("rebuilding the jobs table keeps jobs, their results and reminders' job references", func(t *testing.T) {
				st, err := s.Student(ctx, f.doneLetters[10].StudentID)
				if err != nil {
					t.Fatal(err)
				}
				remID, ok, err := s.ReserveReminder(ctx, Reminder{CampaignID: f.done.ID, GuardianID: st.Guardians[0].ID, LetterID: f.doneLetters[10].ID}, f.job.ID, 3)
				if err != nil || !ok {
					t.Fatalf("reserve reminder: %v %v", ok, err)
				}
				before := countRows(t, s, `SELECT COUNT(*) FROM jobs`)
				var top int64
				if err := s.DB().QueryRowContext(ctx, `SELECT MAX(id) FROM jobs`).Scan(&top); err != nil {
					t.Fatal(err)
				}
				// Run 010 again on this data, as an upgraded database does.
				if _, err := s.DB().ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = 10`); err != nil {
					t.Fatal(err)
				}
				s.Close()
				s2 := openTest(t, dsn, 1)
				if n := countRows(t, s2, `SELECT COUNT(*) FROM jobs`); n != before {
					t.Errorf("%d jobs after the rebuild, %d before", n, before)
				}
				var buf bytesBuffer
				if _, err := s2.WriteJobResult(ctx, f.job.ID, &buf); err != nil || string(buf) != "PK zip with names" {
					t.Errorf("job result after the rebuild: %q, %v", buf, err)
				}
				var jobID int64
				if err := s2.DB().QueryRowContext(ctx, `SELECT COALESCE(job_id, 0) FROM reminders WHERE id = ?`, remID).Scan(&jobID); err != nil || jobID != f.job.ID {
					t.Errorf("reminder's job %d, %v; want %d", jobID, err, f.job.ID)
				}
				if _, err := s2.DB().ExecContext(ctx, `DELETE FROM jobs WHERE id = ?`, top); err != nil {
					t.Fatal(err)
				}
				j, err := s2.CreateJob(ctx, Job{Kind: JobSchoolLetters, SchoolID: f.schoolA.ID})
				if err != nil {
					t.Fatal(err)
				}
				if j.ID <= top {
					t.Errorf("new job got id %d after the rebuild, not above %d", j.ID, top)
				}
			})
		})
	}
}

type bytesBuffer []byte

func (b *bytesBuffer) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }
