package web

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"jiashu/store"
)

// The conventions every /api/v1 answer keeps (docs/openapi.yaml,
// "Conventions"): no-store, 405 with Allow, Location on what was made, one
// timestamp format, 404 past the last page. The description's checker
// (strict) validates every exchange below as well.

// script is a program calling the API with a token of an account.
type script struct {
	b     *browser
	token string
}

// scriptOf makes an API token of user (read-only or not) and a client
// calling with it.
func scriptOf(t *testing.T, f *webFixture, user string, readOnly bool) script {
	t.Helper()
	secret, _, err := f.st.NewAPIToken(context.Background(), store.APIToken{UserID: f.users[user].ID, Name: "脚本", ReadOnly: readOnly})
	if err != nil {
		t.Fatal(err)
	}
	return script{b: newBrowser(t, f.srv.URL), token: secret}
}

// call sends method path with a JSON body ("" for none) and the headers.
func (s script) call(method, path, body string, header ...string) response {
	s.b.t.Helper()
	req, _ := http.NewRequest(method, s.b.base+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return s.b.do(req, append([]string{"Authorization", "Bearer " + s.token}, header...)...)
}

func (s script) get(path string) response { return s.call(http.MethodGet, path, "") }

// onBothDatabases runs test on a fixture of each database the tests have
// (SQLite, and PostgreSQL when JIASHU_TEST_POSTGRES_DSN is set).
func onBothDatabases(t *testing.T, test func(t *testing.T, f *webFixture)) {
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) { test(t, newWebFixture(t, dsn)) })
	}
}

// decode reads a JSON answer into v, failing the test otherwise.
func decode(t *testing.T, r response, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("status %d, not JSON: %v: %.300s", r.Status, err, r.Body)
	}
}

// TestEveryAPIAnswerIsNotStored (difference 3): Cache-Control: no-store on
// every answer under /api/, the refusals before any route (a wrong or
// revoked token, a cross-site request, a path or method the API lacks)
// included.
func TestEveryAPIAnswerIsNotStored(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	sc := scriptOf(t, f, "district", false)
	center := newBrowser(t, f.srv.URL)
	center.login("district")
	crossSite, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/api/v1/schools", strings.NewReader(`{"name":"新学校"}`))
	crossSite.Header.Set("Content-Type", "application/json")
	for name, send := range map[string]func() response{
		"a wrong token (401)":  func() response { return script{b: sc.b, token: "jst_wrong"}.get("/api/v1/me") },
		"no credentials (401)": func() response { return newBrowser(t, f.srv.URL).get("/api/v1/classes") },
		"a cross-site request (403)": func() response {
			return center.do(crossSite, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
		},
		"a path the API lacks (404)":    func() response { return sc.get("/api/v1/no-such-thing") },
		"a method the path lacks (405)": func() response { return sc.call(http.MethodDelete, "/api/v1/me", "") },
		"an answer (200)":               func() response { return sc.get("/api/v1/me") },
	} {
		t.Run(name, func(t *testing.T) {
			r := send()
			if r.Header.Get("Cache-Control") != "no-store" || r.Status == 0 {
				t.Fatalf("status %d, Cache-Control %q", r.Status, r.Header.Get("Cache-Control"))
			}
			if r.Status >= 400 && !strings.Contains(r.Body, `"error":{"code":`) {
				t.Fatalf("status %d not in the error shape: %.200s", r.Status, r.Body)
			}
		})
	}
}

// TestAWrongMethodIs405WithAllow (difference 16): a path used with a method
// it does not have answers 405 with Allow listing the ones it has, in the
// error shape on the API and as a page elsewhere; a path nobody has stays
// 404.
func TestAWrongMethodIs405WithAllow(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	sc := scriptOf(t, f, "district", false)
	for _, c := range []struct{ method, path, allow string }{
		{http.MethodDelete, "/api/v1/me", "GET"},
		{http.MethodPut, "/api/v1/schools", "GET, POST"},
		{http.MethodPost, "/api/v1/campaigns/1", "GET, PUT"},
		{http.MethodGet, "/api/v1/classes/1/meeting", "POST, DELETE"},
	} {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			r := sc.call(c.method, c.path, "")
			if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != c.allow || !strings.Contains(r.Body, `"code":"method_not_allowed"`) {
				t.Fatalf("status %d, Allow %q: %s", r.Status, r.Header.Get("Allow"), r.Body)
			}
		})
	}
	t.Run("a page answers 405 as a page", func(t *testing.T) {
		center := newBrowser(t, f.srv.URL)
		center.login("district")
		req, _ := http.NewRequest(http.MethodDelete, f.srv.URL+"/district", nil)
		r := center.do(req)
		if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "GET" || !strings.Contains(r.Body, "<html") {
			t.Fatalf("status %d, Allow %q: %.200s", r.Status, r.Header.Get("Allow"), r.Body)
		}
	})
	t.Run("a path nobody has is 404", func(t *testing.T) {
		if r := sc.call(http.MethodDelete, "/api/v1/nothing-here", ""); r.Status != http.StatusNotFound {
			t.Fatalf("status %d", r.Status)
		}
	})
}

// TestCreatesAnswerWithTheirLocation: a 201 names what it made and a 202
// the job to poll, and that address answers the same thing.
func TestCreatesAnswerWithTheirLocation(t *testing.T) {
	t.Parallel()
	onBothDatabases(t, func(t *testing.T, f *webFixture) {
		sc := scriptOf(t, f, "district", false)
		school := sc.call(http.MethodPost, "/api/v1/schools", `{"name":"新华小学"}`)
		camp := sc.call(http.MethodPost, "/api/v1/campaigns", `{"name":"春季活动","school_ids":[`+itoa(f.schoolA)+`]}`)
		user := sc.call(http.MethodPost, "/api/v1/schools/"+itoa(f.schoolA)+"/users", `{"username":"zhanghua","display_name":"张华"}`)
		job := sc.call(http.MethodPost, "/api/v1/schools/"+itoa(f.schoolA)+"/letters", "")
		for what, c := range map[string]struct {
			r      response
			status int
			path   string
			field  string // a field the answer and the address both show
		}{
			"a school":   {school, http.StatusCreated, `^/api/v1/schools/[0-9]+$`, "name"},
			"a campaign": {camp, http.StatusCreated, `^/api/v1/campaigns/[0-9]+$`, "name"},
			"an account": {user, http.StatusCreated, `^/api/v1/users/[0-9]+$`, "user"},
			"a job":      {job, http.StatusAccepted, `^/api/v1/jobs/[0-9]+$`, "id"},
		} {
			t.Run(what, func(t *testing.T) {
				loc := c.r.Header.Get("Location")
				if c.r.Status != c.status || !regexp.MustCompile(c.path).MatchString(loc) {
					t.Fatalf("status %d, Location %q: %s", c.r.Status, loc, c.r.Body)
				}
				var made, there map[string]any
				decode(t, c.r, &made)
				again := sc.get(loc)
				decode(t, again, &there)
				if again.Status != http.StatusOK || jsonText(made[c.field]) != jsonText(there[c.field]) {
					t.Fatalf("%s answers %d %v, the create said %v", loc, again.Status, there[c.field], made[c.field])
				}
			})
		}
	})
}

// jsonText is v as JSON, to compare decoded values.
func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// timestamp is the API's one format: RFC 3339 in China time, to the second.
var timestamp = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+08:00$`)

// TestTimestampsAreRFC3339InChinaTime (difference 14): a job's created_at
// and finished_at, a content version's updated_at, an alert's created_at
// and a student's acknowledged_at are all "2026-12-07T17:20:00+08:00",
// the moment the database holds; days stay YYYY-MM-DD.
func TestTimestampsAreRFC3339InChinaTime(t *testing.T) {
	t.Parallel()
	onBothDatabases(t, func(t *testing.T, f *webFixture) {
		ctx := context.Background()
		campaignID, tokens := seedLetters(t, f)
		acked := f.st.Now().Add(-90 * time.Minute)
		if _, err := f.st.DB().ExecContext(ctx, f.st.Rebind(`UPDATE letters SET status = 'acknowledged', ack_channel = 'paper', acknowledged_at = ? WHERE token = ?`),
			acked, tokens[f.studentA1]); err != nil {
			t.Fatal(err)
		}
		sc := scriptOf(t, f, "district", false)
		var class struct {
			Students []struct {
				ID    int64  `json:"id"`
				Acked string `json:"acknowledged_at"`
			} `json:"students"`
		}
		decode(t, sc.get("/api/v1/classes/"+itoa(f.classA1)+"?campaign="+itoa(campaignID)), &class)
		var job, version map[string]any
		decode(t, sc.call(http.MethodPost, "/api/v1/schools/"+itoa(f.schoolA)+"/letters", `{"campaign_id":`+itoa(campaignID)+`}`), &job)
		decode(t, sc.get("/api/v1/content/versions/1"), &version)
		alertID := scopeAlert(t, f, campaignID)
		var alerts struct {
			Alerts []map[string]any `json:"alerts"`
		}
		decode(t, sc.get("/api/v1/alerts"), &alerts)
		stamps := map[string]any{"job created_at": job["created_at"], "content updated_at": version["updated_at"]}
		for _, a := range alerts.Alerts {
			if jsonText(a["id"]) == itoa(alertID) {
				stamps["alert created_at"] = a["created_at"]
			}
		}
		for _, s := range class.Students {
			if s.ID == f.studentA1 {
				stamps["acknowledged_at"] = s.Acked
			}
		}
		for what, v := range stamps {
			if s, _ := v.(string); !timestamp.MatchString(s) {
				t.Errorf("%s is %v, not RFC 3339 in China time", what, v)
			}
		}
		if got := stamps["acknowledged_at"]; got != acked.In(store.ChinaTime).Format("2006-01-02T15:04:05-07:00") {
			t.Errorf("acknowledged_at %v, want the moment stored (%s)", got, acked)
		}
	})
}

// TestAPageAfterTheLastIsNotFound (difference 15): ?page= past the last
// page, or not a page number, is a 404 on the API (a script walking the
// pages sees the end), while a page link kept from a longer class still
// shows its last page.
func TestAPageAfterTheLastIsNotFound(t *testing.T) {
	t.Parallel()
	onBothDatabases(t, func(t *testing.T, f *webFixture) {
		sc := scriptOf(t, f, "ta", true)
		class := "/api/v1/classes/" + itoa(f.classA1)
		var first struct {
			Pagination struct{ Page, Pages, Total int } `json:"pagination"`
		}
		r := sc.get(class + "?page=1")
		decode(t, r, &first)
		if r.Status != http.StatusOK || first.Pagination.Page != 1 || first.Pagination.Pages != 1 || first.Pagination.Total != 2 {
			t.Fatalf("page 1: %d %+v", r.Status, first.Pagination)
		}
		for _, page := range []string{"2", "9", "0", "-1", "abc"} {
			if r := sc.get(class + "?page=" + page); r.Status != http.StatusNotFound || !strings.Contains(r.Body, `"code":"not_found"`) {
				t.Errorf("?page=%s: %d %.200s", page, r.Status, r.Body)
			}
		}
		teacher := newBrowser(t, f.srv.URL)
		teacher.login("ta")
		if r := teacher.get("/classes/" + itoa(f.classA1) + "?page=9"); r.Status != http.StatusOK {
			t.Errorf("the class page's ?page=9: %d", r.Status)
		}
	})
}
