package roster

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// The readers are fuzzed without Parse's recover: a panic in them is a bug
// to fix, not a refusal. Each reads every sheet, formatted and raw, and
// must answer a source or a FileError with a message.

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

func readAll(t *testing.T, open func([]byte) (source, error), data []byte) {
	// A reader that hangs must fail the fuzzer with the place it hangs.
	watchdog := time.AfterFunc(20*time.Second, func() {
		buf := make([]byte, 1<<20)
		panic("reader still busy after 20s:\n" + string(buf[:runtime.Stack(buf, true)]))
	})
	defer watchdog.Stop()
	src, err := open(data)
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
			rows, err := src.rows(i, raw)
			if err != nil {
				continue
			}
			last := 0
			for rows.next() {
				if rows.row() <= last {
					t.Fatalf("row %d after %d", rows.row(), last)
				}
				last = rows.row()
				if _, err := rows.cells(); err != nil {
					break
				}
			}
			rows.close()
		}
	}
}

// FuzzXLS fuzzes the OLE2 container and BIFF8 record reader.
func FuzzXLS(f *testing.F) {
	seedFiles(f, "*.xls")
	f.Fuzz(func(t *testing.T, data []byte) { readAll(t, openOLE, data) })
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
		readAll(t, func(b []byte) (source, error) { return openText(b, "名单.csv") }, data)
	})
}
