package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestEveryRouteRefusesBadText walks the route table and sends every
// route, as the signed-in education center, a NUL, a byte that is not
// UTF-8 and a right-to-left override in a query parameter, a NUL in its
// path parameter, and (for the routes that take a body) in a form field,
// a multipart field, a JSON string and as a raw byte of a JSON body: each
// is refused with 400 (422 for a page's form) and the Chinese message, the
// API's with code control_character — never a 500, on both databases.
// Every API exchange passes through the checker of docs/openapi.yaml; an
// API body of a type its route does not take is apiHeaders' (415, unread)
// and not sent.
func TestEveryRouteRefusesBadText(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			srv, err := New(f.cfg, f.st, slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
			if err != nil {
				t.Fatal(err)
			}
			engine := srv.Handler().(*gin.Engine)
			hs := httptest.NewServer(checked(t, engine))
			t.Cleanup(hs.Close)
			b := newBrowser(t, hs.URL)
			b.login("district")
			routes := engine.Routes()
			if len(routes) < 100 {
				t.Fatalf("only %d routes: the walk would prove little", len(routes))
			}
			checked := 0
			for _, rt := range routes {
				for _, c := range badTextRequests(rt) {
					if c.wrongType {
						continue
					}
					var body io.Reader
					if c.body != nil {
						body = bytes.NewReader(c.body)
					}
					req, _ := http.NewRequest(c.method, hs.URL+c.path, body)
					if c.body != nil {
						req.Header.Set("Content-Type", c.contentType)
					}
					r := b.do(req)
					if !refusedAsBadText(r, c) {
						t.Errorf("%s %s (%s): %d %.200s", c.method, c.path, c.what, r.Status, r.Body)
					}
					checked++
				}
			}
			t.Logf("%d routes, %d bad requests refused", len(routes), checked)
		})
	}
}

// badTextRequest is one request with bad text somewhere.
type badTextRequest struct {
	what, method, path, contentType string
	body                            []byte // nil: none
	// wrongType: an API body of a type the route does not take, refused
	// unread with 415 (apiHeaders); not sent here, as the 415 is api2's
	// (TestARosterAsJSONIs415WithAPlainMessage).
	wrongType bool
}

var routeParam = regexp.MustCompile(`[:*][a-z_]+`)

// badTextRequests are the bad requests sent to a route.
func badTextRequests(rt gin.RouteInfo) []badTextRequest {
	path := routeParam.ReplaceAllString(rt.Path, "1")
	out := []badTextRequest{
		{what: "NUL in a query parameter", method: rt.Method, path: path + "?q=a%00b"},
		{what: "not UTF-8 in a query parameter", method: rt.Method, path: path + "?number=%FF"},
		{what: "RLO in a query parameter", method: rt.Method, path: path + "?q=%E2%80%AEabc"},
	}
	if loc := routeParam.FindStringIndex(rt.Path); loc != nil {
		p := rt.Path[:loc[0]] + "1%00" + routeParam.ReplaceAllString(rt.Path[loc[1]:], "1")
		out = append(out, badTextRequest{what: "NUL in a path parameter", method: rt.Method, path: p})
	}
	if rt.Method == http.MethodGet {
		return out
	}
	route := rt.Method + " " + rt.Path
	api := strings.HasPrefix(rt.Path, "/api/")
	out = append(out,
		badTextRequest{"NUL in a JSON string", rt.Method, path, "application/json", []byte(`{"name":"a\u0000b"}`), api && apiFileOnly[route]},
		badTextRequest{"0xFF in a JSON body", rt.Method, path, "application/json", []byte("{\"name\":\"a\xffb\"}"), api && apiFileOnly[route]},
	)
	if rt.Method == http.MethodDelete {
		return out // Go reads no form from a DELETE's body: nothing there is input
	}
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	w.WriteField("name", "新\x00学校")
	w.Close()
	return append(out,
		badTextRequest{"NUL in a form field", rt.Method, path, "application/x-www-form-urlencoded", []byte("name=%E6%96%B0%00"), api},
		badTextRequest{"RLO in a form field", rt.Method, path, "application/x-www-form-urlencoded", []byte("name=%E2%80%AE1"), api},
		badTextRequest{"NUL in a multipart field", rt.Method, path, w.FormDataContentType(), mp.Bytes(), api && !apiUploads[route]},
	)
}

// refusedAsBadText says whether r is the refusal of bad text: 400 (or 422
// for a page's form) with the message, the API's with its code.
func refusedAsBadText(r response, c badTextRequest) bool {
	api := strings.HasPrefix(c.path, "/api/")
	if r.Status != http.StatusBadRequest && (api || r.Status != http.StatusUnprocessableEntity) {
		return false
	}
	if api && !strings.Contains(r.Body, `"code":"control_character"`) {
		return false
	}
	return strings.Contains(r.Body, "控制字符") || strings.Contains(r.Body, "文字编码") || strings.Contains(r.Body, "方向控制符")
}

// TestSchoolDetailsRefuseFormulasAndOverrides: the school details every
// letter prints refuse a spreadsheet formula and a right-to-left override,
// on the page and the API, and keep what was saved before.
func TestSchoolDetailsRefuseFormulasAndOverrides(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			admin := newBrowser(t, f.srv.URL)
			admin.login("adminA")
			page := "/schools/" + itoa(f.schoolA) + "/details"
			good := url.Values{"phone": {"023-68512345"}, "fee_rule": {"学校不收取任何资料费"}, "police_station": {"解放碑派出所"}, "police_phone": {"023-63801110"}}
			if r := admin.post(page, good); r.Status != http.StatusSeeOther {
				t.Fatalf("good details: %d %.300s", r.Status, r.Body)
			}
			for _, c := range []struct {
				what, field, value, message string
			}{
				{"a formula", "fee_rule", `=HYPERLINK("http://evil.example","缴费")`, "会被当作公式执行"},
				{"an at-sign formula", "police_station", "@SUM(1+1)", "会被当作公式执行"},
				{"a right-to-left override", "police_station", "解放碑\u202e所出派", "文字方向控制符"},
			} {
				form := url.Values{}
				for k, v := range good {
					form[k] = v
				}
				form.Set(c.field, c.value)
				if r := admin.post(page, form); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, c.message) {
					t.Errorf("page, %s: %d %.300s", c.what, r.Status, r.Body)
				}
				body := map[string]string{"phone": "023-68512345", "fee_rule": "学校不收取任何资料费", "police_station": "解放碑派出所", "police_phone": "023-63801110"}
				body[c.field] = c.value
				r := admin.sendJSON(http.MethodPut, "/api/v1"+page, body)
				if r.Status/100 != 4 || !strings.Contains(r.Body, c.message) {
					t.Errorf("API, %s: %d %.300s", c.what, r.Status, r.Body)
				}
			}
			d, err := f.st.SchoolDetails(context.Background(), f.schoolA)
			if err != nil || d.FeeRule != "学校不收取任何资料费" || d.PoliceStation != "解放碑派出所" {
				t.Fatalf("saved details changed: %+v %v", d, err)
			}
		})
	}
}
