package web

import (
	"net/http"
	"os"
	"strings"
	"testing"
)

// TestImportCapIsASetting: the students one roster file may hold on the
// pages and the API is --max-import-students (JIASHU_MAX_IMPORT_STUDENTS).
func TestImportCapIsASetting(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	f.cfg.MaxImportStudents = 3
	hs := f.serve(t, f.st)
	admin := newBrowser(t, hs.URL)
	admin.login("adminA")
	data, err := os.ReadFile(fixture("clean-class.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	r := admin.upload("/api/v1/schools/"+itoa(f.schoolA)+"/imports", "clean-class.xlsx", data, map[string]string{"dry_run": "true"})
	if r.Status/100 != 4 || !strings.Contains(r.Body, "too_many_students") || !strings.Contains(r.Body, "上限 3 名学生") {
		t.Fatalf("API with a cap of 3: %d %.400s", r.Status, r.Body)
	}
	p := admin.upload("/classes/"+itoa(f.classA1)+"/roster", "clean-class.xlsx", data, nil)
	if p.Status/100 != 4 || !strings.Contains(p.Body, "上限 3 名学生") {
		t.Fatalf("page with a cap of 3: %d %.400s", p.Status, p.Body)
	}
	if r := newBrowserAs(t, f.srv.URL, "adminA").upload("/api/v1/schools/"+itoa(f.schoolA)+"/imports", "clean-class.xlsx", data,
		map[string]string{"dry_run": "true"}); r.Status != http.StatusOK {
		t.Fatalf("the default cap: %d %.300s", r.Status, r.Body)
	}
}

// newBrowserAs is a browser signed in as username.
func newBrowserAs(t *testing.T, base, username string) *browser {
	b := newBrowser(t, base)
	b.login(username)
	return b
}
