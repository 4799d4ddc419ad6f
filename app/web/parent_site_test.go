package web

import (
	"net/http"
	"strings"
	"testing"
)

// The parents' site as it is served (its own tests are in app/parent):
// under the staff site's middleware, which remembers a language chosen on
// a letter and sends the security headers.
func TestTheSiteRemembersAParentsLanguage(t *testing.T) {
	t.Parallel()
	f := newParentFixture(t, "")
	rec := f.do(t, "GET", "/a/"+f.tokens[0]+"?c=s&lang=en", nil, nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `<html lang="en">`) {
		t.Fatalf("%d %.300s", rec.Code, rec.Body.String())
	}
	if !strings.Contains(rec.Header().Get("Set-Cookie"), "lang=en") {
		t.Errorf("language not remembered: %q", rec.Header().Get("Set-Cookie"))
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
}
