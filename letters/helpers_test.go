package letters

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

var sharedEngine = sync.OnceValues(NewDefaultEngine)

func testEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := sharedEngine()
	if err != nil {
		t.Fatalf("default engine: %v", err)
	}
	return e
}

var testDate = time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)

func sampleLetter(ag, name string) Letter {
	return Letter{
		AgeGroup: ag, StudentName: name, ClassName: "三年级2班", SchoolName: "重庆市渝北区实验小学",
		HeadTeacher: "李老师", Token: "7KQ2-XP9M-4TRW", URL: "https://jiashu.example.cn/a/7KQ2XP9M4TRW",
		Date: testDate, Ref: "2026030201",
	}
}

// needTool skips the test when a poppler tool is missing.
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (Debian package poppler-utils; .ci/run installs it): skipping PDF content checks", name)
	}
}

// writePDF renders letters into a temp file and returns its path.
func writePDF(t *testing.T, ls []Letter, opt Options) (string, Stats) {
	t.Helper()
	var buf bytes.Buffer
	st, err := testEngine(t).WriteLetters(&buf, ls, opt)
	if err != nil {
		t.Fatalf("WriteLetters: %v", err)
	}
	p := filepath.Join(t.TempDir(), "letters.pdf")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, st
}

func pdfText(t *testing.T, path string, args ...string) string {
	t.Helper()
	needTool(t, "pdftotext")
	out, err := exec.Command("pdftotext", append(append([]string{"-enc", "UTF-8"}, args...), path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

var pagesRE = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

func pdfPages(t *testing.T, path string) int {
	t.Helper()
	needTool(t, "pdfinfo")
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := pagesRE.FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo: no page count in %s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// missingInOrder returns the first character of want that cannot be found,
// in order, in got (both without white space), with some context.
func missingInOrder(want, got string) string {
	w, g := []rune(stripSpace(want)), []rune(stripSpace(got))
	j := 0
	for i, r := range w {
		for j < len(g) && g[j] != r {
			j++
		}
		if j == len(g) {
			lo := max(0, i-10)
			return string(w[lo:i]) + "[" + string(r) + "]" + string(w[i+1:min(len(w), i+10)])
		}
		j++
	}
	return ""
}

// documentText is the text of a composed letter in reading order.
func documentText(d Document) string {
	var b strings.Builder
	b.WriteString(d.Title)
	for _, bl := range d.Blocks {
		switch {
		case bl.Kind == KindBrief:
			b.WriteString(bl.Method.Title + bl.Method.Brief)
		case bl.Method != nil:
			b.WriteString(bl.Method.Title + bl.Method.How + bl.Method.Guard + bl.Method.Case)
		default:
			b.WriteString(bl.Text + strings.Join(bl.Items, ""))
		}
	}
	for _, s := range d.Slip.Text {
		b.WriteString(s)
	}
	return b.String()
}

// decodeQR renders a page and decodes the QR code in the slip area.
func decodeQR(t *testing.T, path string, page int) string {
	t.Helper()
	bmp, _ := mustBitmap(t, renderGray(t, path, page, 150))
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("no QR code found on page %d: %v", page, err)
	}
	return res.GetText()
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
