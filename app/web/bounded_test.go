package web

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"jiashu/roster"
	"jiashu/roster/rostertest"
	"jiashu/store"
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
