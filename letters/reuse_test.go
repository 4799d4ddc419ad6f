package letters

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/adler32"
	"io"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// A class PDF composes, lays out and draws its letters' common text once,
// and starts its fonts from glyphs compressed once per engine (reuse.go,
// fontbase.go). What a family receives must not show it.

// classWithVariety is a class whose letters differ as real ones do: rare
// characters in names (𠮷, ·), a long name the slip cuts, a grandparent's
// large-print letter, another age group's letter.
func classWithVariety() []Letter {
	ls := classLetters(12, Junior, "初二(3)班")
	ls[3].StudentName = "𠮷祥"
	ls[5].StudentName = "阿卜杜拉·艾合买提"
	ls[7].StudentName = "欧阳" + strings.Repeat("晓", 26)
	ls[8].LargePrint = true
	ls[10].AgeGroup = Senior
	return ls
}

func TestALetterInAClassPDFLooksAsItDoesAlone(t *testing.T) {
	t.Parallel()
	needTool(t, "pdftoppm")
	ls := classWithVariety()
	class, st := writePDF(t, ls, Options{})
	page := 1
	for i, l := range ls {
		alone, one := writePDF(t, []Letter{l}, Options{})
		for p := 1; p <= one.Pages; p++ {
			a, b := renderGray(t, class, page+p-1, 60), renderGray(t, alone, p, 60)
			if !bytes.Equal(a.Pix, b.Pix) {
				t.Errorf("letter %d (%s), page %d: the class PDF's page %d differs from the letter printed alone", i, l.StudentName, p, page+p-1)
			}
		}
		page += one.Pages
	}
	if page-1 != st.Pages {
		t.Errorf("class PDF has %d pages, its letters alone %d", st.Pages, page-1)
	}
	text := stripSpace(pdfText(t, class))
	for _, l := range ls[:7] { // the eighth's name is cut on its slip
		if strings.Count(text, l.StudentName) < 2 {
			t.Errorf("%s is not on both the letter and the slip in the text of the class PDF", l.StudentName)
		}
	}
}

// fontStreamRE finds the FontFile2 streams packPDF writes.
var fontStreamRE = regexp.MustCompile(`/Length1 (\d+) /Filter /FlateDecode /Length (\d+)>>\nstream\n`)

func TestClassPDFFontsAreWholeTrueTypeFiles(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if _, err := testEngine(t).WriteLetters(&buf, classWithVariety(), Options{}); err != nil {
		t.Fatal(err)
	}
	pdf := buf.Bytes()
	ms := fontStreamRE.FindAllSubmatchIndex(pdf, -1)
	if len(ms) != 2 {
		t.Fatalf("%d font files, want 2", len(ms))
	}
	for _, m := range ms {
		length1, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
		n, _ := strconv.Atoi(string(pdf[m[4]:m[5]]))
		zr, err := zlib.NewReader(bytes.NewReader(pdf[m[1] : m[1]+n]))
		if err != nil {
			t.Fatal(err)
		}
		ttf, err := io.ReadAll(zr) // checks the Adler-32 at the end
		if err != nil {
			t.Fatalf("font stream: %v", err)
		}
		if len(ttf) != length1 {
			t.Errorf("font file of %d bytes, /Length1 says %d", len(ttf), length1)
		}
		checkTrueType(t, ttf)
	}
}

// checkTrueType checks a font file's table directory: every table inside
// the file with its checksum right, and the whole file summing to the
// magic number (head's checkSumAdjustment), as font loaders check.
func checkTrueType(t *testing.T, ttf []byte) {
	t.Helper()
	be := binary.BigEndian
	n := int(be.Uint16(ttf[4:]))
	var head int
	for i := range n {
		rec := ttf[12+16*i:]
		tag, sum, off, ln := string(rec[:4]), be.Uint32(rec[4:]), int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		if off+ln > len(ttf) {
			t.Fatalf("table %s ends at %d, after the file's %d bytes", tag, off+ln, len(ttf))
		}
		if tag == "head" {
			head = off
			continue
		}
		if got := checksum(ttf[off : off+ln]); got != sum {
			t.Errorf("table %s: checksum %08x, directory says %08x", tag, got, sum)
		}
	}
	if head == 0 {
		t.Fatal("no head table")
	}
	if got := checksum(ttf); got != 0xB1B0AFBA {
		t.Errorf("file checksum %08x, want B1B0AFBA", got)
	}
}

func TestAdler32CombineIsTheChecksumOfBothStrings(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range [][2]int{{0, 0}, {0, 7}, {9, 0}, {1, 1}, {5552, 70000}, {100000, 3}, {65521, 65521}} {
		a, b := make([]byte, n[0]), make([]byte, n[1])
		for i := range a {
			a[i] = byte(r.Uint32())
		}
		for i := range b {
			b[i] = 0xFF - byte(r.Uint32()%3)
		}
		want := adler32.Checksum(append(append([]byte(nil), a...), b...))
		if got := adler32Combine(adler32.Checksum(a), adler32.Checksum(b), len(b)); got != want {
			t.Errorf("%d+%d bytes: %08x, want %08x", n[0], n[1], got, want)
		}
	}
}
