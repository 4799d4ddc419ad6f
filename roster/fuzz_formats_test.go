package roster

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// The readers are fuzzed without Parse's recover: a panic in them is a bug
// to fix, not a refusal. Each reads every sheet, formatted and raw, and
// must answer a source or a FileError with a message, within its budget:
// the bytes it allocates in all (an upper bound of what it holds at once)
// stay under the default budget for the input's size, and a reader still
// busy after 20 s fails the fuzzer with the place it hangs. The seed corpus
// is the fixtures and, in testdata/fuzz/<target>/, damaged copies of them
// (corpus_test.go makes them) and every input that ever failed.

func seedFiles(f *testing.F, pattern string) {
	files, _ := filepath.Glob(filepath.Join("testdata", pattern))
	if len(files) == 0 {
		f.Fatalf("no seeds for %s", pattern)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// hangAfter is how long a reader may take on one input before the fuzzer
// reports it as hanging: far beyond any real file (the slowest fixture
// reads in milliseconds), short enough for the CI's fuzz step.
const hangAfter = 20 * time.Second

// withinBudget runs f, which reads data, and fails t when it allocates
// more than the default budget for data's size, or panics (failing the
// whole fuzzer, with every goroutine's stack) when it runs past hangAfter.
func withinBudget(t *testing.T, data []byte, f func()) {
	watchdog := time.AfterFunc(hangAfter, func() {
		buf := make([]byte, 1<<20)
		panic("reader still busy after " + hangAfter.String() + ":\n" + string(buf[:runtime.Stack(buf, true)]))
	})
	defer watchdog.Stop()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	if got, budget := after.TotalAlloc-before.TotalAlloc, uint64(defaultBudget(len(data))); got > budget {
		t.Fatalf("reading %d bytes allocated %d bytes, over the budget of %d", len(data), got, budget)
	}
}

func readAll(t *testing.T, open func([]byte, *meter) (source, error), data []byte) {
	withinBudget(t, data, func() {
		m := newMeter(context.Background(), len(data), 0)
		src, err := open(data, m)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) || fe.Message == "" {
				t.Fatalf("error without a message: %v", err)
			}
			return
		}
		defer src.close()
		for i := range src.sheets() {
			for _, raw := range []bool{false, true} {
				readRows(t, src, i, raw)
			}
		}
	})
}

func readRows(t *testing.T, src source, i int, raw bool) {
	rows, err := src.rows(i, raw)
	if err != nil {
		return
	}
	defer rows.close()
	last := 0
	for rows.next() {
		if rows.row() <= last {
			t.Fatalf("row %d after %d", rows.row(), last)
		}
		last = rows.row()
		if _, err := rows.cells(); err != nil {
			return
		}
	}
}

// FuzzXLS fuzzes the OLE2 container and BIFF8 record reader.
func FuzzXLS(f *testing.F) {
	seedFiles(f, "*.xls")
	seedFiles(f, filepath.Join("damaged", "*.xls"))
	f.Fuzz(func(t *testing.T, data []byte) { readAll(t, openOLE, data) })
}

// FuzzXLSX fuzzes the zip checks and the .xlsx reader (excelize).
func FuzzXLSX(f *testing.F) {
	seedFiles(f, "*.xlsx")
	f.Fuzz(func(t *testing.T, data []byte) { readAll(t, openZip, data) })
}

// FuzzODS fuzzes the OpenDocument reader (and the zip checks before it).
func FuzzODS(f *testing.F) {
	seedFiles(f, "*.ods")
	f.Fuzz(func(t *testing.T, data []byte) { readAll(t, openZip, data) })
}

// FuzzCSV fuzzes encoding detection, separator sniffing and CSV reading.
func FuzzCSV(f *testing.F) {
	seedFiles(f, "*.csv")
	f.Add([]byte("\xff\xfe\x66\x5b\xf7\x53\x09\x00"))
	f.Add([]byte("<html><table><tr><td>1</td></tr></table>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		readAll(t, func(b []byte, m *meter) (source, error) { return openText(b, "名单.csv", m) }, data)
	})
}
