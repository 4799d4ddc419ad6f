package web

import (
	"bytes"
	"encoding/json"
	"jiashu/app/campaign"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestImportAPI(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	b := newBrowser(t, f.srv.URL)
	b.login("adminA")
	path := "/api/v1/schools/" + strconv.FormatInt(f.schoolA, 10) + "/imports"
	read := func(name string) []byte {
		data, err := os.ReadFile(fixture(name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	students := func() int {
		cls, err := f.st.Classes(t.Context(), f.schoolA)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range cls {
			n += c.ActiveStudents
		}
		return n
	}
	before := students()

	t.Run("a dry run answers the report and writes nothing", func(t *testing.T) {
		r := b.upload(path, "clean.xlsx", read("clean-class.xlsx"), map[string]string{"dry_run": "true"})
		var rep campaign.ImportReport
		if r.Status != http.StatusOK || json.Unmarshal([]byte(r.Body), &rep) != nil || rep.Students != 45 || rep.Written {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		if n := students(); n != before {
			t.Fatalf("dry run changed the school: %d → %d students", before, n)
		}
	})
	t.Run("a roster with errors answers 422 with every problem and writes nothing", func(t *testing.T) {
		r := b.upload(path, "messy.xlsx", read("messy.xlsx"), nil)
		var rep campaign.ImportReport
		if r.Status != http.StatusUnprocessableEntity || json.Unmarshal([]byte(r.Body), &rep) != nil || rep.Errors < 3 || rep.Written {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		if n := students(); n != before {
			t.Fatalf("a file with errors changed the school: %d → %d students", before, n)
		}
	})
	t.Run("an unusable file answers 422 with the one error shape", func(t *testing.T) {
		r := b.upload(path, "legacy.xls", read("legacy.xls"), nil)
		var e apiError
		if r.Status != http.StatusUnprocessableEntity || json.Unmarshal([]byte(r.Body), &e) != nil || e.Error.Code != "corrupt" || !strings.Contains(e.Error.Message, ".xls") {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
	t.Run("an upload over the limit is refused before it is read", func(t *testing.T) {
		big := bytes.Repeat([]byte("x"), int(f.cfg.MaxUploadBytes)+2<<20)
		r := b.upload(path, "big.xlsx", big, nil)
		var e apiError
		if r.Status != http.StatusRequestEntityTooLarge || json.Unmarshal([]byte(r.Body), &e) != nil || e.Error.Code != "too_large" {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
	t.Run("a clean roster is imported and audited", func(t *testing.T) {
		r := b.upload(path, "clean.xlsx", read("clean-class.xlsx"), nil)
		var rep campaign.ImportReport
		if r.Status != http.StatusOK || json.Unmarshal([]byte(r.Body), &rep) != nil || !rep.Written || rep.Students != 45 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		log, err := f.st.AuditLog(t.Context(), 5)
		if err != nil || len(log) == 0 || log[0].Action != "roster_imported" {
			t.Fatalf("audit log: %+v %v", log, err)
		}
	})
}
