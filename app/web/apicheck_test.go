package web

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"jiashu/app/internal/apitest"
)

// apiSpec is docs/openapi.yaml; every router a test serves passes through
// it (checked), so every API request of the suite is validated, request
// and answer. A difference fails the test that made the request (strict,
// the default); JIASHU_API_CHECK=report collects them instead, and
// JIASHU_API_REPORT=FILE writes the list there at the end.
var apiSpec *apitest.Spec

func TestMain(m *testing.M) {
	spec, err := apitest.Load(apitest.DocPath(), apitest.ModeFromEnv(apitest.Strict))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	apiSpec = spec
	code := m.Run()
	if n := len(spec.Mismatches()); n > 0 {
		fmt.Fprintf(os.Stderr, "apitest: %d differences between /api/v1 and docs/openapi.yaml (JIASHU_API_REPORT=FILE lists them)\n", n)
	}
	if path := os.Getenv("JIASHU_API_REPORT"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			spec.WriteReport(f)
			f.Close()
		}
	}
	os.Exit(code)
}

// checked is h held to the API description for the requests of t.
func checked(t testing.TB, h http.Handler) http.Handler { return apiSpec.Handler(t, h) }

// TestTheRouteTableAndTheDescriptionListTheSameRoutes fails when routes.go
// gains an /api/v1 route that docs/openapi.yaml does not describe, or the
// description keeps one the router no longer has.
func TestTheRouteTableAndTheDescriptionListTheSameRoutes(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, t.TempDir()+"/routes.db")
	param := regexp.MustCompile(`[:*]([A-Za-z_]+)`)
	routed := map[string]bool{}
	for _, r := range routeTable(t, f) {
		if strings.HasPrefix(r.Path, apitest.Prefix+"/") {
			routed[r.Method+" "+param.ReplaceAllString(r.Path, "{$1}")] = true
		}
	}
	described := map[string]bool{}
	for _, op := range apiSpec.Operations() {
		described[op] = true
	}
	var missing, stale []string
	for r := range routed {
		if !described[r] {
			missing = append(missing, r)
		}
	}
	for d := range described {
		if !routed[d] {
			stale = append(stale, d)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	for _, r := range missing {
		t.Errorf("route %s is not in docs/openapi.yaml: describe it", r)
	}
	for _, d := range stale {
		t.Errorf("docs/openapi.yaml describes %s, which routes.go does not have", d)
	}
	if len(routed) == 0 {
		t.Fatal("no /api/v1 route in the route table")
	}
}
