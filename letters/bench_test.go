package letters

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jung-kurt/gofpdf"
	"rsc.io/qr"

	"jiashu/assets"
)

// Benchmarks compare the engine with a naive baseline: gofpdf used as
// documented (the full 4 MB Droid font added to every document, text set
// with MultiCell, the QR code as a PNG image). The baseline loses a
// character at every line break; it is here only to measure cost.
//
//	go test -run '^$' -bench 'OneLetter|Class50' -benchtime 2s ./letters/
//	go test -run '^$' -bench District5k -benchtime 1x ./letters/     # quick
//	go test -run '^$' -bench District100k -benchtime 1x ./letters/   # 100,000 letters

// naiveMedian holds the baseline's median ms per benchmark, so the engine's
// sub-benchmark can report its ratio measured in the same run.
var naiveMedian sync.Map

func naiveWrite(w io.Writer, font []byte, e *Engine, ls []Letter) error {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("f", "", bytes.Clone(font))
	pdf.SetMargins(20, 15, 20)
	for i, l := range ls {
		tp, err := e.Library().Template(l.AgeGroup)
		if err != nil {
			return err
		}
		d := tp.Compose(l)
		pdf.AddPage()
		pdf.SetFont("f", "", 16)
		pdf.CellFormat(0, 10, d.Title, "", 1, "C", false, 0, "")
		pdf.SetFont("f", "", 10)
		for _, b := range d.Blocks {
			t := b.Text
			if b.Method != nil {
				t = b.Method.Title + " " + b.Method.How + " 防范：" + b.Method.Guard
			}
			pdf.MultiCell(0, 5, t, "", "L", false)
		}
		for _, t := range d.Slip.Text {
			pdf.MultiCell(120, 5, t, "", "L", false)
		}
		pdf.MultiCell(120, 5, "学生姓名："+l.StudentName+"  班级："+l.ClassName+"  家长签字：", "", "L", false)
		code, err := qr.Encode(l.URL, qr.M)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("qr%d", i)
		pdf.RegisterImageOptionsReader(name, gofpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(code.PNG()))
		pdf.ImageOptions(name, 160, 240, 30, 30, false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		pdf.Text(160, 275, l.Token)
	}
	return pdf.Output(w)
}

func classLetters(n int, ag, class string) []Letter {
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐")
	given := []rune("子涵浩然欣怡宇轩梓萱一诺俊杰雨桐思远佳琪明轩诗雨嘉懿")
	ls := make([]Letter, n)
	for i := range ls {
		name := string(surnames[i%len(surnames)]) + string(given[(i*7)%len(given)]) + string(given[(i*3+1)%len(given)])
		tok := fmt.Sprintf("%04X-%04X-%04X", i*7919%65536, i*104729%65536, i*31%65536)
		ls[i] = Letter{AgeGroup: ag, StudentName: name, ClassName: class, SchoolName: "重庆市渝北区实验小学",
			HeadTeacher: "李老师", Token: tok, URL: "https://jiashu.example.cn/a/" + tok, Date: testDate}
	}
	return ls
}

// runMedian runs fn b.N times and reports the median and the ratio to the
// baseline.
func runMedian(b *testing.B, key string, naive bool, fn func() int64) {
	b.Helper()
	times := make([]time.Duration, 0, b.N)
	var size int64
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		size = fn()
		times = append(times, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(times)
	med := float64(times[len(times)/2].Microseconds()) / 1000
	b.ReportMetric(med, "median-ms")
	b.ReportMetric(float64(size)/1024, "KB/pdf")
	if naive {
		naiveMedian.Store(key, med)
	} else if v, ok := naiveMedian.Load(key); ok {
		b.ReportMetric(v.(float64)/med, "x-faster-than-naive")
	}
}

func benchPair(b *testing.B, key string, ls []Letter) {
	e := testEngine(b)
	droid, err := assets.Fonts.ReadFile(assets.BodyFontFile)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("naive", func(b *testing.B) {
		runMedian(b, key, true, func() int64 {
			var buf bytes.Buffer
			if err := naiveWrite(&buf, droid, e, ls); err != nil {
				b.Fatal(err)
			}
			return int64(buf.Len())
		})
	})
	b.Run("engine", func(b *testing.B) {
		runMedian(b, key, false, func() int64 {
			st, err := e.WriteLetters(io.Discard, ls, Options{})
			if err != nil {
				b.Fatal(err)
			}
			return st.Bytes
		})
	})
}

func BenchmarkOneLetter(b *testing.B) {
	benchPair(b, "one", []Letter{sampleLetter(PrimaryUpper, "王小明")})
}

func BenchmarkClass50(b *testing.B) {
	benchPair(b, "class50", classLetters(50, Junior, "初二(3)班"))
}

func peakRSSMB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // KiB on Linux
}

// district writes classes×50 letters as class PDFs into a temp directory on
// every core. Run it alone (-bench District… -benchtime 1x) for a clean
// peak-RSS figure: the figure is the whole process's.
func district(b *testing.B, classes int) {
	e := testEngine(b)
	ags := AgeGroups()
	cls := make([]ClassLetters, classes)
	for i := range cls {
		name := fmt.Sprintf("第%d校%d年级%d班", i/40+1, i%12+1, i%5+1)
		cls[i] = ClassLetters{ClassName: name, Letters: classLetters(50, ags[(i%12)/3], name)}
	}
	st := writeClassesTimed(b, e, cls)
	b.ReportMetric(float64(st.Letters), "letters")
	b.ReportMetric(float64(st.Pages), "pages")
	b.ReportMetric(float64(st.Bytes)/(1<<20), "MB-written")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
	b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
}

// writeClassesTimed writes cls as class PDFs into a temporary folder b.N
// times, timing only the writing, and answers the last run's figures.
func writeClassesTimed(b *testing.B, e *Engine, cls []ClassLetters) Stats {
	dir := b.TempDir()
	b.ResetTimer()
	var st Stats
	for range b.N {
		var err error
		st, err = e.WriteClasses(cls, BatchOptions{}, func(name string, pdf []byte) error {
			return os.WriteFile(filepath.Join(dir, name), pdf, 0o644)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	return st
}

func BenchmarkDistrict5k(b *testing.B)   { district(b, 100) }
func BenchmarkDistrict100k(b *testing.B) { district(b, 2000) }
