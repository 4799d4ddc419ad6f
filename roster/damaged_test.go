package roster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// heapGuard panics (failing the test binary at once, rather than leaving it
// to the kernel) if the heap passes limit while f runs: a reader that grows
// without bound must fail its test, not take the machine down.
func heapGuard(limit uint64, f func()) {
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > limit {
				panic(fmt.Sprintf("heap at %d MB, past the test's limit of %d MB", ms.HeapAlloc>>20, limit>>20))
			}
		}
	}()
	defer close(done)
	f()
}

// TestDamagedFilesAreRefusedNotReadAsFewerStudents reads the damaged files
// of testdata/damaged (see its README): each is refused as damaged, with
// the message that tells the teacher to save it again, and never read as a
// class with students missing.
func TestDamagedFilesAreRefusedNotReadAsFewerStudents(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "damaged", "*.*"))
	for _, name := range files {
		if strings.HasSuffix(name, ".md") {
			continue
		}
		t.Run(filepath.Base(name)+" is refused as damaged", func(t *testing.T) {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			var res *Result
			heapGuard(1<<30, func() {
				res, err = Parse(context.Background(), bytes.NewReader(data), Options{})
			})
			var fe *FileError
			if !errors.As(err, &fe) || fe.Code != CodeCorrupt {
				students := 0
				if res != nil {
					students = countStudents(res)
				}
				t.Fatalf("Parse = %d students, %v; want the file refused as %s", students, err, CodeCorrupt)
			}
			for _, want := range []string{"文件已损坏", "什么也没有导入", "另存为 .xlsx"} {
				if !strings.Contains(fe.Message, want) {
					t.Errorf("message %q lacks %q", fe.Message, want)
				}
			}
		})
	}
}
