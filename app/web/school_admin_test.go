package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"jiashu/app/jobs"
	"jiashu/app/locale"
	"jiashu/assets"
	"jiashu/letters"
	"jiashu/roster/rostertest"
	"jiashu/store"
)

// testRunner is a job runner of another "instance" on the fixture's
// database.
func testRunner(t *testing.T, f *webFixture, instance string) *jobs.Runner {
	t.Helper()
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locale.Load(assets.Web)
	if err != nil {
		t.Fatal(err)
	}
	r, err := jobs.NewService(jobs.Deps{Config: f.cfg, Store: f.st, Engine: eng, Catalogue: cat,
		Log: slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})), Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	r.Instance = instance
	return r
}

// runJobs lets r run every queued job.
func runJobs(t *testing.T, r *jobs.Runner) {
	t.Helper()
	for {
		ran, err := r.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !ran {
			return
		}
	}
}

var jobPath = regexp.MustCompile(`^/jobs/(\d+)$`)

// zipPDFs opens a ZIP and returns its entries' names, checking that each
// is a PDF.
func zipPDFs(t *testing.T, data []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a ZIP (%d bytes): %v", len(data), err)
	}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		head := make([]byte, 5)
		rc.Read(head)
		rc.Close()
		if string(head) != "%PDF-" {
			t.Errorf("%s is not a PDF: %q", f.Name, head)
		}
		names = append(names, f.Name)
	}
	return names
}

func TestSchoolLettersJob(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			f.addStudent(t, f.schoolA, f.classA2, "A0101", "陈一", "13700001111")
			admin := newBrowser(t, f.srv.URL)
			admin.login("adminA")
			school := "/schools/" + itoa(f.schoolA)

			r := admin.post(school+"/letters", url.Values{})
			m := jobPath.FindStringSubmatch(r.Location)
			if r.Status != http.StatusSeeOther || m == nil {
				t.Fatalf("start: %d %q %.300s", r.Status, r.Location, r.Body)
			}
			job := r.Location
			t.Run("a second click finds the job already queued", func(t *testing.T) {
				if again := admin.post(school+"/letters", url.Values{}); again.Location != job {
					t.Fatalf("second start went to %q, want %q", again.Location, job)
				}
			})
			t.Run("the page refreshes itself while the job waits", func(t *testing.T) {
				p := admin.get(job)
				if p.Status != 200 || !strings.Contains(p.Body, `http-equiv="refresh"`) || !strings.Contains(p.Body, "已加入队列") {
					t.Fatalf("queued page: %d %.600s", p.Status, p.Body)
				}
				if d := admin.get(job + "/download"); d.Status != http.StatusConflict {
					t.Fatalf("download before done: %d", d.Status)
				}
			})
			t.Run("an instance that dies mid-job loses it to another once its lease runs out", func(t *testing.T) {
				dead := testRunner(t, f, "dead")
				dead.Lease = 1500 * time.Millisecond // long enough that the checks below run within it, even on a loaded machine
				if j, ok, err := f.st.ClaimJob(context.Background(), "dead", dead.Lease); err != nil || !ok {
					t.Fatalf("claim %v %v", ok, err)
				} else if err := f.st.JobProgress(context.Background(), j.ID, "dead", 1, 2, dead.Lease); err != nil {
					t.Fatal(err)
				}
				p := admin.get(job)
				if !strings.Contains(p.Body, "已完成 1 / 2 个班级") || !strings.Contains(p.Body, `value="50"`) {
					t.Fatalf("running page shows no progress: %.900s", p.Body)
				}
				alive := testRunner(t, f, "alive")
				if ran, _ := alive.RunOnce(context.Background()); ran {
					t.Fatal("the live lease was taken over")
				}
				time.Sleep(1600 * time.Millisecond)
				runJobs(t, alive)
				j, _ := f.st.Job(context.Background(), mustID(t, m[1]))
				if j.Status != store.JobDone || j.ClaimedBy != "alive" || j.Attempts != 2 || j.Done != 2 || j.Total != 2 {
					t.Fatalf("job after takeover %+v", j)
				}
			})
			t.Run("the finished page offers the ZIP with a PDF per class", func(t *testing.T) {
				p := admin.get(job)
				if strings.Contains(p.Body, `http-equiv="refresh"`) || !strings.Contains(p.Body, "下载 ZIP 文件") {
					t.Fatalf("done page %.900s", p.Body)
				}
				d := admin.get(job + "/download")
				if d.Status != 200 || d.Header.Get("Content-Type") != "application/zip" {
					t.Fatalf("download %d %q", d.Status, d.Header.Get("Content-Type"))
				}
				names := zipPDFs(t, []byte(d.Body))
				if len(names) != 2 || !contains(names, "三年级2班.pdf") || !contains(names, "五年级3班.pdf") {
					t.Fatalf("ZIP entries %v, want a PDF per class with students", names)
				}
				log, _ := f.st.AuditLog(context.Background(), 20)
				found := false
				for _, e := range log {
					found = found || (e.Action == "letters_zip_downloaded" && e.UserID == f.users["adminA"].ID)
				}
				if !found {
					t.Fatalf("the download is not in the audit log: %+v", log)
				}
			})
			t.Run("the API reports the job and serves the result", func(t *testing.T) {
				r := admin.get("/api/v1/jobs/" + m[1])
				var j apiJob
				if err := json.Unmarshal([]byte(r.Body), &j); err != nil || j.Status != "done" || j.Percent != 100 || j.ResultURL == "" {
					t.Fatalf("api job %d %s", r.Status, r.Body)
				}
				if d := admin.get(j.ResultURL); d.Status != 200 || len(zipPDFs(t, []byte(d.Body))) != 2 {
					t.Fatalf("api result %d", d.Status)
				}
			})
			t.Run("after its retention the file is gone and the page says so", func(t *testing.T) {
				if n, err := f.st.PurgeJobResults(context.Background(), time.Now().Add(time.Hour)); err != nil || n != 1 {
					t.Fatalf("purge %d %v", n, err)
				}
				if d := admin.get(job + "/download"); d.Status != http.StatusGone {
					t.Fatalf("download of a purged result: %d", d.Status)
				}
				if p := admin.get(job); !strings.Contains(p.Body, "已自动删除") || strings.Contains(p.Body, `id="download"`) {
					t.Fatalf("page of a purged job: %.800s", p.Body)
				}
			})
		})
	}
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscan(s, &id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSchoolAdminPages(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	admin := newBrowser(t, f.srv.URL)
	admin.login("adminA")
	school := "/schools/" + itoa(f.schoolA)

	t.Run("the school page lists the classes and their teachers", func(t *testing.T) {
		if r := admin.get("/school"); r.Location != school {
			t.Fatalf("/school → %q", r.Location)
		}
		p := admin.get(school)
		for _, want := range []string{"阳光小学", "三年级2班", "五年级3班", "ta老师", "tb老师", "生成全校家书"} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("school page lacks %q", want)
			}
		}
		if strings.Contains(p.Body, "初一1班") || strings.Contains(p.Body, "tc老师") {
			t.Error("the school page shows another school's class or teacher")
		}
	})
	var password string
	t.Run("a new teacher account shows its one-time password once, and it works", func(t *testing.T) {
		r := admin.follow(admin.post(school+"/teachers", url.Values{"username": {"wangli"}, "display_name": {"王丽"}, "class": {itoa(f.classA2)}}))
		m := regexp.MustCompile(`<code class="secret">([a-z0-9-]+)</code>`).FindStringSubmatch(r.Body)
		if r.Status != 200 || m == nil {
			t.Fatalf("create: %d %.600s", r.Status, r.Body)
		}
		password = m[1]
		if again := admin.get(school); strings.Contains(again.Body, password) {
			t.Fatal("the one-time password shows again")
		}
		if dup := admin.post(school+"/teachers", url.Values{"username": {"wangli"}}); dup.Status != http.StatusUnprocessableEntity || !strings.Contains(dup.Body, "已被使用") {
			t.Fatalf("duplicate username: %d", dup.Status)
		}
		u, err := f.st.UserByUsername(context.Background(), "wangli")
		if err != nil || u.Role != store.RoleTeacher || u.SchoolID != f.schoolA || !u.MustChangePassword {
			t.Fatalf("account %+v %v", u, err)
		}
		if ok, _ := f.st.TeachesClass(context.Background(), u.ID, f.classA2); !ok {
			t.Fatal("not assigned to the class chosen in the form")
		}
		tb := newBrowser(t, f.srv.URL)
		if r := tb.post("/login", url.Values{"username": {"wangli"}, "password": {password}}); r.Status != http.StatusSeeOther {
			t.Fatalf("login with the one-time password: %d", r.Status)
		}
	})
	t.Run("assigning and unassigning a teacher", func(t *testing.T) {
		ta := f.users["ta"]
		r := admin.post(school+"/classes/"+itoa(f.classA2)+"/teachers", url.Values{"teacher": {itoa(ta.ID)}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("assign %d", r.Status)
		}
		if ok, _ := f.st.TeachesClass(context.Background(), ta.ID, f.classA2); !ok {
			t.Fatal("not assigned")
		}
		r = admin.post(school+"/classes/"+itoa(f.classA2)+"/teachers/"+itoa(ta.ID)+"/remove", nil)
		if ok, _ := f.st.TeachesClass(context.Background(), ta.ID, f.classA2); ok || r.Status != http.StatusSeeOther {
			t.Fatalf("still assigned (%d)", r.Status)
		}
	})
	t.Run("a school workbook with a sheet per class is previewed, then imported", func(t *testing.T) {
		var buf bytes.Buffer
		if err := rostertest.Generate(&buf, 30, rostertest.PerClass(10), rostertest.School("阳光小学"), rostertest.Seed(5)); err != nil {
			t.Fatal(err)
		}
		p := admin.upload(school+"/roster", "全校名册.xlsx", buf.Bytes(), nil)
		if p.Status != 200 || !strings.Contains(p.Body, `id="preview"`) || !strings.Contains(p.Body, "一年级1班") || !strings.Contains(p.Body, "三年级1班") {
			t.Fatalf("preview %d %.1500s", p.Status, p.Body)
		}
		action := regexp.MustCompile(`action="(/schools/\d+/roster/[^"]+)"`).FindStringSubmatch(p.Body)
		if action == nil {
			t.Fatalf("no confirm form: %.1500s", p.Body)
		}
		r := admin.post(action[1], url.Values{"valid_only": {"true"}})
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, school+"?imported=") {
			t.Fatalf("confirm %d %q %.500s", r.Status, r.Location, r.Body)
		}
		classes, _ := f.st.Classes(context.Background(), f.schoolA)
		if len(classes) != 5 {
			t.Fatalf("%d classes after import, want the 2 before and 3 from the file", len(classes))
		}
		if page := admin.get(r.Location); !strings.Contains(page.Body, "名册已导入") {
			t.Fatal("no notice after import")
		}
	})
}

// TestAdminScope: school administrators stay in their school, teachers out
// of the admin pages, and only the district manages schools and campaigns.
func TestAdminScope(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			ctx := context.Background()
			a, b := itoa(f.schoolA), itoa(f.schoolB)
			jobA, err := f.st.CreateJob(ctx, store.Job{Kind: store.JobSchoolLetters, SchoolID: f.schoolA, CampaignID: schoolCampaign(t, f, f.schoolA)})
			if err != nil {
				t.Fatal(err)
			}
			camp, err := f.st.CreateCampaign(ctx, store.Campaign{Name: "全区活动", SchoolIDs: []int64{f.schoolA, f.schoolB}})
			if err != nil {
				t.Fatal(err)
			}
			jobD, _ := f.st.CreateJob(ctx, store.Job{Kind: store.JobCampaignLetters, CampaignID: camp.ID})
			ja, jd := itoa(jobA.ID), itoa(jobD.ID)
			cid := itoa(camp.ID)
			type req struct {
				method, path string
				body         string // form or JSON
			}
			get := func(p string) req { return req{"GET", p, ""} }
			post := func(p, body string) req { return req{"POST", p, body} }
			schoolA := []req{
				get("/schools/" + a), get("/schools/" + a + "/roster"), get("/overview/schools/" + a),
				get("/jobs/" + ja), get("/jobs/" + ja + "/download"),
				post("/schools/"+a+"/teachers", "username=intruder"),
				post("/schools/"+a+"/classes/"+itoa(f.classA1)+"/teachers", "teacher="+itoa(f.users["ta"].ID)),
				post("/schools/"+a+"/letters", ""),
				get("/api/v1/schools/" + a), get("/api/v1/jobs/" + ja), get("/api/v1/schools/" + a + "/jobs"),
				post("/api/v1/schools/"+a+"/users", `{"username":"intruder2"}`),
				post("/api/v1/schools/"+a+"/letters", ""),
			}
			district := []req{
				get("/district"), get("/campaigns"), get("/campaigns/" + cid), get("/overview"),
				get("/jobs/" + jd), get("/jobs/" + jd + "/download"),
				post("/district/schools", "name=新学校"), post("/campaigns", "name=x"), post("/campaigns/"+cid, "name=x"),
				post("/campaigns/"+cid+"/letters", ""),
				post("/api/v1/schools", `{"name":"新学校2"}`), get("/api/v1/campaigns"), post("/api/v1/campaigns", `{"name":"y"}`),
				get("/api/v1/overview"), get("/api/v1/jobs/" + jd),
			}
			refused := func(r response) bool { return r.Status == http.StatusNotFound || r.Status == http.StatusForbidden }
			do := func(br *browser, q req) response {
				if q.method == "GET" {
					return br.get(q.path)
				}
				if strings.HasPrefix(q.body, "{") {
					rq, _ := http.NewRequest(http.MethodPost, br.base+q.path, strings.NewReader(q.body))
					rq.Header.Set("Content-Type", "application/json")
					return br.do(rq)
				}
				vals, _ := url.ParseQuery(q.body)
				return br.post(q.path, vals)
			}
			for _, tc := range []struct {
				user   string
				denied []req
			}{
				{"adminB", append(schoolA, district...)},
				{"ta", append(schoolA, district...)},
				{"reviewer", append(schoolA, district...)},
				{"adminA", district},
			} {
				t.Run(tc.user+" is refused", func(t *testing.T) {
					br := newBrowser(t, f.srv.URL)
					br.login(tc.user)
					for _, q := range tc.denied {
						if r := do(br, q); !refused(r) {
							t.Errorf("%s %s: %d, want 403/404", q.method, q.path, r.Status)
						}
					}
				})
			}
			t.Run("a school administrator cannot reach into another school through their own", func(t *testing.T) {
				br := newBrowser(t, f.srv.URL)
				br.login("adminA")
				for _, q := range []req{
					post("/schools/"+a+"/classes/"+itoa(f.classB1)+"/teachers", "teacher="+itoa(f.users["ta"].ID)),
					post("/schools/"+a+"/classes/"+itoa(f.classA1)+"/teachers", "teacher="+itoa(f.users["tc"].ID)),
					post("/schools/"+a+"/classes/"+itoa(f.classB1)+"/teachers/"+itoa(f.users["tc"].ID)+"/remove", ""),
					post("/api/v1/schools/"+a+"/users", `{"username":"boss","role":"school_admin"}`),
					post("/api/v1/schools/"+a+"/users", `{"username":"boss","role":"district_admin"}`),
				} {
					if r := do(br, q); !refused(r) {
						t.Errorf("%s %s: %d, want 403/404", q.method, q.path, r.Status)
					}
				}
				if ok, _ := f.st.TeachesClass(ctx, f.users["tc"].ID, f.classB1); !ok {
					t.Error("another school's assignment was removed")
				}
				if _, err := f.st.UserByUsername(ctx, "boss"); err == nil {
					t.Error("a school administrator created an administrator account")
				}
			})
			t.Run("nothing was changed by the refused requests", func(t *testing.T) {
				for _, u := range []string{"intruder", "intruder2"} {
					if _, err := f.st.UserByUsername(ctx, u); err == nil {
						t.Errorf("account %s was created", u)
					}
				}
				if sc, _ := f.st.Schools(ctx); len(sc) != 2 {
					t.Errorf("%d schools", len(sc))
				}
				if cs, _ := f.st.Campaigns(ctx); len(cs) != 2 {
					t.Errorf("%d campaigns", len(cs))
				}
				if js, _ := f.st.SchoolJobs(ctx, f.schoolA, 10); len(js) != 1 {
					t.Errorf("%d jobs of school A", len(js))
				}
			})
			t.Run("the district reaches every school", func(t *testing.T) {
				br := newBrowser(t, f.srv.URL)
				br.login("district")
				for _, p := range []string{"/schools/" + a, "/schools/" + b, "/jobs/" + ja, "/jobs/" + jd, "/district", "/campaigns/" + cid} {
					if r := br.get(p); r.Status != 200 {
						t.Errorf("GET %s: %d", p, r.Status)
					}
				}
			})
		})
	}
}

// schoolCampaign is the school's current campaign.
func schoolCampaign(t *testing.T, f *webFixture, schoolID int64) int64 {
	t.Helper()
	c, err := f.st.DefaultCampaign(context.Background(), schoolID)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}
