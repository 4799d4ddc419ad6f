package web

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestRosterUploadPage(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			ctx := context.Background()
			messy, err := os.ReadFile("../../roster/testdata/messy.xlsx")
			if err != nil {
				t.Fatal(err)
			}
			a2 := itoa(f.classA2) // 五年级3班, empty, teacher tb
			tb := newBrowser(t, f.srv.URL)
			tb.login("tb")
			r := tb.upload("/classes/"+a2+"/roster", "五年级3班.xlsx", messy, nil)
			uploadID := regexp.MustCompile(`action="/classes/` + a2 + `/roster/([A-Za-z0-9_-]{43})"`).FindStringSubmatch(r.Body)
			t.Run("the preview lists every problem with its row and writes nothing", func(t *testing.T) {
				if r.Status != 200 {
					t.Fatalf("status %d body %.500s", r.Status, r.Body)
				}
				for _, want := range []string{"第 13 行", "第 17 行", "第 26 行", "第 33 行", "1380013800", "不是有效的11位手机号码", "3 处错误"} {
					if !strings.Contains(r.Body, want) {
						t.Errorf("preview lacks %q", want)
					}
				}
				if sts, _ := f.st.Students(ctx, f.classA2); len(sts) != 0 {
					t.Fatalf("a preview wrote %d students", len(sts))
				}
				if uploadID == nil {
					t.Fatal("no confirm form for the valid rows")
				}
			})
			t.Run("confirming a file with errors without choosing valid rows writes nothing", func(t *testing.T) {
				r := tb.post("/classes/"+a2+"/roster/"+uploadID[1], nil)
				if r.Status != http.StatusUnprocessableEntity {
					t.Fatalf("status %d", r.Status)
				}
				if sts, _ := f.st.Students(ctx, f.classA2); len(sts) != 0 {
					t.Fatalf("wrote %d students", len(sts))
				}
			})
			t.Run("another teacher cannot use the upload", func(t *testing.T) {
				ta := newBrowser(t, f.srv.URL)
				ta.login("ta")
				if r := ta.post("/classes/"+a2+"/roster/"+uploadID[1], url.Values{"valid_only": {"true"}}); r.Status != http.StatusNotFound {
					t.Fatalf("into tb's class: status %d", r.Status)
				}
				if r := ta.post("/classes/"+itoa(f.classA1)+"/roster/"+uploadID[1], url.Values{"valid_only": {"true"}}); r.Status != http.StatusGone {
					t.Fatalf("into ta's own class: status %d", r.Status)
				}
			})
			t.Run("a roster of another class is refused on a class page", func(t *testing.T) {
				r := tb.upload("/classes/"+a2+"/roster", "x.xlsx", cleanRoster(t), nil)
				if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "三年级2班") {
					t.Fatalf("status %d body %.300s", r.Status, r.Body)
				}
				if cls, _ := f.st.Classes(ctx, f.schoolA); cls[0].ActiveStudents != 2 {
					t.Fatalf("三年级2班 changed: %+v", cls[0])
				}
			})
			t.Run("an Excel 97 file gets one plain message", func(t *testing.T) {
				legacy, _ := os.ReadFile("../../roster/testdata/legacy.xls")
				r := tb.upload("/classes/"+a2+"/roster", "old.xls", legacy, nil)
				if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "alert-error") {
					t.Fatalf("status %d", r.Status)
				}
			})
			t.Run("importing the valid rows only writes them and lands on the class page", func(t *testing.T) {
				r := tb.post("/classes/"+a2+"/roster/"+uploadID[1], url.Values{"valid_only": {"true"}})
				if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/classes/"+a2+"?imported=") {
					t.Fatalf("status %d location %q body %.300s", r.Status, r.Location, r.Body)
				}
				sts, _ := f.st.Students(ctx, f.classA2)
				if len(sts) < 30 {
					t.Fatalf("%d students imported", len(sts))
				}
				page := tb.get(r.Location)
				if !strings.Contains(page.Body, "名册已导入") || !strings.Contains(page.Body, sts[0].Name) {
					t.Fatalf("class page after import: %.500s", page.Body)
				}
				if regexp.MustCompile(`1[3-9]\d{9}`).MatchString(page.Body) {
					t.Fatal("the class page shows a full phone number")
				}
				if !regexp.MustCompile(`1[3-9]\d\*\*\*\*\d{4}`).MatchString(page.Body) {
					t.Fatal("the class page shows no masked phone")
				}
				if r := tb.post("/classes/"+a2+"/roster/"+uploadID[1], url.Values{"valid_only": {"true"}}); r.Status != http.StatusGone {
					t.Fatalf("a used upload answers %d", r.Status)
				}
				log, _ := f.st.AuditLog(ctx, 5)
				if len(log) == 0 || log[0].Action != "roster_imported" || log[0].UserID != f.users["tb"].ID {
					t.Fatalf("audit log: %+v", log)
				}
			})
		})
	}
}
