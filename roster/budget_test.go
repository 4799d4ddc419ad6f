package roster

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"jiashu/roster/rostertest"
)

// Files made to cost far more to read than their size: each must be
// refused before it is read (the meter charges what excelize and the
// decoders would hold), however few bytes it has.
func hostileFiles(t testing.TB) []rostertest.Damage {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	xlsx, ods := read("clean-class.xlsx"), read("features.ods")
	var sst strings.Builder
	sst.WriteString(`<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for range 900_000 {
		sst.WriteString(`<si><t>a</t></si>`)
	}
	sst.WriteString(`</sst>`)
	var styles strings.Builder
	styles.WriteString(`<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs>`)
	for range 900_000 {
		styles.WriteString(`<xf/>`)
	}
	styles.WriteString(`</cellXfs></styleSheet>`)
	odsHead := `<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S">`
	odsTail := `</table:table></office:spreadsheet></office:body></office:document-content>`
	row := `<table:table-row><table:table-cell table:number-columns-repeated="16000"><text:p>x</text:p></table:table-cell></table:table-row>`
	return []rostertest.Damage{
		{Name: "xlsx: 900,000 one-letter shared strings (15 MB of XML in 40 KB)", Data: rezip(t, xlsx, "xl/sharedStrings.xml", []byte(sst.String()))},
		{Name: "xlsx: 900,000 cell formats", Data: rezip(t, xlsx, "xl/styles.xml", []byte(styles.String()))},
		{Name: "ods: a 30 MB attribute", Data: rezip(t, ods, "content.xml", []byte(odsHead+`<table:table-row x="`+strings.Repeat("a", 30<<20)+`"/>`+odsTail))},
		{Name: "ods: rows of 16,000 repeated cells", Data: rezip(t, ods, "content.xml", []byte(odsHead+strings.Repeat(row, 2000)+odsTail))},
	}
}

func TestHostileFilesAreRefusedBeforeTheyAreRead(t *testing.T) {
	t.Parallel()
	for _, h := range hostileFiles(t) {
		t.Run(h.Name, func(t *testing.T) {
			res, err := Parse(context.Background(), bytes.NewReader(h.Data), Options{})
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("Parse = %v students, %v; want the file refused", res != nil, err)
			}
			if fe.Code != CodeTooComplex && fe.Code != CodeTooLarge && fe.Code != CodeCorrupt {
				t.Errorf("refused as %s (%s); want too_complex, too_large or corrupt", fe.Code, fe.Message)
			}
		})
	}
}

// TestTheBudgetIsAnOption: a parse held to a budget below what a real
// roster needs is refused with the budget named, and the same file reads
// under the default budget.
func TestTheBudgetIsAnOption(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"school-multisheet.xlsx", "school-multisheet.xls", "school-multisheet.ods", "clean-class-utf8.csv"} {
		res, err := parseFile(t, filepath.Join("testdata", name), Options{MaxMemory: 8 << 10})
		var fe *FileError
		if !errors.As(err, &fe) || fe.Code != CodeTooComplex || !strings.Contains(fe.Message, "8 KB") {
			t.Errorf("%s under 8 KB: %v, %v; want refused as too_complex naming 64 KB", name, res != nil, err)
		}
		if _, err := parseFile(t, filepath.Join("testdata", name), Options{}); err != nil {
			t.Errorf("%s under the default budget: %v", name, err)
		}
	}
}

// TestAParseStopsWhenItsRequestEnds: a parse whose context has ended
// returns the context's error, not a refusal of the file.
func TestAParseStopsWhenItsRequestEnds(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := rostertest.Generate(&buf, 3000, rostertest.OneSheet()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Parse(ctx, bytes.NewReader(buf.Bytes()), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: %v, want context.Canceled", err)
	}
	// Ended while reading: the readers look at the context as they go.
	ctx, cancel = context.WithCancel(context.Background())
	m := newMeter(ctx, buf.Len(), 0)
	cancel()
	var err error
	for range 2 * ctxEvery {
		if err = m.tick(); err != nil {
			break
		}
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("meter after cancel: %v, want context.Canceled", err)
	}
}

// budgetInputs are the files BenchmarkReadersWithinBudget measures: every
// fixture, damaged copies of each, the files of testdata/damaged, and the
// hostile files.
func budgetInputs(b testing.TB) []rostertest.Damage {
	var out []rostertest.Damage
	files, _ := filepath.Glob(filepath.Join("testdata", "*.*"))
	for _, name := range files {
		if strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".json") {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, rostertest.Damage{Name: filepath.Base(name), Data: data})
		for _, d := range rostertest.Sample(data, 30, 1) {
			out = append(out, rostertest.Damage{Name: filepath.Base(name) + "/" + d.Name, Data: d.Data})
		}
	}
	damaged, _ := filepath.Glob(filepath.Join("testdata", "damaged", "*.xls"))
	for _, name := range damaged {
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, rostertest.Damage{Name: "damaged/" + filepath.Base(name), Data: data})
	}
	return append(out, hostileFiles(b)...)
}

// BenchmarkReadersWithinBudget parses every fixture, 30 damaged copies of
// each, the damaged regression files and the hostile files, measuring each parse's peak heap (sampled
// every millisecond with the collector kept close behind, GOGC=5) and
// time; it fails when a peak passes the input's default budget (20× its
// size plus 64 MB), and reports the worst of each.
//
//	go test -run '^$' -bench ReadersWithinBudget -benchtime 1x ./roster
func BenchmarkReadersWithinBudget(b *testing.B) {
	inputs := budgetInputs(b)
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	for b.Loop() {
		measureBudgets(b, inputs)
	}
}

// measureBudgets parses every input once, failing b on a peak over its
// budget, and reports the worst of each kind.
func measureBudgets(b *testing.B, inputs []rostertest.Damage) {
	worst := map[string]*budgetWorst{}
	for _, in := range inputs {
		peak, took := peakOfParse(in.Data)
		if budget := uint64(defaultBudget(len(in.Data))); peak > budget {
			b.Errorf("%s: peak heap %d MB over its budget of %d MB", in.Name, peak>>20, budget>>20)
		}
		kind := "fixture"
		switch {
		case strings.Contains(in.Name, ":"):
			kind = "hostile"
		case strings.Contains(in.Name, "/"):
			kind = "damaged"
		}
		if worst[kind] == nil {
			worst[kind] = &budgetWorst{}
		}
		worst[kind].note(in.Name, float64(peak)/(1<<20), took.Seconds())
	}
	for _, kind := range []string{"fixture", "damaged", "hostile"} {
		w := worst[kind]
		b.Logf("%-8s %3d inputs; worst peak heap %5.1f MB (%s); slowest %.3f s (%s)", kind, w.n, w.peak, w.peakOf, w.secs, w.secsOf)
		b.ReportMetric(w.peak, kind+"-peak-MB")
		b.ReportMetric(w.secs, kind+"-s")
	}
}

// budgetWorst is the worst peak and time of a kind of input.
type budgetWorst struct {
	n              int
	peak, secs     float64
	peakOf, secsOf string
}

func (w *budgetWorst) note(name string, peak, secs float64) {
	w.n++
	if peak > w.peak {
		w.peak, w.peakOf = peak, name
	}
	if secs > w.secs {
		w.secs, w.secsOf = secs, name
	}
}

// peakOfParse parses data and returns the highest heap above the heap
// before, sampled every millisecond, and the time the parse took.
func peakOfParse(data []byte) (uint64, time.Duration) {
	var took time.Duration
	peak := rostertest.PeakHeapAbove(time.Millisecond, func() {
		start := time.Now()
		Parse(context.Background(), bytes.NewReader(data), Options{})
		took = time.Since(start)
	})
	return peak, took
}
