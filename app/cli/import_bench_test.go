package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"jiashu/roster/rostertest"
)

// BenchmarkImportRegistry50k: a district's student-registry export —
// 50,000 students of 1,112 classes in one sheet with a 班级 column — imported
// by `app import --max-students 50000` as a process of its own, as an
// administrator runs it, into a new SQLite database. It reports the rows a
// second (wall clock, start to exit) and the process's peak resident memory.
//
//	go test -run XXX -bench ImportRegistry50k -benchtime 3x ./app/cli
func BenchmarkImportRegistry50k(b *testing.B) {
	const students = 50_000
	dir := b.TempDir()
	file := filepath.Join(dir, "学籍导出.xlsx")
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	if err := rostertest.Generate(f, students, rostertest.OneSheet(), rostertest.School("全区")); err != nil {
		b.Fatal(err)
	}
	f.Close()
	var total time.Duration
	var peak int64
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		db := filepath.Join(dir, "registry"+string(rune('a'+i%26))+".db")
		os.Remove(db)
		cmd := exec.Command(os.Args[0], "import", "--db", db, "--school", "全区学籍", "--max-students", "50000", file)
		cmd.Env = []string{asAppEnv + "=1", "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
		start := time.Now()
		out, err := cmd.CombinedOutput()
		total += time.Since(start)
		if err != nil || !strings.Contains(string(out), "50000") {
			b.Fatalf("import: %v\n%s", err, out)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peak = max(peak, ru.Maxrss) // KiB on Linux
			cpu += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	b.ReportMetric(float64(students*b.N)/total.Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
	b.ReportMetric(float64(students*b.N)/cpu.Seconds(), "rows/cpu-s")
}
