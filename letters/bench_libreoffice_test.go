package letters

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"jiashu/assets"
)

// BenchmarkSchoolVsBaselines is the issue-24 row "a 5,000-student school's
// letters against LibreOffice's batch export": the engine writes 100 class
// PDFs of 50 letters (what `app letters` does after reading the roster) on
// every core; in the same run LibreOffice converts 10 of those classes, the
// same letters' text as one HTML document a class with a page break between
// letters, in one headless batch (`soffice --convert-to pdf` with all ten
// files, its start included), and gofpdf as documented writes 200 of them
// one document a letter. Skips LibreOffice with a reason when soffice is
// absent (Writer too: Debian's libreoffice-writer-nogui).
//
//	go test -run '^$' -bench SchoolVsBaselines -benchtime 1x ./letters/
func BenchmarkSchoolVsBaselines(b *testing.B) {
	e := testEngine(b)
	ags := AgeGroups()
	cls := make([]ClassLetters, 100)
	for i := range cls {
		name := fmt.Sprintf("%d年级%d班", i%12+1, i/12+1)
		cls[i] = ClassLetters{ClassName: name, Letters: classLetters(50, ags[(i%12)/3], name)}
	}
	st := writeClassesTimed(b, e, cls)
	rate := float64(st.Letters*b.N) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "letters/s")
	b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
	naive := naivePerLetter(b, e, cls[0].Letters[:40])
	b.ReportMetric(naive, "gofpdf-letters/s")
	b.ReportMetric(rate/naive, "x-gofpdf")
	if lo, ok := libreOfficeRate(b, e, cls[:10]); ok {
		b.ReportMetric(lo, "libreoffice-letters/s")
		b.ReportMetric(rate/lo, "x-libreoffice")
	}
}

// naivePerLetter is gofpdf as documented, one document a letter: letters/s.
func naivePerLetter(b *testing.B, e *Engine, ls []Letter) float64 {
	droid, err := assets.Fonts.ReadFile(assets.BodyFontFile)
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	for _, l := range ls {
		var buf bytes.Buffer
		if err := naiveWrite(&buf, droid, e, []Letter{l}); err != nil {
			b.Fatal(err)
		}
	}
	return float64(len(ls)) / time.Since(t0).Seconds()
}

// libreOfficeRate converts cls, one HTML file a class, to PDF in one
// soffice run and returns letters/s; false when soffice is absent.
func libreOfficeRate(b *testing.B, e *Engine, cls []ClassLetters) (float64, bool) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		b.Log("soffice not on PATH (Debian's libreoffice-writer-nogui): no LibreOffice baseline")
		return 0, false
	}
	dir := b.TempDir()
	args := []string{"--headless", "-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--convert-to", "pdf", "--outdir", filepath.Join(dir, "out")}
	n := 0
	for i, c := range cls {
		f := filepath.Join(dir, fmt.Sprintf("class%03d.html", i))
		if err := os.WriteFile(f, classHTML(b, e, c.Letters), 0o644); err != nil {
			b.Fatal(err)
		}
		args = append(args, f)
		n += len(c.Letters)
	}
	// A first run creates the profile: not what a batch export costs.
	warm := exec.Command(soffice, args[0], args[1], "--convert-to", "pdf", "--outdir", filepath.Join(dir, "warm"), args[len(args)-1])
	if out, err := warm.CombinedOutput(); err != nil || bytes.Contains(out, []byte("could not be loaded")) {
		b.Logf("soffice cannot convert HTML (Writer not installed? Debian's libreoffice-writer-nogui): no LibreOffice baseline: %v %s", err, out)
		return 0, false
	}
	t0 := time.Now()
	if out, err := exec.Command(soffice, args...).CombinedOutput(); err != nil {
		b.Fatalf("soffice: %v\n%s", err, out)
	}
	d := time.Since(t0)
	pdfs, _ := filepath.Glob(filepath.Join(dir, "out", "*.pdf"))
	if len(pdfs) != len(cls) {
		b.Fatalf("soffice wrote %d PDFs of %d", len(pdfs), len(cls))
	}
	return float64(n) / d.Seconds(), true
}

// classHTML is the letters' text as one HTML document, a page each.
func classHTML(b *testing.B, e *Engine, ls []Letter) []byte {
	var w bytes.Buffer
	w.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{font-family:"Droid Sans Fallback";font-size:10pt}` +
		`h1{text-align:center;font-size:16pt}</style></head><body>`)
	p := func(t string) { fmt.Fprintf(&w, "<p>%s</p>", html.EscapeString(t)) }
	for i, l := range ls {
		t, err := e.Library().Template(l.AgeGroup)
		if err != nil {
			b.Fatal(err)
		}
		d := t.Compose(l)
		if i > 0 {
			w.WriteString(`<p style="page-break-before:always"></p>`)
		}
		fmt.Fprintf(&w, "<h1>%s</h1>", html.EscapeString(d.Title))
		for _, bl := range d.Blocks {
			if m := bl.Method; m != nil {
				p(m.Title + " 骗子这样做：" + m.How + " 您这样防：" + m.Guard)
				continue
			}
			p(bl.Text)
			for _, it := range bl.Items {
				p("· " + it)
			}
		}
		p(d.Slip.Title)
		for _, t := range d.Slip.Text {
			p(t)
		}
		p("学生姓名：" + l.StudentName + "　班级：" + l.ClassName + "　家长签字：")
		p(d.Slip.Token + "　" + SafetyNote)
	}
	w.WriteString("</body></html>")
	return w.Bytes()
}
