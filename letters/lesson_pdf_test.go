package letters

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var lessonDate = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)

func defaultLessons(t testing.TB) *Lessons {
	t.Helper()
	ls, err := testEngine(t).DefaultLessons()
	if err != nil {
		t.Fatalf("default lessons rejected: %v", err)
	}
	return ls
}

// writeKit writes the lesson sheet and slides of an age group into dir
// (a temp dir, or $LESSON_OUT to look at them) and returns their paths.
func writeKit(t *testing.T, ag string, opt LessonOptions) (sheet, slides string) {
	t.Helper()
	l, err := defaultLessons(t).Lesson(ag)
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("LESSON_OUT")
	if dir == "" {
		dir = t.TempDir()
	}
	e := testEngine(t)
	var a, b bytes.Buffer
	if err := e.WriteLessonSheet(&a, l, opt); err != nil {
		t.Fatalf("WriteLessonSheet: %v", err)
	}
	if err := e.WriteSlides(&b, l, opt); err != nil {
		t.Fatalf("WriteSlides: %v", err)
	}
	sheet, slides = filepath.Join(dir, ag+"-sheet.pdf"), filepath.Join(dir, ag+"-slides.pdf")
	if err := os.WriteFile(sheet, a.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(slides, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return sheet, slides
}

// pdfPagesText returns the text of each page (pdftotext separates pages
// with a form feed).
func pdfPagesText(t *testing.T, path string) []string {
	t.Helper()
	pages := strings.Split(pdfText(t, path), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages
}

func TestLessonKitPrintsEachAgeGroupsContent(t *testing.T) {
	t.Parallel()
	opt := LessonOptions{School: "重庆市渝北区实验小学", Class: "三年级2班", Date: lessonDate}
	for _, ag := range AgeGroups() {
		t.Run(ag, func(t *testing.T) {
			l, _ := defaultLessons(t).Lesson(ag)
			sheet, slides := writeKit(t, ag, opt)

			// The teacher's sheet: everything, in order, on at most two pages.
			if n := pdfPages(t, sheet); n > SheetMaxPages {
				t.Errorf("lesson sheet has %d pages, want at most %d", n, SheetMaxPages)
			}
			want := []string{l.Title, "重庆市渝北区实验小学三年级2班", "2026年11月20日"}
			want = append(want, l.Aims...)
			for _, st := range l.Plan {
				want = append(want, strconv.Itoa(st.Minutes)+"分钟"+st.Text)
			}
			for _, sc := range l.Scenarios {
				want = append(want, sc.Title, sc.Story, "想一想："+sc.Ask, "记住："+sc.Remember)
			}
			want = append(want, l.Discussion...)
			want = append(want, l.Rules...)
			for _, q := range l.Quiz {
				want = append(want, q.Text)
				want = append(want, q.Options...)
				want = append(want, fmt.Sprintf("答案：%c", 'A'+q.Answer), q.Explanation)
			}
			// -layout: reading order by lines (the default mode reorders
			// the quiz's option columns).
			text := pdfText(t, sheet, "-layout")
			if miss := missingInOrder(strings.Join(want, ""), text); miss != "" {
				t.Errorf("lesson sheet: missing or out of order near %q", miss)
			}
			for _, n := range []string{"110", "96110"} {
				if !strings.Contains(text, n) {
					t.Errorf("lesson sheet lacks %s", n)
				}
			}

			// The slides: the cover names the class and date; each scenario
			// and question is followed by the slide with its answer.
			pages := pdfPagesText(t, slides)
			for i := range pages {
				pages[i] = stripSpace(pages[i])
			}
			if !strings.Contains(pages[0], stripSpace(l.Title)) || !strings.Contains(pages[0], "三年级2班") || !strings.Contains(pages[0], "2026年11月20日") {
				t.Errorf("cover slide: %q", pages[0])
			}
			followedBy := func(what, ask, answer string) {
				t.Helper()
				for p := 0; p+1 < len(pages); p++ {
					if strings.Contains(pages[p], stripSpace(ask)) {
						if strings.Contains(pages[p], stripSpace(answer)) {
							t.Errorf("%s: the answer is on the same slide as the question", what)
						}
						if !strings.Contains(pages[p+1], stripSpace(answer)) {
							t.Errorf("%s: slide %d is not followed by its answer %q", what, p+1, answer)
						}
						return
					}
				}
				t.Errorf("%s: no slide shows %q", what, ask)
			}
			for i, sc := range l.Scenarios {
				followedBy(fmt.Sprintf("scenario %d", i+1), sc.Story, sc.Remember)
			}
			for i, q := range l.Quiz {
				followedBy(fmt.Sprintf("question %d", i+1), q.Text, q.Explanation)
			}
			all := strings.Join(pages, "")
			for _, n := range []string{"110", "96110"} {
				if !strings.Contains(all, n) {
					t.Errorf("slides lack %s", n)
				}
			}
		})
	}
}

var (
	pageSizeRE   = regexp.MustCompile(`Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`)
	lessonWordRE = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	tfRE         = regexp.MustCompile(`/F\d+ ([\d.]+) Tf`)
)

// textSizes returns the type sizes of every text run in the PDF's page
// contents (the operands of Tf).
func textSizes(t *testing.T, path string) []float64 {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []float64
	for _, part := range bytes.Split(raw, []byte("stream\n"))[1:] {
		zr, err := zlib.NewReader(bytes.NewReader(part))
		if err != nil {
			continue
		}
		data, _ := io.ReadAll(zr)
		for _, m := range tfRE.FindAllSubmatch(data, -1) {
			v, _ := strconv.ParseFloat(string(m[1]), 64)
			sizes = append(sizes, v)
		}
	}
	return sizes
}

func TestSlidesAre16By9WithTextAtLeast28pt(t *testing.T) {
	t.Parallel()
	needTool(t, "pdfinfo")
	for _, ag := range AgeGroups() {
		t.Run(ag, func(t *testing.T) {
			_, slides := writeKit(t, ag, LessonOptions{School: "重庆市第一中学校", Class: "高二（3）班", Date: lessonDate})
			n := pdfPages(t, slides)
			out, err := exec.Command("pdfinfo", "-f", "1", "-l", strconv.Itoa(n), slides).Output()
			if err != nil {
				t.Fatal(err)
			}
			sizes := pageSizeRE.FindAllSubmatch(out, -1)
			if len(sizes) != n || n < 15 {
				t.Fatalf("%d pages, %d page sizes", n, len(sizes))
			}
			for i, m := range sizes {
				w, _ := strconv.ParseFloat(string(m[1]), 64)
				h, _ := strconv.ParseFloat(string(m[2]), 64)
				if d := w/h - 16.0/9; d > 0.001 || d < -0.001 {
					t.Errorf("slide %d is %gx%g pt, not 16:9", i+1, w, h)
				}
			}
			// Every size set is at least 28 pt …
			set := textSizes(t, slides)
			if len(set) == 0 {
				t.Fatal("no text operators found")
			}
			for _, s := range set {
				if s < SlideMinPt {
					t.Errorf("text set at %g pt", s)
				}
			}
			// … and so is every word as a PDF reader measures it (the box
			// of a 28 pt line is at least 1.18 × 28 pt high in both fonts).
			words := lessonWordRE.FindAllStringSubmatch(pdfText(t, slides, "-bbox"), -1)
			if len(words) < 100 {
				t.Fatalf("only %d words measured", len(words))
			}
			for _, m := range words {
				y0, _ := strconv.ParseFloat(m[2], 64)
				y1, _ := strconv.ParseFloat(m[4], 64)
				if y1-y0 < 1.18*SlideMinPt {
					t.Errorf("%q is %.1f pt high", m[5], y1-y0)
				}
			}
		})
	}
}

func TestLessonSheetWithoutClassLeavesBlanksToFillIn(t *testing.T) {
	t.Parallel()
	sheet, slides := writeKit(t, PrimaryUpper, LessonOptions{})
	if text := pdfText(t, sheet); !strings.Contains(text, "班级：＿") || !strings.Contains(text, "日期：＿") {
		t.Errorf("sheet without class and date has no blanks: %q", text[:200])
	}
	if cover := pdfPagesText(t, slides)[0]; strings.Contains(cover, "年") && strings.Contains(cover, "月") {
		t.Errorf("cover prints a date that was not given: %q", cover)
	}
}

func TestLessonKitPrintsAnUnprintableSchoolNameWithABlank(t *testing.T) {
	t.Parallel()
	sheet, slides := writeKit(t, Junior, LessonOptions{School: "重庆市\U00030000中学", Class: "初一（2）班"})
	for _, p := range []string{sheet, slides} {
		if text := stripSpace(pdfText(t, p)); !strings.Contains(text, "重庆市＿中学初一（2）班") {
			t.Errorf("%s: school name not printed with a blank: %q", filepath.Base(p), text[:120])
		}
	}
}

func TestSlidesRefuseTextTooLongFor28pt(t *testing.T) {
	t.Parallel()
	l, _ := defaultLessons(t).Lesson(Junior)
	long := *l
	long.Scenarios = append([]Scenario(nil), l.Scenarios...)
	long.Scenarios[1].Story = strings.Repeat("有人在群里说借号赚钱。", 30)
	err := testEngine(t).WriteSlides(io.Discard, &long, LessonOptions{})
	if err == nil || !strings.Contains(err.Error(), "情景二的故事太长") {
		t.Errorf("want an error naming 情景二的故事, got %v", err)
	}
}

func TestEveryPictogramDrawsAVisibleIcon(t *testing.T) {
	t.Parallel()
	needTool(t, "pdftoppm")
	d := newKitDoc(testEngine(t), 60, 60)
	names := PictogramNames()
	for _, n := range names {
		d.page()
		d.icon(n, 10, 10, 40, inkC, whiteC)
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "icons.pdf")
	var buf bytes.Buffer
	if err := d.write(&buf, "icons", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pdf, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "30", "-png", pdf, filepath.Join(dir, "icon")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	for i, n := range names {
		f, err := os.Open(filepath.Join(dir, fmt.Sprintf("icon-%02d.png", i+1)))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		dark, all := 0, 0
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				all++
				if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
					dark++
				}
			}
		}
		// The icon's box is 44% of the page; a drawn icon covers a good
		// part of it.
		if frac := float64(dark) / float64(all); frac < 0.06 || frac > 0.44 {
			t.Errorf("pictogram %s covers %.0f%% of the page", n, 100*frac)
		}
	}
}

// BenchmarkLessonKit measures one age group's kit: the lesson sheet and
// the slides.
func BenchmarkLessonKit(b *testing.B) {
	e := testEngine(b)
	l, err := defaultLessons(b).Lesson(Senior)
	if err != nil {
		b.Fatal(err)
	}
	opt := LessonOptions{School: "重庆市第一中学校", Class: "高二（3）班", Date: lessonDate}
	b.Run("sheet", func(b *testing.B) {
		for b.Loop() {
			if err := e.WriteLessonSheet(io.Discard, l, opt); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("slides", func(b *testing.B) {
		for b.Loop() {
			if err := e.WriteSlides(io.Discard, l, opt); err != nil {
				b.Fatal(err)
			}
		}
	})
}
