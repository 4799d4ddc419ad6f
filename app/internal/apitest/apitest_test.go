package apitest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestTheDescriptionValidates: docs/openapi.yaml is a valid OpenAPI 3.1
// document (Load validates it) that describes every route of the API.
func TestTheDescriptionValidates(t *testing.T) {
	spec, err := Load(DocPath(), Strict)
	if err != nil {
		t.Fatal(err)
	}
	if v := spec.Doc.OpenAPI; !strings.HasPrefix(v, "3.1") {
		t.Errorf("openapi %q, want 3.1", v)
	}
	if n := len(spec.Operations()); n < 60 {
		t.Errorf("%d operations described, want every route of /api/v1", n)
	}
}

// TestTheCheckerFindsWhatDiffers: an answer that breaks the description is
// reported with its route, and one that keeps it is not.
func TestTheCheckerFindsWhatDiffers(t *testing.T) {
	spec, err := Load(DocPath(), Report)
	if err != nil {
		t.Fatal(err)
	}
	me := `{"id":1,"username":"center","display_name":"中心","role":"district_admin","school_id":0}`
	cases := []struct {
		name, method, path string
		reqBody            string // sent as JSON when not empty
		status             int
		cacheControl, body string
		want               string // "" for no difference
	}{
		{"a described answer passes", "GET", "/api/v1/me", "", 200, "no-store", me, ""},
		{"a missing Cache-Control is found", "GET", "/api/v1/me", "", 200, "", me, "Cache-Control"},
		{"a field of the wrong type is found", "GET", "/api/v1/me", "", 200, "no-store", strings.Replace(me, `"id":1`, `"id":"1"`, 1), "GET /me"},
		{"an undescribed status is found", "GET", "/api/v1/me", "", 418, "no-store", `{"error":{"code":"busy","message":"x"}}`, "status"},
		{"a wrong method must answer 405 with Allow", "DELETE", "/api/v1/me", "", 404, "no-store", `{"error":{"code":"not_found","message":"x"}}`, "Allow: GET"},
		{"a wrong method on a path with parameters too", "POST", "/api/v1/campaigns/2", "", 404, "no-store", `{"error":{"code":"not_found","message":"x"}}`, "Allow: GET, PUT"},
		{"a JSON roster upload must answer 415", "POST", "/api/v1/schools/1/imports", `{"x":1}`, 400, "no-store", `{"error":{"code":"file_missing","message":"x"}}`, "not 415"},
		{"a request the description refuses must be refused", "POST", "/api/v1/schools", `{"name":""}`, 201, "no-store", `{"id":3,"name":"","students":0}`, "accepted a request"},
		{"paths outside the API are not checked", "GET", "/login", "", 200, "", "<html>", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(spec.Mismatches())
			h := spec.Handler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if c.cacheControl != "" {
					w.Header().Set("Cache-Control", c.cacheControl)
				}
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				w.WriteHeader(c.status)
				w.Write([]byte(c.body))
			}))
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.reqBody))
			if c.reqBody != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			h.ServeHTTP(rec, req)
			if rec.Code != c.status || rec.Body.String() != c.body {
				t.Errorf("the answer was changed: %d %q", rec.Code, rec.Body.String())
			}
			got := spec.Mismatches()
			switch {
			case c.want == "" && len(got) != before:
				t.Errorf("a difference where there is none: %+v", got[len(got)-1])
			case c.want != "" && len(got) == before:
				t.Errorf("no difference found, want one about %q", c.want)
			case c.want != "":
				found := false
				for _, m := range got {
					found = found || strings.Contains(m.Problem, c.want) || strings.Contains(m.Route, c.want)
				}
				if !found {
					t.Errorf("no difference about %q in %+v", c.want, got)
				}
			}
		})
	}
}
