package web

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"jiashu/letters"
)

var pdfPageSizeRE = regexp.MustCompile(`Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`)

// pdfPageRatios are the pages' width/height ratios.
func pdfPageRatios(t *testing.T, data []byte) []float64 {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("pdfinfo (poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", "-f", "1", "-l", "999", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	var ratios []float64
	for _, m := range pdfPageSizeRE.FindAllStringSubmatch(string(out), -1) {
		w, _ := strconv.ParseFloat(m[1], 64)
		h, _ := strconv.ParseFloat(m[2], 64)
		ratios = append(ratios, w/h)
	}
	return ratios
}

func TestLessonKitsDownloadForEachAgeGroupPresent(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	ctx := context.Background()
	// A senior class in 明德中学 beside its 初一: every age group is present
	// in the district.
	if _, err := f.st.EnsureClass(ctx, f.schoolB, 10, 1, "高一1班"); err != nil {
		t.Fatal(err)
	}
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		t.Fatal(err)
	}
	kit, err := eng.DefaultLessons()
	if err != nil {
		t.Fatal(err)
	}
	district := newBrowser(t, f.srv.URL)
	district.login("district")

	kits := map[int64][]string{f.schoolA: {letters.PrimaryLower, letters.PrimaryUpper}, f.schoolB: {letters.Junior, letters.Senior}}
	for school, ags := range kits {
		t.Run("school "+itoa(school)+": the school page and the API offer the kits of its age groups only", func(t *testing.T) {
			var api struct {
				Lessons []lessonKitLink `json:"lessons"`
			}
			r := district.get("/api/v1/schools/" + itoa(school) + "/lessons")
			if err := json.Unmarshal([]byte(r.Body), &api); err != nil || len(api.Lessons) != len(ags) {
				t.Fatalf("%d %s", r.Status, r.Body)
			}
			page := district.get("/schools/" + itoa(school))
			for i, ag := range ags {
				if api.Lessons[i].AgeGroup != ag || !strings.HasPrefix(api.Lessons[i].SheetURL, "/api/v1/") {
					t.Errorf("kit %d: %+v", i, api.Lessons[i])
				}
				if !strings.Contains(page.Body, "/schools/"+itoa(school)+"/lessons/"+ag+"/slides.pdf") {
					t.Errorf("school page lacks the %s slides", ag)
				}
			}
		})
		for _, ag := range ags {
			t.Run(ag+": the sheet has the methods, the quiz, 110 and 96110; the slides are 16:9", func(t *testing.T) {
				l, _ := kit.Lesson(ag)
				sheet := district.get("/schools/" + itoa(school) + "/lessons/" + ag + "/sheet.pdf")
				if sheet.Status != http.StatusOK || sheet.Header.Get("Content-Type") != pdfType || !strings.Contains(sheet.Header.Get("Content-Disposition"), "attachment") {
					t.Fatalf("sheet: %d %v", sheet.Status, sheet.Header)
				}
				text := pdfWords(t, []byte(sheet.Body), "-layout")
				want := []string{l.Title, "110", "96110"}
				for _, sc := range l.Scenarios {
					want = append(want, sc.Title)
					m, _ := eng.Library().Method(sc.Method)
					want = append(want, "手法库："+m.Title)
				}
				for _, q := range l.Quiz {
					want = append(want, q.Text, q.Explanation)
				}
				for _, w := range want {
					if !strings.Contains(text, strings.Join(strings.Fields(w), "")) {
						t.Errorf("sheet lacks %q", w)
					}
				}
				slides := district.get("/api/v1/schools/" + itoa(school) + "/lessons/" + ag + "/slides.pdf")
				if slides.Status != http.StatusOK {
					t.Fatalf("slides: %d %.200s", slides.Status, slides.Body)
				}
				ratios := pdfPageRatios(t, []byte(slides.Body))
				if len(ratios) < 2*(len(l.Scenarios)+len(l.Quiz)) {
					t.Errorf("%d slides for %d scenarios and %d questions with their answers", len(ratios), len(l.Scenarios), len(l.Quiz))
				}
				for i, r := range ratios {
					if r < 16.0/9-0.01 || r > 16.0/9+0.01 {
						t.Errorf("slide %d is %.3f:1, want 16:9", i+1, r)
					}
				}
				if got := pdfWords(t, []byte(slides.Body)); !strings.Contains(got, strings.Join(strings.Fields(l.Quiz[0].Text), "")) {
					t.Errorf("slides lack the first question")
				}
			})
		}
	}
	t.Run("an age group the school has no class of is not found", func(t *testing.T) {
		if r := district.get("/schools/" + itoa(f.schoolA) + "/lessons/senior/sheet.pdf"); r.Status != http.StatusNotFound {
			t.Errorf("%d", r.Status)
		}
		if r := district.get("/schools/" + itoa(f.schoolA) + "/lessons/primary-lower/other.pdf"); r.Status != http.StatusNotFound {
			t.Errorf("%d", r.Status)
		}
	})
	t.Run("a class's kit is its age group's, named for the class, and audited", func(t *testing.T) {
		tb := newBrowser(t, f.srv.URL)
		tb.login("tb") // 五年级3班: 小学高年级
		l, _ := kit.Lesson(letters.PrimaryUpper)
		r := tb.get("/classes/" + itoa(f.classA2) + "/lesson-sheet.pdf")
		if r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Content-Disposition"), "lesson-primary-upper-sheet.pdf") {
			t.Fatalf("%d %v", r.Status, r.Header)
		}
		if got := pdfWords(t, []byte(r.Body)); !strings.Contains(got, "五年级3班") || !strings.Contains(got, strings.Join(strings.Fields(l.Title), "")) {
			t.Errorf("class sheet: %.400s", got)
		}
		if r := tb.get("/api/v1/classes/" + itoa(f.classA2) + "/lesson-slides.pdf"); r.Status != http.StatusOK {
			t.Errorf("class slides by the API: %d", r.Status)
		}
		log, _ := f.st.AuditLog(ctx, 5)
		if len(log) < 2 || log[0].Action != "lesson_downloaded" || log[0].UserID != f.users["tb"].ID || !strings.Contains(log[0].Detail, "primary-upper slides") ||
			!strings.Contains(log[1].Detail, "primary-upper sheet") {
			t.Errorf("audit: %+v", log)
		}
	})
	t.Run("a teacher cannot take another class's or a school's kit", func(t *testing.T) {
		tb := newBrowser(t, f.srv.URL)
		tb.login("tb")
		if r := tb.get("/classes/" + itoa(f.classA1) + "/lesson-sheet.pdf"); r.Status != http.StatusNotFound {
			t.Errorf("another class's kit: %d", r.Status)
		}
		if r := tb.get("/schools/" + itoa(f.schoolA) + "/lessons/primary-upper/sheet.pdf"); r.Status != http.StatusForbidden {
			t.Errorf("the school's kit: %d", r.Status)
		}
		adminB := newBrowser(t, f.srv.URL)
		adminB.login("adminB")
		if r := adminB.get("/api/v1/schools/" + itoa(f.schoolA) + "/lessons"); r.Status != http.StatusNotFound {
			t.Errorf("another school's kits: %d", r.Status)
		}
	})
}
