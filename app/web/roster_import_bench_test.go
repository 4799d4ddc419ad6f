package web

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jiashu/app/campaign"
	"jiashu/letters"
	"jiashu/roster/rostertest"
	"jiashu/store"
)

// BenchmarkImportEndToEnd50k: a generated 50,000-student school roster
// parsed, validated and committed to a new SQLite database, beside
// excelize's raw Rows() iteration over the same file in the same run.
//
//	go test -run XXX -bench ImportEndToEnd -benchtime 3x ./app
func BenchmarkImportEndToEnd50k(b *testing.B) {
	const students = 50_000
	var buf bytes.Buffer
	if err := rostertest.Generate(&buf, students); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var raw, total time.Duration
	var peak uint64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		raw += rawRows(b, data)
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		sch, _, err := st.EnsureSchool(ctx, "基准学校")
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		p := rostertest.PeakHeap(func() {
			rep, err := campaign.ImportRoster(ctx, st, bytes.NewReader(data), campaign.ImportRequest{
				SchoolID: sch.ID, MaxBytes: 64 << 20, MaxStudents: -1, Printable: eng.Printable,
			})
			if err != nil || rep.Added != students {
				b.Fatalf("import: %v, added %d of %d", err, rep.Added, students)
			}
		})
		total += time.Since(start)
		b.StopTimer()
		peak = max(peak, p)
		st.Close()
	}
	rate := float64(students*b.N) / total.Seconds()
	rawRate := float64(students*b.N) / raw.Seconds()
	b.ReportMetric(rate, "rows/s")
	b.ReportMetric(rawRate, "raw-rows/s")
	b.ReportMetric(rate/rawRate, "ratio-to-raw")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// rawRows times excelize's own streaming read of every cell: the baseline.
func rawRows(b *testing.B, data []byte) time.Duration {
	start := time.Now()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			if _, err := rows.Columns(); err != nil {
				b.Fatal(err)
			}
		}
		rows.Close()
	}
	return time.Since(start)
}
