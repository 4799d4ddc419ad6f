package letters

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestDefaultLettersPrintEveryCharacterOnOnePageWithSlip(t *testing.T) {
	t.Parallel()
	e := testEngine(t)
	for _, ag := range AgeGroups() {
		t.Run(ag+" prints everything and fits one page", func(t *testing.T) {
			l := sampleLetter(ag, "王小明")
			l.MeetingDate = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC) // the longest letter: the class meeting's line printed
			path, st := writePDF(t, []Letter{l}, Options{})
			tp, _ := e.Library().Template(ag)
			d := tp.Compose(l)
			text := pdfText(t, path)
			if miss := missingInOrder(documentText(d), text); miss != "" {
				t.Errorf("character lost or out of order near %q", miss)
			}
			pages := pdfPages(t, path)
			if pages != st.Pages {
				t.Errorf("Stats.Pages = %d, PDF has %d", st.Pages, pages)
			}
			if pages > 2 {
				t.Fatalf("letter has %d pages, want at most 2", pages)
			}
			if pages != 1 {
				t.Errorf("default letter with a usual name takes %d pages, want 1", pages)
			}
			last := pdfText(t, path, "-f", fmt.Sprint(pages), "-l", fmt.Sprint(pages))
			for _, want := range []string{cutText, stripSpace(SafetyNote), l.Token, "王小明", "三年级2班", "家长签字"} {
				if !strings.Contains(stripSpace(last), want) {
					t.Errorf("last page lacks %q", want)
				}
			}
			if got := strings.Count(stripSpace(text), "王小明"); got < 2 {
				t.Errorf("student name printed %d times, want salutation and slip", got)
			}
		})
	}
}

func TestNoLineStartsOrEndsWithAProhibitedMark(t *testing.T) {
	t.Parallel()
	var ls []Letter
	for _, ag := range AgeGroups() {
		ls = append(ls, sampleLetter(ag, "欧阳娜娜"))
	}
	path, _ := writePDF(t, ls, Options{})
	n := 0
	for _, ln := range strings.Split(pdfText(t, path, "-layout"), "\n") {
		ln = strings.TrimSpace(ln)
		if ln == "" || strings.Contains(ln, cutText) {
			continue
		}
		n++
		rs := []rune(ln)
		if strings.ContainsRune(noLineStart, rs[0]) {
			t.Errorf("line starts with %q: %s", rs[0], ln)
		}
		if strings.ContainsRune(noLineEnd, rs[len(rs)-1]) {
			t.Errorf("line ends with %q: %s", rs[len(rs)-1], ln)
		}
	}
	if n < 100 {
		t.Fatalf("only %d lines extracted", n)
	}
}

func TestQRCodeDecodesToTheLetterURL(t *testing.T) {
	t.Parallel()
	l := sampleLetter(Senior, "张伟")
	l.URL = "https://jiashu.example.cn/a/K7Q2XP9M4TRW"
	path, _ := writePDF(t, []Letter{l}, Options{})
	if got := decodeQR(t, path, 1); got != l.URL {
		t.Fatalf("QR code says %q, want %q", got, l.URL)
	}
}

func TestRareNamesRenderWithoutPanic(t *testing.T) {
	t.Parallel()
	e := testEngine(t)
	var unprintable rune
	for r := rune(0x30000); r < 0x31350; r++ { // CJK Ext G: absent from both fonts
		if !e.Printable(r) {
			unprintable = r
			break
		}
	}
	if unprintable == 0 {
		t.Fatal("test needs a character the fonts lack")
	}
	tests := []struct {
		name, student string
		printed       string // what pdftotext must show ("" = skip)
		attention     bool
	}{
		{"surname above U+FFFF is printed from the display font", "𠮷祥", "𠮷祥", false},
		{"extension A character is printed", "王㛃", "王㛃", false},
		{"name with middle dot is printed whole", "阿卜杜拉·艾合买提", "阿卜杜拉·艾合买提", false},
		{"markup in a name is printed literally", "<b>李</b>四", "<b>李</b>四", false},
		{"character missing from every font is marked and reported", "刘" + string(unprintable) + "华", "刘" + missingMark + "华", true},
		{"invisible characters are dropped", "周\u200b杰", "周杰", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := sampleLetter(PrimaryUpper, tc.student)
			path, st := writePDF(t, []Letter{l}, Options{})
			if got := len(st.Attention) > 0; got != tc.attention {
				t.Fatalf("attention = %+v, want reported: %v", st.Attention, tc.attention)
			}
			if tc.attention {
				a := st.Attention[0]
				if a.Field != "学生姓名" || a.StudentName != tc.student || a.Ref != l.Ref || len(a.Missing) != 1 || !strings.Contains(a.Message, "手写") {
					t.Errorf("attention entry = %+v", a)
				}
			}
			if tc.printed != "" {
				if got := strings.Count(stripSpace(pdfText(t, path)), tc.printed); got < 2 {
					t.Errorf("%q printed %d times, want salutation and slip", tc.printed, got)
				}
			}
		})
	}
	t.Run("printable reports what the fonts hold", func(t *testing.T) {
		for r, want := range map[rune]bool{'𠮷': true, '㛃': true, '·': true, '王': true, unprintable: false, 0xE000: false, '\n': false} {
			if got := e.Printable(r); got != want {
				t.Errorf("Printable(%U) = %v, want %v", r, got, want)
			}
		}
	})
}

func TestDuplexStartsEveryLetterOnAnOddPage(t *testing.T) {
	t.Parallel()
	ls := []Letter{sampleLetter(Junior, "甲"), sampleLetter(Junior, "乙"), sampleLetter(Junior, "丙")}
	tests := []struct {
		name   string
		duplex bool
		pages  int
	}{
		{"simplex prints one page per letter", false, 3},
		{"duplex adds a blank back page after one-page letters", true, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path, st := writePDF(t, ls, Options{Duplex: tc.duplex})
			if got := pdfPages(t, path); got != tc.pages || st.Pages != tc.pages {
				t.Fatalf("pages = %d (stats %d), want %d", got, st.Pages, tc.pages)
			}
			if st.Letters != 3 {
				t.Errorf("Stats.Letters = %d", st.Letters)
			}
		})
	}
}

func TestConcurrentRenderingIsSafe(t *testing.T) {
	t.Parallel()
	e := testEngine(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ag := AgeGroups()[g%4]
			ls := []Letter{sampleLetter(ag, fmt.Sprintf("学生%d", g)), sampleLetter(ag, "𠮷"+fmt.Sprint(g))}
			if _, err := e.WriteLetters(io.Discard, ls, Options{}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestSchoolZipHasAPDFPerClassInOrder(t *testing.T) {
	t.Parallel()
	e := testEngine(t)
	classes := []ClassLetters{
		{ClassName: "一年级1班", Letters: []Letter{sampleLetter(PrimaryLower, "甲"), sampleLetter(PrimaryLower, "乙")}},
		{ClassName: "初二(3)班", Letters: []Letter{sampleLetter(Junior, "丙")}},
		{ClassName: "一年级1班", Letters: []Letter{sampleLetter(PrimaryLower, "丁")}},
		{ClassName: "高三/1班", Letters: []Letter{sampleLetter(Senior, "戊")}},
	}
	var buf bytes.Buffer
	var progress []int
	st, err := e.WriteSchoolZip(&buf, classes, BatchOptions{Workers: 2, Progress: func(done, total int) { progress = append(progress, done) }})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, _ := f.Open()
		head := make([]byte, 5)
		io.ReadFull(rc, head)
		rc.Close()
		if string(head) != "%PDF-" {
			t.Errorf("%s is not a PDF", f.Name)
		}
	}
	want := []string{"一年级1班.pdf", "初二(3)班.pdf", "一年级1班（2）.pdf", "高三_1班.pdf"}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Errorf("zip entries = %v, want %v", names, want)
	}
	if st.Files != 4 || st.Letters != 5 || st.Pages != 5 {
		t.Errorf("stats = %+v", st)
	}
	if fmt.Sprint(progress) != "[1 2 3 4]" {
		t.Errorf("progress calls = %v", progress)
	}
}

func TestUnknownAgeGroupIsAnError(t *testing.T) {
	t.Parallel()
	_, err := testEngine(t).WriteLetters(io.Discard, []Letter{sampleLetter("kindergarten", "甲")}, Options{})
	if err == nil || !strings.Contains(err.Error(), "kindergarten") {
		t.Fatalf("err = %v", err)
	}
}

func TestSizeOfPDFs(t *testing.T) {
	t.Parallel()
	e := testEngine(t)
	size := func(ls []Letter) int64 {
		t.Helper()
		st, err := e.WriteLetters(io.Discard, ls, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return st.Bytes
	}
	t.Run("a one-letter PDF is at most 60 KB", func(t *testing.T) {
		for _, ag := range AgeGroups() {
			if n := size([]Letter{sampleLetter(ag, "王小明")}); n > 60*1024 {
				t.Errorf("%s: %d bytes", ag, n)
			}
		}
	})
	t.Run("a class PDF holds the letters' common text once", func(t *testing.T) {
		one := size(classLetters(1, Junior, "初二(3)班"))
		class := size(classLetters(30, Junior, "初二(3)班"))
		// Each further letter adds its name, slip and QR code (~2.3 KB),
		// not another copy of the text (~5 KB).
		if per := (class - one) / 29; per > 3500 {
			t.Errorf("each further letter adds %d bytes (one letter %d, 30 letters %d)", per, one, class)
		}
	})
}
