package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"jiashu/app/parent"
)

// TestControlCharactersAreRefusedWithAMessage: NUL and other control
// characters in text fields answer 400 on the API and 422 on forms, with
// the store's Chinese message, and change nothing — on both databases
// (PostgreSQL's text type refuses NUL, which was a 500).
func TestControlCharactersAreRefusedWithAMessage(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			f := newWebFixture(t, dsn)
			ctx := context.Background()
			center := newBrowser(t, f.srv.URL)
			center.login("district")
			jsonPost := func(path, body string) response {
				req, _ := http.NewRequest(http.MethodPost, center.base+path, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				return center.do(req)
			}
			const message = "控制字符"
			cases := []struct {
				name   string
				send   func() response
				status int
			}{
				{"a school name on the API", func() response { return jsonPost("/api/v1/schools", `{"name":"新\u0000学校"}`) }, http.StatusBadRequest},
				{"a campaign name on the API", func() response {
					return jsonPost("/api/v1/campaigns", `{"name":"春季\u0000活动","school_ids":[`+itoa(f.schoolA)+`]}`)
				}, http.StatusBadRequest},
				{"a teacher's display name on the API", func() response {
					return jsonPost("/api/v1/schools/"+itoa(f.schoolA)+"/users", `{"username":"newt","display_name":"王\u0001老师","role":"teacher"}`)
				}, http.StatusBadRequest},
				{"a school name on the form", func() response { return center.post("/district/schools", url.Values{"name": {"新\x00学校"}}) }, http.StatusUnprocessableEntity},
				{"a teacher's display name on the form", func() response {
					return center.post("/schools/"+itoa(f.schoolA)+"/teachers", url.Values{"username": {"newt"}, "display_name": {"王\x00老师"}})
				}, http.StatusUnprocessableEntity},
				{"an API token's name on the form", func() response { return center.post("/account/tokens", url.Values{"name": {"脚本\x00"}}) }, http.StatusUnprocessableEntity},
				{"a username on the sign-in form", func() response {
					return newBrowser(t, f.srv.URL).post("/login", url.Values{"username": {"ta\x00"}, "password": {testPassword}})
				}, http.StatusUnprocessableEntity},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					r := c.send()
					if r.Status != c.status || !strings.Contains(r.Body, message) {
						t.Fatalf("status %d, want %d with the message: %.400s", r.Status, c.status, r.Body)
					}
					if c.status == http.StatusBadRequest && !strings.Contains(r.Body, `"code":"control_character"`) {
						t.Fatalf("not the API's error shape: %s", r.Body)
					}
				})
			}
			t.Run("nothing was created", func(t *testing.T) {
				schools, err := f.st.Schools(ctx)
				if err != nil || len(schools) != 2 {
					t.Fatalf("%d schools (%v), want the fixture's 2", len(schools), err)
				}
				if _, err := f.st.UserByUsername(ctx, "newt"); err == nil {
					t.Fatal("the teacher was created")
				}
				tokens, _ := f.st.APITokens(ctx, f.users["district"].ID)
				if len(tokens) != 0 {
					t.Fatalf("%d tokens created", len(tokens))
				}
			})
		})
	}
}

// TestValidCodesDoNotCountTowardsTheUnknownCodeLimit: a carrier's NAT puts
// many parents behind one address; their valid codes and links must never
// bring that address closer to the limit on unknown codes.
func TestValidCodesDoNotCountTowardsTheUnknownCodeLimit(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			if name == "sqlite" {
				dsn = ""
			}
			f := newParentFixture(t, dsn)
			nat := map[string]string{"RemoteAddr": "100.64.0.1:4000", "Origin": "https://jiashu.example.edu.cn", "Sec-Fetch-Site": "same-origin"}
			for round := range 3 {
				for _, tok := range f.tokens {
					if rec := f.do(t, http.MethodGet, "/a/"+tok, nil, nat); rec.Code != http.StatusOK {
						t.Fatalf("round %d: a valid link answered %d", round, rec.Code)
					}
					if rec := f.do(t, http.MethodPost, "/a", url.Values{"code": {tok}}, nat); rec.Code != http.StatusSeeOther {
						t.Fatalf("round %d: a valid typed code answered %d", round, rec.Code)
					}
				}
			}
			// After every letter opened three times by link and by typed
			// code, the address still has its whole allowance of mistypes.
			for i := range parent.UnknownCodesPerMinute - 1 {
				code := fmt.Sprintf("ZZZZ%07d", i)
				if rec := f.do(t, http.MethodPost, "/a", url.Values{"code": {code}}, nat); rec.Code != http.StatusNotFound {
					t.Fatalf("unknown code %d after many valid ones: %d, want 404", i+1, rec.Code)
				}
			}
			if rec := f.do(t, http.MethodGet, "/a/"+f.tokens[0], nil, nat); rec.Code != http.StatusOK {
				t.Fatalf("a valid link after a few mistypes: %d", rec.Code)
			}
		})
	}
}
