package web

import (
	"net/url"
	"strings"
	"testing"
)

// TestDuplexJobIsNotTheSingleSidedOne: asking for two-sided letters while
// one-sided ones are queued starts a job of its own, and each job's page
// says how it prints.
func TestDuplexJobIsNotTheSingleSidedOne(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			admin := newBrowser(t, f.srv.URL)
			admin.login("adminA")
			start := func(form url.Values) string {
				t.Helper()
				r := admin.post("/schools/"+itoa(f.schoolA)+"/letters", form)
				if jobPath.FindStringSubmatch(r.Location) == nil {
					t.Fatalf("start %v: %d %q", form, r.Status, r.Location)
				}
				return r.Location
			}
			single := start(url.Values{})
			duplex := start(url.Values{"duplex": {"true"}})

			t.Run("the duplex request gets a new job, not the pending single-sided one", func(t *testing.T) {
				if duplex == single {
					t.Fatalf("duplex request went to the single-sided job %s", single)
				}
			})
			t.Run("a second click of either joins its own pending job", func(t *testing.T) {
				if again := start(url.Values{"duplex": {"true"}}); again != duplex {
					t.Errorf("second duplex click went to %s, want %s", again, duplex)
				}
				if again := start(url.Values{}); again != single {
					t.Errorf("second single-sided click went to %s, want %s", again, single)
				}
			})
			t.Run("each job page says whether it prints two-sided", func(t *testing.T) {
				if p := admin.get(duplex); !strings.Contains(p.Body, `id="print-sides">双面打印<`) {
					t.Errorf("duplex job page: %.1500s", p.Body)
				}
				if p := admin.get(single); !strings.Contains(p.Body, `id="print-sides">单面打印<`) {
					t.Errorf("single-sided job page: %.1500s", p.Body)
				}
			})
			t.Run("starting a cancelled duplex job again keeps it duplex", func(t *testing.T) {
				admin.post(duplex+"/cancel", nil)
				p := admin.get(duplex)
				if !strings.Contains(p.Body, `<input type="hidden" name="duplex" value="true">`) {
					t.Fatalf("cancelled duplex job's retry form drops duplex: %.1500s", p.Body)
				}
				if p := admin.get(single); strings.Contains(p.Body, `name="duplex"`) {
					t.Errorf("single-sided job page carries duplex")
				}
			})
		})
	}
}
