package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"jiashu/app/internal/browsertest"
	"jiashu/store"
)

// What each family receives, on the pages that show it (issue 19), in
// Chromium on a phone (390×844) and a desktop (1280×900): a full-page
// screenshot of each under artifacts/family/ (to be looked at) and
// axe-core's WCAG 2 A/AA rules with no violation.

// familyScene is a school whose class of grandparents written as pairs
// has a head teacher changed from the roster's, in a campaign that opens
// with its winter line, with a new-scam alert and its letters made by the
// school's job; the school's details are not filled in.
type familyScene struct {
	f      *webFixture
	camp   int64
	job    int64
	tokens []string
}

func newFamilyScene(t *testing.T) familyScene {
	t.Helper()
	ctx := context.Background()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	s := familyScene{f: f}
	admin := newBrowser(t, f.srv.URL)
	admin.login("adminA")
	long := "3207,阿卜杜热合曼·艾合买提江·买买提明·艾尔肯·吐尔逊·阿不都,男,三年级,2班,江老师,艾尔肯,父亲,13912345607\n"
	if r := admin.upload("/api/v1/schools/"+itoa(f.schoolA)+"/imports", "三年级2班.csv", []byte(familyRoster+long), nil); r.Status != http.StatusOK {
		t.Fatalf("import: %d %.300s", r.Status, r.Body)
	}
	if _, err := f.st.SetHeadTeacher(ctx, f.classA1, "王老师", 0); err != nil {
		t.Fatal(err)
	}
	district := newBrowser(t, f.srv.URL)
	district.login("district")
	r := district.sendJSON(http.MethodPost, "/api/v1/campaigns", map[string]any{"name": "2027寒假反诈家书", "ack_deadline": "2099-01-20",
		"school_ids": []int64{f.schoolA, f.schoolB}, "opening": "寒假"})
	var cp struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal([]byte(r.Body), &cp); r.Status != http.StatusCreated {
		t.Fatalf("campaign: %d %.300s", r.Status, r.Body)
	}
	s.camp = cp.ID
	if r := district.sendJSON(http.MethodPost, "/api/v1/alerts", map[string]any{"content_version": 1, "method": "fake-teacher", "campaign_ids": []int64{s.camp}}); r.Status != http.StatusCreated {
		t.Fatalf("alert: %d %.300s", r.Status, r.Body)
	}
	r = admin.post("/schools/"+itoa(f.schoolA)+"/letters", map[string][]string{"campaign": {itoa(s.camp)}})
	m := jobPath.FindStringSubmatch(r.Location)
	if m == nil {
		t.Fatalf("letters job: %d %q", r.Status, r.Location)
	}
	s.job = mustID(t, m[1])
	runJobs(t, testRunner(t, f, "w"))
	ls, err := f.st.CampaignLetters(ctx, s.camp, f.classA1)
	if err != nil || len(ls) != 7 {
		t.Fatalf("%d letters %v", len(ls), err)
	}
	for _, l := range ls {
		s.tokens = append(s.tokens, l.Token)
	}
	return s
}

func TestFamilyPagesInChromium(t *testing.T) {
	t.Parallel()
	s := newFamilyScene(t)
	f := s.f
	shots := artifacts(t, "family")
	q := fmt.Sprintf("?campaign=%d", s.camp)
	t.Run("the teacher's class page shows the name the letters sign with", func(t *testing.T) {
		p := browserPage{t: t, ctx: browsertest.WithAxe(t, staffChromium(t)), base: f.srv.URL, shots: shots}
		p.login("ta")
		got := lookAt(t, p, "/classes/"+itoa(f.classA1)+q, "01-class-head-teacher")
		if !strings.Contains(got, "三年级2班班主任 王老师") || strings.Contains(got, "江老师") {
			t.Errorf("class page: %q", got)
		}
	})
	t.Run("the school page flags its missing details and names each class's head teacher", func(t *testing.T) {
		p := browserPage{t: t, ctx: browsertest.WithAxe(t, staffChromium(t)), base: f.srv.URL, shots: shots}
		p.login("adminA")
		got := lookAt(t, p, "/schools/"+itoa(f.schoolA)+q, "02-school-gaps")
		if !strings.Contains(got, "还没有填写：学校电话、派出所、派出所电话") || !strings.Contains(got, "家书署名：王老师") || !strings.Contains(got, "家书未署班主任") {
			t.Errorf("school page: %q", got)
		}
		lookAt(t, p, "/schools/"+itoa(f.schoolA)+"/details", "03-school-details")
		got = lookAt(t, p, "/jobs/"+itoa(s.job), "04-job-outcome")
		if !strings.Contains(got, "学校信息未填") || !strings.Contains(got, "印短了的名字（1 个）") {
			t.Errorf("job page: %q", got)
		}
	})
	t.Run("the center's pages show the opening and the schools lacking details", func(t *testing.T) {
		p := browserPage{t: t, ctx: browsertest.WithAxe(t, staffChromium(t)), base: f.srv.URL, shots: shots}
		p.login("district")
		got := lookAt(t, p, "/campaigns/"+itoa(s.camp), "05-campaign-opening")
		if !strings.Contains(got, "寒假：寒假将至") || !strings.Contains(got, "学校信息未填（2 所学校）") {
			t.Errorf("campaign page: %q", got)
		}
		got = lookAt(t, p, "/overview"+q, "06-overview-gaps")
		if !strings.Contains(got, "学校信息未填") {
			t.Errorf("overview: %q", got)
		}
		got = lookAt(t, p, "/overview/schools/"+itoa(f.schoolA)+"/classes/"+itoa(f.classA1)+q, "07-overview-class")
		if !strings.Contains(got, "班主任（家书署名）：王老师") {
			t.Errorf("overview class: %q", got)
		}
		d, err := f.st.CreateContentDraft(context.Background(), f.users["district"].ID, 1, "看空位", mustFilesOf(t, f.st, 1))
		if err != nil {
			t.Fatal(err)
		}
		got = lookAt(t, p, "/content/versions/"+itoa(d.ID)+"/edit?file=methods.txt&method=child-accident", "08-editor-rooms")
		if !strings.Contains(got, "信纸上的空位") || !strings.Contains(got, "还剩约") {
			t.Errorf("editor: %q", got)
		}
		lookAt(t, p, "/content/versions/"+itoa(d.ID)+"/edit?file=openings.txt", "09-editor-openings")
	})
	t.Run("the parents' pages open with the season, sign with the head teacher and fill the alert", func(t *testing.T) {
		p := browserPage{t: t, ctx: browsertest.WithAxe(t, parentChromium(t)), base: f.srv.URL, shots: shots}
		for i, name := range []string{"10-parent-grandparent", "11-parent-father"} {
			tok := s.tokens[0]
			if i == 1 {
				tok = s.tokens[len(s.tokens)-1]
			}
			got := lookAt(t, p, "/a/"+tok, name)
			for _, want := range []string{"寒假将至", "三年级2班班主任 王老师", "当面向班主任王老师核实", "学校电话：请向班主任询问"} {
				if !strings.Contains(got, want) {
					t.Errorf("%s lacks %q", name, want)
				}
			}
			if strings.ContainsAny(got, "{}＿") {
				t.Errorf("%s shows a placeholder or a write-in blank", name)
			}
		}
	})
}

// mustFilesOf are the files of content version id.
func mustFilesOf(t *testing.T, st *store.Store, id int64) map[string]string {
	t.Helper()
	files, err := st.ContentFiles(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return files
}
