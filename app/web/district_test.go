package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"jiashu/store"
)

// TestDistrictCampaignAndOverview: the center adds a school and its
// administrator, runs a campaign for two schools, produces all letters as
// one job (a folder per school, a PDF per class) and reads the overview,
// furthest behind first.
func TestDistrictCampaignAndOverview(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			ctx := context.Background()
			center := newBrowser(t, f.srv.URL)
			center.login("district")

			t.Run("a new school and its administrator account", func(t *testing.T) {
				if r := center.post("/district/schools", url.Values{"name": {"新华小学"}}); r.Status != http.StatusSeeOther {
					t.Fatalf("create school %d %.300s", r.Status, r.Body)
				}
				if r := center.post("/district/schools", url.Values{"name": {"新华小学"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "已有同名学校") {
					t.Fatalf("duplicate school %d", r.Status)
				}
				sc, err := f.st.SchoolByName(ctx, "新华小学")
				if err != nil {
					t.Fatal(err)
				}
				r := center.follow(center.post("/district/admins", url.Values{"school": {itoa(sc.ID)}, "username": {"xinhua"}, "display_name": {"新华管理员"}}))
				if r.Status != 200 || !strings.Contains(r.Body, `class="secret"`) || !strings.Contains(r.Body, "学校管理员") {
					t.Fatalf("create admin %d %.600s", r.Status, r.Body)
				}
				u, err := f.st.UserByUsername(ctx, "xinhua")
				if err != nil || u.Role != store.RoleSchoolAdmin || u.SchoolID != sc.ID {
					t.Fatalf("admin %+v %v", u, err)
				}
				if page := center.get("/district"); !strings.Contains(page.Body, "新华小学") || !strings.Contains(page.Body, "xinhua") {
					t.Fatal("the district page does not list the new school and its administrator")
				}
			})

			var campaignID int64
			t.Run("a campaign is created and edited", func(t *testing.T) {
				form := url.Values{"name": {"2026年秋季反诈家书"}, "term": {"2026年秋季学期"}, "ack_deadline": {"2026-10-15"}, "quiz": {"true"},
					"school": {itoa(f.schoolA), itoa(f.schoolB)}, "template_primary-lower": {"default"}}
				r := center.post("/campaigns", form)
				m := regexp.MustCompile(`^/campaigns/(\d+)`).FindStringSubmatch(r.Location)
				if r.Status != http.StatusSeeOther || m == nil {
					t.Fatalf("create %d %q %.500s", r.Status, r.Location, r.Body)
				}
				campaignID = mustID(t, m[1])
				if dup := center.post("/campaigns", form); dup.Status != http.StatusUnprocessableEntity {
					t.Fatalf("duplicate name: %d", dup.Status)
				}
				bad := url.Values{"name": {"x"}, "ack_deadline": {"10/15"}}
				if r := center.post("/campaigns", bad); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "2026-10-15") {
					t.Fatalf("bad deadline: %d", r.Status)
				}
				form.Set("ack_deadline", "2026-10-20")
				form.Del("quiz")
				if r := center.post("/campaigns/"+m[1], form); r.Status != http.StatusSeeOther {
					t.Fatalf("update %d %.300s", r.Status, r.Body)
				}
				cp, _ := f.st.Campaign(ctx, campaignID)
				if cp.AckDeadline != "2026-10-20" || cp.QuizEnabled || len(cp.SchoolIDs) != 2 || cp.Templates["senior"] != "default" {
					t.Fatalf("campaign %+v", cp)
				}
				page := center.get("/campaigns/" + m[1])
				if !strings.Contains(page.Body, "阳光小学") || !strings.Contains(page.Body, "生成全部学校的家书") || !strings.Contains(page.Body, "默认家书") {
					t.Fatalf("campaign page %.800s", page.Body)
				}
			})

			t.Run("all the campaign's letters come as one ZIP, a folder per school", func(t *testing.T) {
				// Two schools with a class of the same name: each keeps its name in its folder.
				twin, err := f.st.EnsureClass(ctx, f.schoolB, 3, 2, "三年级2班")
				if err != nil {
					t.Fatal(err)
				}
				f.addStudent(t, f.schoolB, twin.ID, "B0301", "周洋", "")
				r := center.post("/campaigns/"+itoa(campaignID)+"/letters", nil)
				m := jobPath.FindStringSubmatch(r.Location)
				if m == nil {
					t.Fatalf("start %d %q", r.Status, r.Location)
				}
				runJobs(t, testRunner(t, f, "worker"))
				d := center.get(r.Location + "/download")
				names := zipPDFs(t, []byte(d.Body))
				slices.Sort(names)
				want := []string{"明德中学/三年级2班.pdf", "明德中学/初一1班.pdf", "阳光小学/三年级2班.pdf"}
				if !slices.Equal(names, want) {
					t.Fatalf("ZIP entries %v, want %v", names, want)
				}
			})

			t.Run("the overview puts the school furthest behind first", func(t *testing.T) {
				// Every family of 明德中学 acknowledges; 阳光小学 has 1 of 2.
				classesB, _ := f.st.Classes(ctx, f.schoolB)
				for _, cl := range classesB {
					ls, err := f.st.CampaignLetters(ctx, campaignID, cl.ID)
					if err != nil || len(ls) != 1 {
						t.Fatalf("letters of %s: %v %v", cl.Name, ls, err)
					}
					if _, err := f.st.Acknowledge(ctx, store.Ack{LetterID: ls[0].ID, Channel: store.ChannelSMS}); err != nil {
						t.Fatal(err)
					}
				}
				la, _ := f.st.CampaignLetters(ctx, campaignID, f.classA1)
				if _, err := f.st.Acknowledge(ctx, store.Ack{LetterID: la[0].ID, Channel: store.ChannelPaper}); err != nil {
					t.Fatal(err)
				}
				page := center.get("/overview?campaign=" + itoa(campaignID))
				iA, iB, iX := strings.Index(page.Body, "阳光小学"), strings.Index(page.Body, "明德中学"), strings.Index(page.Body, "新华小学")
				if page.Status != 200 || iA < 0 || iB < 0 || !(iA < iB) || iX >= 0 {
					t.Fatalf("overview order A %d B %d X %d: %.1500s", iA, iB, iX, page.Body)
				}
				r := center.get("/api/v1/overview?campaign=" + itoa(campaignID))
				var out struct {
					Total apiReach   `json:"total"`
					Rows  []apiReach `json:"rows"`
				}
				if err := json.Unmarshal([]byte(r.Body), &out); err != nil || len(out.Rows) != 2 {
					t.Fatalf("api %d %s", r.Status, r.Body)
				}
				if a := out.Rows[0]; a.School != "阳光小学" || a.Students != 2 || a.Acknowledged != 1 || a.Rate != 0.5 || a.ByChannel["paper"] != 1 {
					t.Errorf("first row %+v", a)
				}
				if out.Total.Acknowledged != 3 || out.Total.ByChannel["sms"] != 2 {
					t.Errorf("total %+v", out.Total)
				}
				admin := newBrowser(t, f.srv.URL)
				admin.login("adminA")
				drill := admin.get("/overview/schools/" + itoa(f.schoolA) + "?campaign=" + itoa(campaignID))
				if drill.Status != 200 || !strings.Contains(drill.Body, "三年级2班") || strings.Contains(drill.Body, "初一1班") {
					t.Fatalf("school drill-down %d", drill.Status)
				}
				if !strings.Contains(drill.Body, `<a href="/schools/`+itoa(f.schoolA)+`">阳光小学</a> › 回执总览</p>`) {
					t.Errorf("the school administrator's crumbs do not lead from the school to its overview: %s", crumbsOf(drill.Body))
				}
			})

			t.Run("the API creates and updates campaigns with the same checks", func(t *testing.T) {
				body := `{"name":"春季活动","term":"2027年春季学期","ack_deadline":"2027-03-20","quiz_enabled":true,"school_ids":[` + itoa(f.schoolA) + `]}`
				req, _ := http.NewRequest(http.MethodPost, center.base+"/api/v1/campaigns", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				r := center.do(req)
				var cp apiCampaign
				if err := json.Unmarshal([]byte(r.Body), &cp); r.Status != http.StatusCreated || err != nil || cp.Templates["junior"] != "default" {
					t.Fatalf("api create %d %s", r.Status, r.Body)
				}
				req, _ = http.NewRequest(http.MethodPut, center.base+"/api/v1/campaigns/"+itoa(cp.ID), strings.NewReader(`{"name":"春季活动","school_ids":[999]}`))
				req.Header.Set("Content-Type", "application/json")
				if r := center.do(req); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"code":"invalid"`) {
					t.Fatalf("api update with an unknown school: %d %s", r.Status, r.Body)
				}
			})
		})
	}
}

// crumbsOf is a page's breadcrumb line, for messages.
func crumbsOf(body string) string {
	i := strings.Index(body, `<p class="crumbs">`)
	if i < 0 {
		return "(no crumbs)"
	}
	j := strings.Index(body[i:], "</p>")
	return body[i : i+j+4]
}
