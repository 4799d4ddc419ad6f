package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"jiashu/store"
	"jiashu/store/storetest"
)

// routeAccess says who may use a route of the route table.
type routeAccess int

const (
	// public routes need no account (health, login, static files, parents).
	public routeAccess = iota
	// signedOnly routes act on the signed-in user only and take no ID of
	// anything else (my classes, my account).
	signedOnly
	// ownToken acts on one of the user's own API tokens: another user's
	// token is refused.
	ownToken
	// classScope: the class or student's teacher, their school's
	// administrator and the district; refused to a teacher of another
	// class, the administrator of another school and the reviewer.
	classScope
	// schoolScope: the school's administrator and the district; refused to
	// the school's own teachers, another school's administrator, the reviewer.
	schoolScope
	// districtOnly: the education center; refused to everyone else, the
	// school administrator included.
	districtOnly
	// contentStaff: the education center and the reviewer (the letter
	// content, issue 9); refused to teachers and school administrators.
	contentStaff
)

// securityRoutes is every route of routes.go with who may use it. A route
// added without a line here fails TestScopeOfEveryRoute, so its scope is
// decided and tested when it is written.
var securityRoutes = map[string]routeAccess{
	"GET /healthz":                public,
	"GET /metrics":                public, // by address, not account: TestMetricsOnlyForAllowedAddresses
	"GET /schools/:school/erase":  schoolScope,
	"POST /schools/:school/erase": schoolScope,
	"GET /roster-template.xlsx":   public,
	"GET /static/*filepath":       public,
	"GET /favicon.ico":            public,
	"GET /login":                  public,
	"POST /login":                 public,
	"POST /logout":                public,
	"GET /a":                      public,
	"POST /a":                     public,
	"GET /a/parent.css":           public,
	"GET /a/:token":               public,
	"POST /a/:token":              public,
	"GET /a/:token/quiz":          public,
	"POST /a/:token/quiz":         public,
	"GET /a/:token/thanks":        public,

	"GET /":                           signedOnly,
	"GET /account":                    signedOnly,
	"GET /account/password":           signedOnly,
	"POST /account/password":          signedOnly,
	"POST /account/tokens":            signedOnly,
	"POST /account/tokens/:id/delete": ownToken,
	"GET /classes":                    signedOnly,
	"GET /school":                     signedOnly,
	"GET /api/v1/me":                  signedOnly,
	"GET /api/v1/classes":             signedOnly,
	"GET /api/v1/schools":             signedOnly,
	// A campaign's notice dismissed for the signed-in user only: it reads
	// nothing of the campaign but that it exists.
	"POST /campaign-notices/:campaign/dismiss": signedOnly,

	"GET /classes/:id":                        classScope,
	"GET /classes/:id/roster":                 classScope,
	"POST /classes/:id/roster":                classScope,
	"POST /classes/:id/roster/:upload":        classScope,
	"GET /classes/:id/letters.pdf":            classScope,
	"GET /students/:id/letter.pdf":            classScope,
	"POST /classes/:id/letters":               classScope,
	"POST /students/:id/letter":               classScope,
	"POST /api/v1/classes/:id/letters":        classScope,
	"POST /api/v1/students/:id/letter":        classScope,
	"GET /classes/:id/slips":                  classScope,
	"POST /classes/:id/slips":                 classScope,
	"POST /classes/:id/slips/code":            classScope,
	"POST /campaigns/:campaign/state":         districtOnly,
	"GET /campaigns/:campaign/content":        districtOnly,
	"GET /alerts/new":                         districtOnly,
	"GET /alerts/preview.html":                districtOnly,
	"GET /alerts/:alert/edit":                 districtOnly,
	"POST /alerts/:alert/edit":                districtOnly,
	"GET /alerts/:alert/withdraw":             districtOnly,
	"POST /alerts/:alert/withdraw":            districtOnly,
	"PUT /api/v1/alerts/:alert":               districtOnly,
	"POST /api/v1/alerts/:alert/withdraw":     districtOnly,
	"POST /campaigns/:campaign/content":       districtOnly,
	"POST /api/v1/campaigns/:campaign/state":  districtOnly,
	"GET /classes/:id/reminders/send":         classScope,
	"POST /classes/:id/delivered":             classScope,
	"GET /classes/:id/reminders.csv":          classScope,
	"GET /classes/:id/reminders.xlsx":         classScope,
	"POST /classes/:id/reminders/send":        classScope,
	"GET /api/v1/classes/:id":                 classScope,
	"GET /api/v1/classes/:id/letters.pdf":     classScope,
	"GET /api/v1/students/:id/letter.pdf":     classScope,
	"GET /api/v1/classes/:id/reminders.csv":   classScope,
	"GET /api/v1/classes/:id/reminders.xlsx":  classScope,
	"POST /api/v1/classes/:id/reminders/send": classScope,
	// The class meeting and its kit (class_meeting.go, lesson_download.go).
	"POST /classes/:id/meeting":                      classScope,
	"POST /classes/:id/meeting/delete":               classScope,
	"GET /classes/:id/lesson-sheet.pdf":              classScope,
	"GET /classes/:id/lesson-slides.pdf":             classScope,
	"POST /api/v1/classes/:id/meeting":               classScope,
	"DELETE /api/v1/classes/:id/meeting":             classScope,
	"GET /api/v1/classes/:id/lesson-sheet.pdf":       classScope,
	"GET /api/v1/classes/:id/lesson-slides.pdf":      classScope,
	"GET /schools/:school/lessons/:age/:file":        schoolScope,
	"GET /api/v1/schools/:school/lessons":            schoolScope,
	"GET /api/v1/schools/:school/lessons/:age/:file": schoolScope,

	"GET /schools/:school":                                         schoolScope,
	"POST /schools/:school/teachers":                               schoolScope,
	"POST /schools/:school/classes/:class/teachers":                schoolScope,
	"POST /schools/:school/classes/:class/teachers/:user/remove":   schoolScope,
	"GET /schools/:school/roster":                                  schoolScope,
	"POST /users/:user/reset-password":                             schoolScope,
	"POST /users/:user/disable":                                    schoolScope,
	"POST /users/:user/enable":                                     schoolScope,
	"POST /users/:user/unlock":                                     schoolScope,
	"GET /api/v1/users/:user":                                      schoolScope,
	"POST /api/v1/users/:user/reset-password":                      schoolScope,
	"POST /api/v1/users/:user/disable":                             schoolScope,
	"POST /api/v1/users/:user/enable":                              schoolScope,
	"POST /api/v1/users/:user/unlock":                              schoolScope,
	"POST /schools/:school/roster":                                 schoolScope,
	"POST /schools/:school/roster/:upload":                         schoolScope,
	"POST /schools/:school/letters":                                schoolScope,
	"GET /overview/schools/:school":                                schoolScope,
	"GET /overview/schools/:school/classes/:class":                 schoolScope,
	"GET /overview/schools/:school/report.xlsx":                    schoolScope,
	"GET /jobs/:job":                                               schoolScope,
	"GET /jobs/:job/download":                                      schoolScope,
	"POST /jobs/:job/cancel":                                       schoolScope,
	"POST /api/v1/jobs/:job/cancel":                                schoolScope,
	"POST /jobs/:job/retry-failed":                                 schoolScope,
	"POST /api/v1/jobs/:job/retry-failed":                          schoolScope,
	"POST /api/v1/schools/:school/imports":                         schoolScope,
	"GET /api/v1/schools/:school":                                  schoolScope,
	"POST /api/v1/schools/:school/users":                           schoolScope,
	"POST /api/v1/schools/:school/classes/:class/teachers":         schoolScope,
	"DELETE /api/v1/schools/:school/classes/:class/teachers/:user": schoolScope,
	"POST /api/v1/schools/:school/letters":                         schoolScope,
	"GET /api/v1/schools/:school/jobs":                             schoolScope,
	"GET /api/v1/jobs/:job":                                        schoolScope,
	"GET /api/v1/jobs/:job/result":                                 schoolScope,
	"GET /api/v1/overview/schools/:school":                         schoolScope,
	"GET /api/v1/overview/schools/:school/classes/:class":          schoolScope,
	"GET /api/v1/overview/schools/:school/report.xlsx":             schoolScope,
	"GET /api/v1/schools/:school/reminders.csv":                    schoolScope,
	"GET /api/v1/schools/:school/reminders.xlsx":                   schoolScope,
	"POST /api/v1/schools/:school/reminders/send":                  schoolScope,
	"GET /schools/:school/reminders.csv":                           schoolScope,
	"GET /schools/:school/reminders.xlsx":                          schoolScope,
	"GET /schools/:school/reminders/send":                          schoolScope,
	"POST /schools/:school/reminders/send":                         schoolScope,

	"GET /district":                                   districtOnly,
	"POST /district/schools":                          districtOnly,
	"POST /district/admins":                           districtOnly,
	"GET /campaigns":                                  districtOnly,
	"POST /campaigns":                                 districtOnly,
	"GET /campaigns/:campaign":                        districtOnly,
	"POST /campaigns/:campaign":                       districtOnly,
	"POST /campaigns/:campaign/letters":               districtOnly,
	"GET /overview":                                   districtOnly,
	"GET /overview/report.xlsx":                       districtOnly,
	"POST /api/v1/schools":                            districtOnly,
	"GET /api/v1/campaigns":                           districtOnly,
	"POST /api/v1/campaigns":                          districtOnly,
	"GET /api/v1/campaigns/:campaign":                 districtOnly,
	"PUT /api/v1/campaigns/:campaign":                 districtOnly,
	"POST /api/v1/campaigns/:campaign/letters":        districtOnly,
	"GET /api/v1/overview":                            districtOnly,
	"GET /api/v1/overview/report.xlsx":                districtOnly,
	"GET /api/v1/campaigns/:campaign/reminders.csv":   districtOnly,
	"GET /api/v1/campaigns/:campaign/reminders.xlsx":  districtOnly,
	"POST /api/v1/campaigns/:campaign/reminders/send": districtOnly,
	"GET /campaigns/:campaign/reminders.csv":          districtOnly,
	"GET /campaigns/:campaign/reminders.xlsx":         districtOnly,
	"GET /campaigns/:campaign/reminders/send":         districtOnly,
	"POST /campaigns/:campaign/reminders/send":        districtOnly,

	// Letter content under review (content_*.go) and school details.
	"GET /content":                                     contentStaff,
	"GET /content/versions/:version":                   contentStaff,
	"GET /content/versions/:version/export.zip":        contentStaff,
	"GET /content/versions/:version/diff":              contentStaff,
	"GET /content/versions/:version/preview.pdf":       contentStaff,
	"GET /content/versions/:version/preview.html":      contentStaff,
	"POST /content/versions/:version/act/:action":      contentStaff,
	"POST /content/drafts":                             districtOnly,
	"POST /content/import":                             districtOnly,
	"GET /content/versions/:version/edit":              districtOnly,
	"POST /content/versions/:version/edit":             districtOnly,
	"GET /api/v1/content/versions":                     contentStaff,
	"GET /api/v1/content/versions/:version":            contentStaff,
	"GET /api/v1/content/versions/:version/export.zip": contentStaff,
	"POST /api/v1/content/versions":                    districtOnly,
	"PUT /api/v1/content/versions/:version/files":      districtOnly,
	"POST /api/v1/content/versions/:version/submit":    districtOnly,
	"POST /api/v1/content/versions/:version/approve":   contentStaff,
	"POST /api/v1/content/versions/:version/return":    contentStaff,
	"POST /api/v1/content/versions/:version/retire":    districtOnly,
	"PUT /api/v1/campaigns/:campaign/content":          districtOnly,
	"GET /schools/:school/details":                     schoolScope,
	"POST /schools/:school/details":                    schoolScope,
	"GET /api/v1/schools/:school/details":              schoolScope,
	"PUT /api/v1/schools/:school/details":              schoolScope,

	// New-scam alerts (alerts.go).
	"GET /alerts":         districtOnly,
	"POST /alerts":        districtOnly,
	"GET /api/v1/alerts":  districtOnly,
	"POST /api/v1/alerts": districtOnly,
	"GET /alerts/:alert/campaigns/:campaign/texts.csv":        districtOnly,
	"POST /alerts/:alert/campaigns/:campaign/send":            districtOnly,
	"GET /api/v1/alerts/:alert/campaigns/:campaign/texts.csv": districtOnly,
	"POST /api/v1/alerts/:alert/campaigns/:campaign/send":     districtOnly,

	// What each family receives (issue 19): the class's head teacher, the
	// campaign's opening line, the school's details changed in part.
	"POST /classes/:id/head-teacher":           classScope,
	"PUT /api/v1/classes/:id/head-teacher":     classScope,
	"POST /campaigns/:campaign/opening":        districtOnly,
	"PUT /api/v1/campaigns/:campaign/opening":  districtOnly,
	"GET /api/v1/campaigns/:campaign/openings": districtOnly,
	"PATCH /api/v1/schools/:school/details":    schoolScope,
	// Texts through the SMS providers (issue 20): the estimates of a
	// send, an alert's confirmation, the settings, and the provider's
	// push of delivery reports (authenticated by the token in its address:
	// TestAClassSendThroughAProviderShowsItsCostAndThenWhatArrived).
	"GET /api/v1/classes/:id/reminders/estimate":             classScope,
	"GET /api/v1/schools/:school/reminders/estimate":         schoolScope,
	"GET /api/v1/campaigns/:campaign/reminders/estimate":     districtOnly,
	"GET /alerts/:alert/campaigns/:campaign/send":            districtOnly,
	"GET /api/v1/alerts/:alert/campaigns/:campaign/estimate": districtOnly,
	"GET /settings/sms":       districtOnly,
	"POST /settings/sms":      districtOnly,
	"POST /sms/report/:token": public,
}

// refusedUsers are the fixture accounts that must be refused a route of
// school B (class B1, its student, its school, its job) by its access.
var refusedUsers = map[routeAccess][]string{
	classScope:   {"ta", "tb", "adminA", "reviewer"},
	schoolScope:  {"ta", "tc", "adminA", "reviewer"},
	districtOnly: {"ta", "tc", "adminA", "adminB", "reviewer"},
	contentStaff: {"ta", "tc", "adminA", "adminB"},
	ownToken:     {"ta", "adminB", "district"},
}

// allowedUser is who may use a route of school B, the control that the
// request the refused users send would have worked.
var allowedUser = map[routeAccess]string{classScope: "tc", schoolScope: "adminB", districtOnly: "district", ownToken: "tc",
	contentStaff: "reviewer"}

// routeTable lists the method and path of every route of the server.
func routeTable(t *testing.T, f *webFixture) []gin.RouteInfo {
	t.Helper()
	srv, err := New(f.cfg, f.st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	eng, ok := srv.Handler().(*gin.Engine)
	if !ok {
		t.Fatal("handler is not a gin engine")
	}
	routes := eng.Routes()
	sort.Slice(routes, func(i, j int) bool { return routes[i].Path+routes[i].Method < routes[j].Path+routes[j].Method })
	return routes
}

// TestEveryRouteHasAScopeExpectation fails when routes.go gains a route
// that securityRoutes does not list (or loses one it lists).
func TestEveryRouteHasAScopeExpectation(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, t.TempDir()+"/routes.db")
	seen := map[string]bool{}
	for _, r := range routeTable(t, f) {
		key := r.Method + " " + r.Path
		seen[key] = true
		if _, ok := securityRoutes[key]; !ok {
			t.Errorf("route %s has no scope expectation in securityRoutes: decide who may use it and add it", key)
		}
	}
	for key := range securityRoutes {
		if !seen[key] {
			t.Errorf("securityRoutes lists %s, which routes.go no longer has", key)
		}
	}
}

// scopeTargets are the IDs of school B that the refused users aim at.
type scopeTargets struct {
	campaign, job, tokenID int64
	upload, schoolUpload   string
	params                 map[string]string
}

func seedScopeTargets(t *testing.T, f *webFixture) scopeTargets {
	t.Helper()
	ctx := context.Background()
	var tg scopeTargets
	camp, err := f.st.CreateCampaign(ctx, store.Campaign{Name: "明德中学专项", Term: "2026年秋季学期", AckDeadline: "2026-12-31", SchoolIDs: []int64{f.schoolB}})
	if err != nil {
		t.Fatal(err)
	}
	tg.campaign = camp.ID
	j, err := f.st.CreateJob(ctx, store.Job{Kind: store.JobSchoolLetters, SchoolID: f.schoolB, CampaignID: camp.ID, Params: "{}", CreatedBy: f.users["adminB"].ID})
	if err != nil {
		t.Fatal(err)
	}
	tg.job = j.ID
	tc := f.users["tc"]
	if tg.upload, err = f.st.SaveUpload(ctx, store.Upload{UserID: tc.ID, SchoolID: f.schoolB, ClassID: f.classB1, Filename: "b.xlsx", Data: cleanRoster(t)}, uploadTTL); err != nil {
		t.Fatal(err)
	}
	if tg.schoolUpload, err = f.st.SaveUpload(ctx, store.Upload{UserID: f.users["adminB"].ID, SchoolID: f.schoolB, Filename: "b.xlsx", Data: cleanRoster(t)}, uploadTTL); err != nil {
		t.Fatal(err)
	}
	_, tok, err := f.st.CreateAPIToken(ctx, tc.ID, "脚本")
	if err != nil {
		t.Fatal(err)
	}
	tg.tokenID = tok.ID
	tg.params = map[string]string{
		":school": itoa(f.schoolB), ":class": itoa(f.classB1), ":user": itoa(tc.ID),
		":job": itoa(tg.job), ":campaign": itoa(tg.campaign), ":token": storetest.Token(1),
		":age": "junior", ":file": "sheet.pdf", // 初一1班's class-meeting kit
		":version": itoa(contentDraft(t, f)), ":action": "approve",
		":alert": itoa(scopeAlert(t, f, tg.campaign)),
	}
	return tg
}

// contentDraft is a draft by the center, for the content routes.
func contentDraft(t *testing.T, f *webFixture) int64 {
	t.Helper()
	files, err := f.st.ContentFiles(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.st.CreateContentDraft(context.Background(), f.users["district"].ID, 1, "范围测试", files)
	if err != nil {
		t.Fatal(err)
	}
	return d.ID
}

// scopeAlert is an alert for the campaign, for the alert routes.
func scopeAlert(t *testing.T, f *webFixture, campaignID int64) int64 {
	t.Helper()
	a, err := f.st.CreateAlert(context.Background(), store.Alert{ContentVersionID: 1, MethodID: "m1", Title: "范围测试",
		Body: "手法\n防范", CreatedBy: f.users["district"].ID, Campaigns: []store.AlertCampaign{{ID: campaignID}}})
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// fill puts school B's IDs into a route path.
func (tg scopeTargets) fill(f *webFixture, path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		switch {
		case p == ":id" && i > 0 && parts[i-1] == "students":
			parts[i] = itoa(f.studentB1)
		case p == ":id" && i > 0 && parts[i-1] == "tokens":
			parts[i] = itoa(tg.tokenID)
		case p == ":id":
			parts[i] = itoa(f.classB1)
		case p == ":upload" && strings.Contains(path, "/schools/"):
			parts[i] = tg.schoolUpload
		case p == ":upload":
			parts[i] = tg.upload
		case strings.HasPrefix(p, ":"):
			parts[i] = tg.params[p]
		}
	}
	return strings.Join(parts, "/")
}

// scopeRequest sends what a script or page would send to path: a roster
// file to an upload, a JSON body with every field some API reads, a form
// with every field some page reads.
func scopeRequest(t *testing.T, b *browser, method, path string, f *webFixture, tg scopeTargets) response {
	t.Helper()
	if strings.HasSuffix(path, "/roster") || strings.HasSuffix(path, "/imports") {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		w.WriteField("class", "初一1班")
		fw, _ := w.CreateFormFile("file", "r.xlsx")
		fw.Write(cleanRoster(t))
		w.Close()
		req, _ := http.NewRequest(method, b.base+path, &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
		return b.do(req)
	}
	if method == http.MethodGet {
		return b.get(path)
	}
	if strings.HasPrefix(path, "/api/") {
		body := fmt.Sprintf(`{"date":"2026-11-20","name":"被改的名字","username":"intruder1","display_name":"入侵者","role":"teacher","campaign_id":%d,"duplex":false,"term":"x","ack_deadline":"2027-01-01","school_ids":[%d,%d],"user_id":%d}`,
			tg.campaign, f.schoolA, f.schoolB, f.users["tc"].ID)
		req, _ := http.NewRequest(method, b.base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		return b.do(req)
	}
	form := url.Values{"teacher": {itoa(f.users["tc"].ID)}, "username": {"intruder2"}, "display_name": {"入侵者"},
		"name": {"被改的名字"}, "class": {itoa(f.classB1)}, "campaign": {itoa(tg.campaign)}, "school": {itoa(f.schoolB)},
		"term": {"x"}, "ack_deadline": {"2027-01-01"}, "schools": {itoa(f.schoolA), itoa(f.schoolB)},
		"returned": {itoa(f.studentB1)}, "valid_only": {"1"}, "date": {"2026-11-20"}, "student": {itoa(f.studentB1)}}
	return b.post(path, form)
}

// dbFingerprint digests the data a refused request must not change.
func dbFingerprint(t *testing.T, st *store.Store) string {
	t.Helper()
	h := sha256.New()
	for _, q := range []string{
		`SELECT id, name FROM schools ORDER BY id`,
		`SELECT id, school_id, name FROM classes ORDER BY id`,
		`SELECT id, class_id, name, number FROM students ORDER BY id`,
		`SELECT id, name, mobile FROM guardians ORDER BY id`,
		`SELECT id, username, role, password_hash, must_change_password, disabled FROM users ORDER BY id`,
		`SELECT user_id, class_id FROM teacher_classes ORDER BY user_id, class_id`,
		`SELECT id, name, term, ack_deadline FROM campaigns ORDER BY id`,
		`SELECT campaign_id, school_id FROM campaign_schools ORDER BY campaign_id, school_id`,
		`SELECT id, status FROM jobs ORDER BY id`,
		`SELECT id FROM uploads ORDER BY id`,
		`SELECT id FROM api_tokens ORDER BY id`,
		`SELECT id, status, acknowledged_at FROM letters ORDER BY id`,
		`SELECT COUNT(*) FROM reminders`,
		`SELECT campaign_id, class_id, held_on FROM class_meetings ORDER BY campaign_id, class_id`,
	} {
		rows, err := st.DB().Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(h, vals...)
		}
		rows.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestScopeOfEveryRoute walks the route table: each route that takes an ID
// is tried by the users of another class or school and of the wrong role
// with school B's IDs — refused with 403 or 404, and nothing in the
// database changes; then by its rightful user, who is not refused.
func TestScopeOfEveryRoute(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			tg := seedScopeTargets(t, f)
			routes := routeTable(t, f)
			browsers := map[string]*browser{}
			for _, u := range []string{"ta", "tb", "tc", "adminA", "adminB", "district", "reviewer"} {
				b := newBrowser(t, f.srv.URL)
				b.login(u)
				browsers[u] = b
			}
			before := dbFingerprint(t, f.st)
			for _, r := range routes {
				access := securityRoutes[r.Method+" "+r.Path]
				if access == public || access == signedOnly {
					continue
				}
				path := tg.fill(f, r.Path)
				for _, u := range refusedUsers[access] {
					res := scopeRequest(t, browsers[u], r.Method, path, f, tg)
					if res.Status != http.StatusNotFound && res.Status != http.StatusForbidden {
						t.Errorf("%s %s as %s: status %d, want 403 or 404; body %.200s", r.Method, path, u, res.Status, res.Body)
					}
					for _, secret := range []string{"赵敏", "13900005678", "明德中学专项"} {
						if strings.Contains(res.Body, secret) {
							t.Errorf("%s %s as %s: the refusal shows %q", r.Method, path, u, secret)
						}
					}
					if after := dbFingerprint(t, f.st); after != before {
						t.Fatalf("%s %s as %s changed the database", r.Method, path, u)
					}
				}
			}
			// Controls: the rightful user is not refused the same requests
			// (those that take something away last).
			sort.SliceStable(routes, func(i, j int) bool { return !takesAway(routes[i]) && takesAway(routes[j]) })
			for _, r := range routes {
				access := securityRoutes[r.Method+" "+r.Path]
				u, ok := allowedUser[access]
				if !ok {
					continue
				}
				path := tg.fill(f, r.Path)
				res := scopeRequest(t, browsers[u], r.Method, path, f, tg)
				if res.Status == http.StatusNotFound || res.Status == http.StatusForbidden {
					t.Errorf("control: %s %s as %s: status %d, want it allowed; body %.200s", r.Method, path, u, res.Status, res.Body)
				}
			}
		})
	}
}

// takesAway says whether a route removes something (an assignment, a token,
// an account's password or sign-in) that later requests of the test rely on.
func takesAway(r gin.RouteInfo) bool {
	return r.Method == http.MethodDelete || strings.HasSuffix(r.Path, "/remove") || strings.HasSuffix(r.Path, "/delete") ||
		strings.HasSuffix(r.Path, "/disable") || strings.HasSuffix(r.Path, "/reset-password")
}
