package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"jiashu/store"
)

func TestEraseFamilyShowsTheDryRunBeforeErasing(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			f := newWebFixture(t, dsn)
			ctx := context.Background()
			admin := newBrowser(t, f.srv.URL)
			admin.login("adminA")
			page := "/schools/" + itoa(f.schoolA) + "/erase"
			nameOf := func(id int64) string {
				st, err := f.st.Student(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				return st.Name
			}
			t.Run("the school page leads there", func(t *testing.T) {
				if r := admin.get("/schools/" + itoa(f.schoolA)); !strings.Contains(r.Body, `href="`+page+`"`) {
					t.Fatal("no link to the erase page")
				}
			})
			t.Run("a number shows who and how much, and erases nothing", func(t *testing.T) {
				r := admin.get(page + "?number=A0001")
				if r.Status != http.StatusOK || !strings.Contains(r.Body, "王小明") || !strings.Contains(r.Body, "将删除 1 名学生") || !strings.Contains(r.Body, "1 位家长") {
					t.Fatalf("status %d %.1500s", r.Status, r.Body)
				}
				if nameOf(f.studentA1) != "王小明" {
					t.Fatal("the preview erased")
				}
			})
			t.Run("an unknown number is said so", func(t *testing.T) {
				if r := admin.get(page + "?number=NOPE"); r.Status != http.StatusNotFound || !strings.Contains(r.Body, "没有学号为“NOPE”的学生") {
					t.Fatalf("status %d", r.Status)
				}
			})
			t.Run("another school's student is out of reach", func(t *testing.T) {
				if r := admin.get(page + "?number=B0001"); r.Status != http.StatusNotFound || strings.Contains(r.Body, "赵敏") {
					t.Fatalf("status %d", r.Status)
				}
				if r := admin.post(page, url.Values{"student": {itoa(f.studentB1)}, "confirm": {"1"}}); r.Status != http.StatusNotFound {
					t.Fatalf("erase across schools: status %d", r.Status)
				}
				if nameOf(f.studentB1) != "赵敏" {
					t.Fatal("school B's student was erased by school A's administrator")
				}
			})
			t.Run("a teacher cannot", func(t *testing.T) {
				teacher := newBrowser(t, f.srv.URL)
				teacher.login("ta")
				if r := teacher.post(page, url.Values{"student": {itoa(f.studentA1)}, "confirm": {"1"}}); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
					t.Fatalf("status %d", r.Status)
				}
			})
			t.Run("without the confirmation nothing happens", func(t *testing.T) {
				if r := admin.post(page, url.Values{"student": {itoa(f.studentA1)}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "请先勾选确认") {
					t.Fatalf("status %d", r.Status)
				}
				if nameOf(f.studentA1) != "王小明" {
					t.Fatal("erased without confirmation")
				}
			})
			t.Run("confirmed, the family is erased and audited", func(t *testing.T) {
				r := admin.post(page, url.Values{"student": {itoa(f.studentA1)}, "confirm": {"1"}})
				if r.Status != http.StatusOK || !strings.Contains(r.Body, `id="erased"`) || !strings.Contains(r.Body, "删除了 1 名学生") {
					t.Fatalf("status %d %.800s", r.Status, r.Body)
				}
				if got := nameOf(f.studentA1); got != store.ErasedName {
					t.Fatalf("name %q", got)
				}
				log, _ := f.st.AuditLog(ctx, 20)
				found := false
				for _, e := range log {
					found = found || (e.Action == "family_erased" && e.UserID == f.users["adminA"].ID)
				}
				if !found {
					t.Fatal("no audit entry naming the administrator")
				}
			})
		})
	}
}
