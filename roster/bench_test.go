package roster_test

import (
	"bytes"
	"context"
	"runtime"
	"testing"

	"github.com/xuri/excelize/v2"

	"jiashu/roster"
	"jiashu/roster/rostertest"
)

func generate(b *testing.B, students int, opts ...rostertest.Option) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := rostertest.Generate(&buf, students, opts...); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

var layouts = []struct {
	name string
	opts []rostertest.Option
}{
	{"sheet-per-class", nil},
	{"one-sheet", []rostertest.Option{rostertest.OneSheet()}},
}

// BenchmarkParse50k parses and validates a generated 50,000-student roster.
func BenchmarkParse50k(b *testing.B) {
	for _, l := range layouts {
		b.Run(l.name, func(b *testing.B) {
			benchParse50k(b, generate(b, 50_000, l.opts...), roster.Options{MaxBytes: 64 << 20, MaxStudents: -1})
		})
	}
}

// benchParse50k parses data, a 50,000-student roster, and reports rows/s,
// the peak heap and the file's size.
func benchParse50k(b *testing.B, data []byte, opt roster.Options) {
	runtime.GC()
	b.ResetTimer()
	var peak uint64
	for b.Loop() {
		p := rostertest.PeakHeap(func() {
			res, err := roster.Parse(context.Background(), bytes.NewReader(data), opt)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for _, c := range res.Classes {
				n += len(c.Students)
			}
			if n != 50_000 {
				b.Fatalf("parsed %d students, want 50000 (%d problems)", n, len(res.Problems))
			}
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(50_000*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
}

// BenchmarkRawRows50k is the baseline: excelize's own Rows() iteration over
// the same workbook, reading every cell.
func BenchmarkRawRows50k(b *testing.B) {
	for _, l := range layouts {
		b.Run(l.name, func(b *testing.B) {
			data := generate(b, 50_000, l.opts...)
			runtime.GC()
			b.ResetTimer()
			var peak uint64
			for b.Loop() {
				p := rostertest.PeakHeap(func() {
					f, err := excelize.OpenReader(bytes.NewReader(data))
					if err != nil {
						b.Fatal(err)
					}
					defer f.Close()
					cells := 0
					for _, sheet := range f.GetSheetList() {
						rows, err := f.Rows(sheet)
						if err != nil {
							b.Fatal(err)
						}
						for rows.Next() {
							cols, err := rows.Columns()
							if err != nil {
								b.Fatal(err)
							}
							cells += len(cols)
						}
						rows.Close()
					}
					if cells < 50_000*8 {
						b.Fatalf("read %d cells", cells)
					}
				})
				peak = max(peak, p)
			}
			b.ReportMetric(float64(50_000*b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}
