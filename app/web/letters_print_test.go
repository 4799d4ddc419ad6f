package web

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// addGuardedStudent adds a student whose only guardian has relation.
func (f *webFixture) addGuardedStudent(t *testing.T, schoolID, classID int64, number, name, relation string) int64 {
	t.Helper()
	ctx := context.Background()
	s := f.st
	var sid, gid int64
	if err := s.DB().QueryRowContext(ctx, s.Rebind(`INSERT INTO students (school_id, class_id, number, name, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`),
		schoolID, classID, number, name, s.Now()).Scan(&sid); err != nil {
		t.Fatal(err)
	}
	if err := s.DB().QueryRowContext(ctx, s.Rebind(`INSERT INTO guardians (school_id, name, relation, mobile) VALUES (?, ?, ?, '13700001111') RETURNING id`),
		schoolID, string([]rune(name)[:1])+relation, relation).Scan(&gid); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, s.Rebind(`INSERT INTO student_guardians (student_id, guardian_id, position) VALUES (?, ?, 1)`), sid, gid); err != nil {
		t.Fatal(err)
	}
	return sid
}

var pdfPagesLine = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

// pdfFacts writes pdf to dir and returns its page count and text (spaces
// removed: the typesetter's thin gaps read as spaces).
func pdfFacts(t *testing.T, dir, name string, pdf []byte) (pages int, text string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v (%.200q)", name, err, pdf)
	}
	m := pdfPagesLine.FindSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count", name)
	}
	pages, _ = strconv.Atoi(string(m[1]))
	txt, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return pages, strings.Join(strings.Fields(string(txt)), "")
}

// TestLargePrintLetters: a grandmother's grandchild gets the two-page
// large-print letter without anyone asking; a teacher can ask for it for
// one student or the whole class; the class page says which letters are
// large print and lists the letters to check before printing.
func TestLargePrintLetters(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"pdfinfo", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s (poppler-utils) is not installed", tool)
		}
	}
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			grandchild := f.addGuardedStudent(t, f.schoolA, f.classA1, "A0003", "孙小满", "奶奶")
			f.addGuardedStudent(t, f.schoolA, f.classA1, "A0004", strings.Repeat("长", 2000), "父亲")
			f.addGuardedStudent(t, f.schoolA, f.classA1, "A0005", "王\U00030000", "母亲")
			teacher := newBrowser(t, f.srv.URL)
			teacher.login("ta")
			dir := t.TempDir()
			// The class's letters are generated once (a POST), then every
			// download is a re-print.
			if r := teacher.post("/classes/"+itoa(f.classA1)+"/letters", nil); r.Status != 200 {
				t.Fatalf("generate: %d %.300s", r.Status, r.Body)
			}
			letter := func(path, file string) (int, string) {
				t.Helper()
				r := teacher.get(path)
				if r.Status != 200 || r.Header.Get("Content-Type") != pdfType {
					t.Fatalf("%s: %d %.300s", path, r.Status, r.Body)
				}
				return pdfFacts(t, dir, file, []byte(r.Body))
			}

			t.Run("a grandmother's grandchild gets two large-print pages", func(t *testing.T) {
				pages, text := letter("/students/"+itoa(grandchild)+"/letter.pdf", "grandchild.pdf")
				if pages != 2 || !strings.Contains(text, "孙小满") || !strings.Contains(text, "http://jiashu.test/a") {
					t.Fatalf("%d pages, text %.300s", pages, text)
				}
			})
			t.Run("a mother's child gets one page, or large print on request", func(t *testing.T) {
				if pages, _ := letter("/students/"+itoa(f.studentA1)+"/letter.pdf", "normal.pdf"); pages != 1 {
					t.Fatalf("%d pages, want 1", pages)
				}
				pages, text := letter("/students/"+itoa(f.studentA1)+"/letter.pdf?large_print=true", "asked.pdf")
				if pages != 2 || !strings.Contains(text, "王小明") {
					t.Fatalf("large print on request: %d pages", pages)
				}
			})
			t.Run("the class PDF: large print for the grandchild, or for all on request", func(t *testing.T) {
				// 王小明, 李华, 孙小满 (2), the long name, 王＿.
				if pages, _ := letter("/classes/"+itoa(f.classA1)+"/letters.pdf", "class.pdf"); pages != 6 {
					t.Fatalf("class PDF: %d pages, want 6", pages)
				}
				if pages, _ := letter("/api/v1/classes/"+itoa(f.classA1)+"/letters.pdf?large_print=true", "class-large.pdf"); pages != 10 {
					t.Fatalf("class PDF in large print: %d pages, want 10", pages)
				}
			})
			t.Run("the class page marks the large-print letter and lists the letters to check", func(t *testing.T) {
				p := teacher.get("/classes/" + itoa(f.classA1))
				for _, want := range []string{
					`name="large_print" value="true"`,
					"本班有 1 名学生的第一监护人是祖辈",
					`href="/students/` + itoa(f.studentA1) + `/letter.pdf?campaign=`,
					"打印前请核对（2 处）",
					"学生姓名有 2000 个字，太长了",
					"学生姓名“王\U00030000”中有 1 个字无法打印",
				} {
					if !strings.Contains(p.Body, want) {
						t.Errorf("class page lacks %q", want)
					}
				}
				if !strings.Contains(p.Body, `large_print=true" aria-label`) {
					t.Errorf("no student is offered large print")
				}
				// The grandchild's row links its letter once: no large-print link.
				if strings.Count(p.Body, `/students/`+itoa(grandchild)+`/letter.pdf`) != 1 {
					t.Errorf("the grandchild, large print already, is offered large print again")
				}
			})
			t.Run("the school's letters job counts the large-print letters and lists the checks", func(t *testing.T) {
				admin := newBrowser(t, f.srv.URL)
				admin.login("adminA")
				r := admin.post("/schools/"+itoa(f.schoolA)+"/letters", url.Values{})
				runJobs(t, testRunner(t, f, "w"))
				p := admin.get(r.Location)
				// The name cut is listed apart from the other letter to check.
				for _, want := range []string{"共 5 封信，其中大字版 1 封", "打印前请核对（1 处）", "无法打印", "印短了的名字（1 个）", "太长了"} {
					if !strings.Contains(p.Body, want) {
						t.Errorf("job page lacks %q: %.2000s", want, p.Body)
					}
				}
				api := admin.get("/api/v1" + r.Location)
				if !strings.Contains(api.Body, `"large_print":1`) || !strings.Contains(api.Body, `"attention_total":1`) || !strings.Contains(api.Body, `"cut_names":[{`) {
					t.Errorf("API job: %s", api.Body)
				}
			})
		})
	}
}

// TestBaseURLBanner: while the base URL leads nowhere, the education
// center sees it on every page; teachers and schools do not; a public
// URL, or the demo, shows nothing.
func TestBaseURLBanner(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	const banner = `id="base-url-warning"`
	for _, c := range []struct {
		name, baseURL string
		given, demo   bool
		center        bool // the center sees the banner
	}{
		{"unset", "http://localhost:8080", false, false, true},
		{"loopback, given", "http://127.0.0.1:8080", true, false, true},
		{"public", "https://jx.example.cn", true, false, false},
		{"unset, in the demo", "http://localhost:8080", false, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := *f
			f.cfg.BaseURL, f.cfg.BaseURLGiven, f.cfg.Demo = c.baseURL, c.given, c.demo
			srv := f.serve(t, f.st)
			center := newBrowser(t, srv.URL)
			center.login("district")
			for _, path := range []string{"/", "/classes", "/classes/" + itoa(f.classA1), "/account"} {
				p := center.get(path)
				if p.Status == 303 {
					p = center.get(p.Location)
				}
				if got := strings.Contains(p.Body, banner); got != c.center {
					t.Errorf("center on %s: banner %v, want %v", path, got, c.center)
				}
				if c.center && !strings.Contains(p.Body, c.baseURL) {
					t.Errorf("center on %s: the banner does not show %s", path, c.baseURL)
				}
			}
			for _, user := range []string{"ta", "adminA"} {
				b := newBrowser(t, srv.URL)
				b.login(user)
				if p := b.get("/classes/" + itoa(f.classA1)); strings.Contains(p.Body, banner) {
					t.Errorf("%s sees the banner", user)
				}
			}
		})
	}
}
