package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"jiashu/app/internal/browsertest"
	"jiashu/roster"
	"jiashu/roster/rostertest"
	"jiashu/store"

	"github.com/chromedp/chromedp"
)

// classRoster is a generated roster of one class (一年级1班) of n students.
func classRoster(t *testing.T, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := rostertest.Generate(&buf, n, rostertest.PerClass(n), rostertest.Seed(7)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// importedClass is the class called name in the school, or fails.
func importedClass(t *testing.T, st *store.Store, schoolID int64, name string) store.Class {
	t.Helper()
	classes, err := st.Classes(context.Background(), schoolID)
	if err != nil {
		t.Fatal(err)
	}
	for _, cl := range classes {
		if cl.Name == name {
			return cl
		}
	}
	t.Fatalf("no class %s", name)
	return store.Class{}
}

// TestAClassOverTheCapIsRefusedAndAFullClassIsPaginated: a roster with a
// class of 121 students is refused with its message and writes nothing; a
// class of 120 is imported and its page shows 50 students a page, the
// right ones, while the API gives the whole class.
func TestAClassOverTheCapIsRefusedAndAFullClassIsPaginated(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	admin := newBrowser(t, f.srv.URL)
	admin.login("adminA")
	imports := "/api/v1/schools/" + itoa(f.schoolA) + "/imports"
	before, _ := f.st.Classes(context.Background(), f.schoolA)

	t.Run("121 students in one class are refused, naming the class, sheet and row", func(t *testing.T) {
		r := admin.upload(imports, "全校.xlsx", classRoster(t, roster.MaxClassStudents+1), nil)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, roster.CodeClassTooLarge) ||
			!strings.Contains(r.Body, "每班 120 名") || !strings.Contains(r.Body, "第123行") {
			t.Fatalf("%d %.400s", r.Status, r.Body)
		}
		if after, _ := f.st.Classes(context.Background(), f.schoolA); len(after) != len(before) {
			t.Errorf("%d classes after the refusal, %d before", len(after), len(before))
		}
	})

	if r := admin.upload(imports, "全校.xlsx", classRoster(t, roster.MaxClassStudents), nil); r.Status != http.StatusOK {
		t.Fatalf("a class at the cap: %d %.300s", r.Status, r.Body)
	}
	cl := importedClass(t, f.st, f.schoolA, "一年级1班")
	students, err := f.st.Students(context.Background(), cl.ID)
	if err != nil || len(students) != roster.MaxClassStudents {
		t.Fatalf("%d students, %v", len(students), err)
	}
	shown := func(body string, st store.Student) bool { return strings.Contains(body, ">"+st.Number+"</td>") }
	for _, c := range []struct {
		query    string
		from, to int // the students (by number) the page shows
	}{
		{"", 0, 50}, {"?page=2", 50, 100}, {"?page=3", 100, 120}, {"?page=99", 100, 120}, {"?page=x", 0, 50},
	} {
		t.Run("the class page"+c.query+" shows the right students", func(t *testing.T) {
			r := admin.get("/classes/" + itoa(cl.ID) + c.query)
			if r.Status != http.StatusOK || !strings.Contains(r.Body, `<nav class="pager`) {
				t.Fatalf("%d, no pager", r.Status)
			}
			for i, st := range students {
				if want := i >= c.from && i < c.to; shown(r.Body, st) != want {
					t.Errorf("student %d (%s) shown=%v, want %v", i+1, st.Number, !want, want)
				}
			}
			// The summary counts the whole class whatever the page.
			if !strings.Contains(r.Body, "<b>120</b>") {
				t.Error("the summary does not count all 120 students")
			}
		})
	}
	t.Run("the API gives the whole class on one page", func(t *testing.T) {
		r := admin.get("/api/v1/classes/" + itoa(cl.ID))
		if r.Status != http.StatusOK || strings.Count(r.Body, `"number":`) != 120 || !strings.Contains(r.Body, `"pagination":{"page":1,"pages":1,"total":120}`) {
			t.Errorf("%d: %d students", r.Status, strings.Count(r.Body, `"number":`))
		}
	})
}

// TestClassPagePagerInChromium: the second page of a full class at a
// phone's and a desktop's width, axe clean, its pager reachable.
func TestClassPagePagerInChromium(t *testing.T) {
	t.Parallel()
	ctx := browsertest.WithAxe(t, staffChromium(t))
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	admin := newBrowser(t, f.srv.URL)
	admin.login("adminA")
	if r := admin.upload("/api/v1/schools/"+itoa(f.schoolA)+"/imports", "全校.xlsx", classRoster(t, roster.MaxClassStudents), nil); r.Status != http.StatusOK {
		t.Fatalf("import: %d", r.Status)
	}
	cl := importedClass(t, f.st, f.schoolA, "一年级1班")
	page := browserPage{t: t, ctx: ctx, base: f.srv.URL, shots: artifacts(t, "class-pager")}
	page.login("adminA")
	for _, size := range [][2]int64{{390, 844}, {1280, 900}} {
		name := fmt.Sprintf("class-page-2-%dx%d", size[0], size[1])
		err := chromedp.Do(ctx, chromedp.EmulateViewport(size[0], size[1]), chromedp.Navigate(f.srv.URL+"/classes/"+itoa(cl.ID)+"?page=2"),
			chromedp.WaitVisible(chromedp.CSS("nav.pager")), chromedp.ScrollIntoView(chromedp.CSS("nav.pager")), page.viewShot(name))
		if err != nil {
			t.Fatal(err)
		}
		browsertest.Axe(t, ctx, name)
		if got := page.text("#rows-shown"); got != "第 51–100 名，共 120 名学生" {
			t.Errorf("rows shown: %q", got)
		}
		if got := page.text(`nav.pager a[aria-current="page"]`); got != "2" {
			t.Errorf("current page: %q", got)
		}
	}
}
