package store

import (
	"context"
	"testing"
)

func TestJobIDsAreNeverReused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, b := range testBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
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

		})
	}
}
