package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"jiashu/app/campaign"
	"jiashu/app/jobs"
	"jiashu/letters"
	"jiashu/roster/rostertest"
	"jiashu/store"
)

// BenchmarkSchoolLettersJob runs a school's letters job end to end on
// SQLite: issuing the letters, typesetting a PDF per class on all cores,
// the ZIP stored in the database in chunks. One op is the whole school.
//
//	go test ./app -run '^$' -bench SchoolLettersJob -benchtime 3x
func BenchmarkSchoolLettersJob(b *testing.B) {
	const students, perClass = 2000, 40
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	sc, _, err := st.EnsureSchool(ctx, "实验学校")
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rostertest.Generate(&buf, students, rostertest.PerClass(perClass), rostertest.Seed(3)); err != nil {
		b.Fatal(err)
	}
	f := &webFixture{st: st, cfg: testConfig(b)}
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		b.Fatal(err)
	}
	r := jobs.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	jobs.NewLetters(jobs.Deps{Config: f.cfg, Store: st, Engine: eng, Now: time.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Register(r)
	if _, err := campaign.ImportRoster(ctx, st, &buf, campaign.ImportRequest{SchoolID: sc.ID, ValidOnly: true, MaxBytes: 1 << 30, Printable: eng.Printable}); err != nil {
		b.Fatal(err)
	}
	camp, err := st.DefaultCampaign(ctx, sc.ID)
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	b.ResetTimer()
	for range b.N {
		j, err := st.CreateJob(ctx, store.Job{Kind: store.JobSchoolLetters, SchoolID: sc.ID, CampaignID: camp.ID})
		if err != nil {
			b.Fatal(err)
		}
		if ran, err := r.RunOnce(ctx); err != nil || !ran {
			b.Fatal(ran, err)
		}
		done, _ := st.Job(ctx, j.ID)
		if done.Status != store.JobDone {
			b.Fatalf("job %+v", done)
		}
		size = done.ResultSize
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*students), "ms/letter")
	b.ReportMetric(float64(size)/(1<<20), "MB/zip")
}
