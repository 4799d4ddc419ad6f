package web

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// hostileNames are names a roster may carry that must stay text on every
// page and in every export.
var hostileNames = []string{
	`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `{{.}}`,
	`=HYPERLINK("http://x")`, `+1`, `-2`, `@SUM(A1)`,
}

// hostileRoster is the clean class roster with hostile student and
// guardian names in its first rows.
func hostileRoster(t *testing.T) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(cleanRoster(t)))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetList()[0]
	for i, n := range hostileNames {
		f.SetCellStr(sheet, "B"+itoa(int64(i+2)), n)
		f.SetCellStr(sheet, "F"+itoa(int64(i+2)), n)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestHostileNamesAreEscaped imports a roster of hostile names through the
// upload page and opens every staff page that shows names: the markup
// never appears unescaped.
func TestHostileNamesAreEscaped(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	b := newBrowser(t, f.srv.URL)
	b.login("ta")
	a1 := itoa(f.classA1)
	r := b.upload("/classes/"+a1+"/roster", "hostile.xlsx", hostileRoster(t), nil)
	id := regexp.MustCompile(`/classes/\d+/roster/([A-Za-z0-9_-]+)`).FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || id == nil {
		t.Fatalf("preview: status %d %.500s", r.Status, r.Body)
	}
	if c := b.post("/classes/"+a1+"/roster/"+id[1], nil); c.Status != http.StatusSeeOther {
		t.Fatalf("confirm: status %d %.500s", c.Status, c.Body)
	}
	admin := newBrowser(t, f.srv.URL)
	admin.login("adminA")
	district := newBrowser(t, f.srv.URL)
	district.login("district")
	raw := []string{"<script>alert(1)", "<img src=x", "{{.}}" + "</"}
	for _, p := range []struct {
		who  *browser
		path string
	}{
		{b, "/classes/" + a1}, {b, "/classes/" + a1 + "/slips"}, {b, "/classes"}, {b, "/api/v1/classes/" + a1},
		{admin, "/schools/" + itoa(f.schoolA)}, {admin, "/overview/schools/" + itoa(f.schoolA)}, {admin, "/api/v1/schools/" + itoa(f.schoolA)},
		{district, "/overview"}, {district, "/district"},
	} {
		res := p.who.get(p.path)
		if res.Status != http.StatusOK {
			t.Errorf("%s: status %d", p.path, res.Status)
			continue
		}
		for _, bad := range raw {
			if strings.Contains(res.Body, bad) {
				t.Errorf("%s shows %q unescaped", p.path, bad)
			}
		}
	}
	t.Run("the class page shows the names as text", func(t *testing.T) {
		res := b.get("/classes/" + a1)
		if !strings.Contains(res.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Fatalf("the escaped name is missing: the import dropped it?")
		}
	})
}
