package web

import (
	"net/http"
	"os"
	"strings"
	"testing"
)

// TestScope signs in as each role and tries every class, student and
// school URL of the fixture, pages and API, by direct ID.
func TestScope(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			a1, a2, b1 := itoa(f.classA1), itoa(f.classA2), itoa(f.classB1)
			sa, sb := itoa(f.studentA1), itoa(f.studentB1)
			schoolA, schoolB := itoa(f.schoolA), itoa(f.schoolB)
			// The class pages and APIs each role may open; everything else is refused.
			reads := []string{
				"/classes/%s", "/api/v1/classes/%s", "/classes/%s/roster", "/classes/%s/letters.pdf", "/api/v1/classes/%s/letters.pdf",
			}
			classes := map[string]string{"A1": a1, "A2": a2, "B1": b1}
			allowed := map[string][]string{
				"ta":       {"A1"},
				"tb":       {"A2"},
				"tc":       {"B1"},
				"adminA":   {"A1", "A2"},
				"adminB":   {"B1"},
				"district": {"A1", "A2", "B1"},
				"reviewer": {},
			}
			for user, ok := range allowed {
				t.Run(user, func(t *testing.T) {
					b := newBrowser(t, f.srv.URL)
					b.login(user)
					for cname, cid := range classes {
						want := contains(ok, cname)
						// Generating the letters (a POST) is scoped like
						// reading them; it comes first, as the GETs
						// re-print only what is generated.
						for _, pattern := range append([]string{"POST /classes/%s/letters", "POST /api/v1/classes/%s/letters"}, reads...) {
							path := strings.Replace(pattern, "%s", cid, 1)
							var r response
							if p, ok := strings.CutPrefix(path, "POST "); ok {
								r = b.post(p, nil)
							} else {
								r = b.get(path)
							}
							if want && r.Status != http.StatusOK && !(r.Status == http.StatusConflict && cname == "A2") {
								t.Errorf("%s %s: status %d, want it open", user, path, r.Status)
							}
							if !want && (r.Status < 400 || strings.Contains(r.Body, "王小明") || strings.Contains(r.Body, "赵敏")) {
								t.Errorf("%s %s: status %d, want refused", user, path, r.Status)
							}
						}
						// Changing: an upload into the class.
						r := b.upload("/classes/"+cid+"/roster", "x.xlsx", cleanRoster(t), nil)
						if !want && r.Status < 400 {
							t.Errorf("%s upload into %s: status %d, want refused", user, cname, r.Status)
						}
					}
					students := map[string]string{"A1": sa, "B1": sb}
					for cname, sid := range students {
						want := contains(ok, cname)
						if r := b.post("/students/"+sid+"/letter", nil); want != (r.Status == http.StatusOK) {
							t.Errorf("%s generates the letter of a student of %s: status %d, want open=%v", user, cname, r.Status, want)
						}
						r := b.get("/students/" + sid + "/letter.pdf")
						if want != (r.Status == http.StatusOK) {
							t.Errorf("%s student of %s: status %d, want open=%v", user, cname, r.Status, want)
						}
					}
					for school, sid := range map[string]string{"A": schoolA, "B": schoolB} {
						r := b.upload("/api/v1/schools/"+sid+"/imports", "x.xlsx", cleanRoster(t), map[string]string{"dry_run": "true", "class": "三年级2班"})
						want := user == "district" || user == "admin"+school
						if want != (r.Status == http.StatusOK) {
							t.Errorf("%s import into school %s: status %d, want allowed=%v (%.200s)", user, school, r.Status, want, r.Body)
						}
						if !want && !strings.Contains(r.Body, `"error"`) {
							t.Errorf("%s import into school %s: refusal is not the JSON error shape: %s", user, school, r.Body)
						}
					}
					if r := b.get("/classes/999999"); r.Status != http.StatusNotFound && !(user == "reviewer" && r.Status == http.StatusForbidden) {
						t.Errorf("%s: a missing class answers %d", user, r.Status)
					}
					if r := b.get("/api/v1/classes/abc"); r.Status != http.StatusNotFound || !strings.Contains(r.Body, `"not_found"`) {
						t.Errorf("%s: a malformed id answers %d %s", user, r.Status, r.Body)
					}
				})
			}
			t.Run("signed out, the API answers 401 in the JSON shape", func(t *testing.T) {
				r := newBrowser(t, f.srv.URL).get("/api/v1/classes/" + a1)
				if r.Status != 401 || !strings.Contains(r.Body, `"code":"unauthorized"`) {
					t.Fatalf("status %d body %s", r.Status, r.Body)
				}
			})
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// cleanRoster is a roster of 三年级2班 without problems.
func cleanRoster(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../../roster/testdata/clean-class.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	return b
}
