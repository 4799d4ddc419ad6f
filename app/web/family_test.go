package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"jiashu/app/jobs"
	"jiashu/store"
)

// familyRoster is class 三年级2班 as its school keeps it: five of six first
// guardians are grandparents written as pairs (祖孙, 爷孙, 外祖孙, 祖孙关系,
// 姥孙), and the 班主任 column names 江老师.
const familyRoster = "学号,姓名,性别,年级,班级,班主任,家长姓名,与学生关系,家长手机\n" +
	"3201,王小雨,女,三年级,2班,江老师,李桂兰,祖孙,13912345601\n" +
	"3202,陈子墨,男,三年级,2班,江老师,陈德山,爷孙,13912345602\n" +
	"3203,赵一诺,女,三年级,2班,江老师,孙秀英,外祖孙,13912345603\n" +
	"3204,刘星,男,三年级,2班,江老师,刘大妈,祖孙关系,13912345604\n" +
	"3205,周周,女,三年级,2班,江老师,周姥姥,姥孙,13912345605\n" +
	"3206,吴凡,男,三年级,2班,江老师,林芳,母亲,13912345606\n"

// pdfPageTexts is the text of each page of a PDF (pdftotext separates
// pages by form feeds), spaces and line breaks removed.
func pdfPageTexts(t *testing.T, pdf []byte) []string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "letters.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(strings.TrimRight(string(out), "\f"), "\f")
	for i, p := range pages {
		pages[i] = strings.NewReplacer("\n", "", " ", "").Replace(p)
	}
	return pages
}

// zipEntry is the entry of a ZIP whose name ends with suffix.
func zipEntry(t *testing.T, data []byte, suffix string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, suffix) {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("no %s in the ZIP", suffix)
	return nil
}

// TestWhatEachFamilyReceives follows one class from its roster to its
// families: grandparents written as pairs get large print through the
// letters job, the head teacher the school records is the one the letters,
// the class page, the parents' page, the reminder texts and the overview
// carry (a roster naming another is reported), the school's missing
// details are named in the job's outcome, and no parent page shows a
// write-in blank.
func TestWhatEachFamilyReceives(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			ctx := context.Background()
			admin, teacher := newBrowser(t, f.srv.URL), newBrowser(t, f.srv.URL)
			admin.login("adminA")
			teacher.login("ta")
			imports := "/api/v1/schools/" + itoa(f.schoolA) + "/imports"
			if r := admin.upload(imports, "三年级2班.csv", []byte(familyRoster), nil); r.Status != http.StatusOK {
				t.Fatalf("import: %d %.300s", r.Status, r.Body)
			}
			class := "/api/v1/classes/" + itoa(f.classA1)
			if r := teacher.sendJSON(http.MethodPut, class+"/head-teacher", map[string]string{"head_teacher": "王老师"}); r.Status != http.StatusOK || !strings.Contains(r.Body, `"head_teacher":"王老师"`) {
				t.Fatalf("set head teacher: %d %.300s", r.Status, r.Body)
			}
			t.Run("a roster naming another head teacher is a warning naming both, and switches nothing", func(t *testing.T) {
				r := admin.upload(imports, "三年级2班.csv", []byte(familyRoster), nil)
				if r.Status != http.StatusOK || !strings.Contains(r.Body, `"code":"head_teacher_differs"`) ||
					!strings.Contains(r.Body, "名册中的班主任是“江老师”，本班记录的班主任是“王老师”") {
					t.Fatalf("%d %.600s", r.Status, r.Body)
				}
				if cl, _ := f.st.Class(ctx, f.classA1); cl.HeadTeacher != "王老师" {
					t.Errorf("head teacher %q after the import", cl.HeadTeacher)
				}
			})
			r := admin.sendJSON(http.MethodPost, "/api/v1/schools/"+itoa(f.schoolA)+"/letters", map[string]bool{"duplex": false})
			if r.Status != http.StatusAccepted {
				t.Fatalf("letters job: %d %.300s", r.Status, r.Body)
			}
			var job struct {
				ID int64 `json:"id"`
			}
			json.Unmarshal([]byte(r.Body), &job)
			runJobs(t, testRunner(t, f, "w"))
			j, err := f.st.Job(ctx, job.ID)
			if err != nil || j.Status != store.JobDone {
				t.Fatalf("job %+v %v", j, err)
			}
			t.Run("the job's outcome names the school's missing details", func(t *testing.T) {
				o, ok := jobs.LettersOf(j)
				if !ok || o.LargePrint != 5 || len(o.MissingDetails) != 1 || o.MissingDetails[0].School != "阳光小学" ||
					strings.Join(o.MissingDetails[0].Details, "、") != "学校电话、派出所、派出所电话" {
					t.Errorf("outcome %+v", o)
				}
				if p := admin.get("/jobs/" + itoa(job.ID)); !strings.Contains(p.Body, `id="missing-details"`) || !strings.Contains(p.Body, "学校电话、派出所、派出所电话") {
					t.Errorf("the job page does not name the missing details")
				}
			})
			res := admin.get("/api/v1/jobs/" + itoa(job.ID) + "/result")
			pages := pdfPageTexts(t, zipEntry(t, []byte(res.Body), "三年级2班.pdf"))
			t.Run("every grandparent written as a pair gets large print, and every letter signs with the recorded head teacher", func(t *testing.T) {
				if len(pages) != 5*2+1 {
					t.Fatalf("%d pages, want 11: five large-print letters of two pages and one of one", len(pages))
				}
				for i, child := range []string{"王小雨", "陈子墨", "赵一诺", "刘星", "周周"} {
					first, second := pages[2*i], pages[2*i+1]
					if !strings.Contains(first, "尊敬的"+child+"的爷爷奶奶、外公外婆") {
						t.Errorf("%s's letter is not the large print addressed to the grandparent: %.80s", child, first)
					}
					if !strings.Contains(first+second, "三年级2班班主任王老师") || strings.Contains(first+second, "江老师") {
						t.Errorf("%s's letter does not sign with 王老师", child)
					}
				}
				if last := pages[10]; !strings.Contains(last, "尊敬的吴凡同学家长") || !strings.Contains(last, "三年级2班班主任王老师") {
					t.Errorf("the mother's letter: %.120s", last)
				}
			})
			t.Run("the class page shows the name the letters carry", func(t *testing.T) {
				p := teacher.get("/classes/" + itoa(f.classA1))
				if !strings.Contains(p.Body, `id="head-teacher-signature">阳光小学<br>三年级2班班主任 王老师</p>`) {
					t.Errorf("class page: %.300s", p.Body[strings.Index(p.Body, `id="head-teacher"`):])
				}
				if api := teacher.get(class); !strings.Contains(api.Body, `"head_teacher":"王老师"`) {
					t.Errorf("class API: %.300s", api.Body)
				}
			})
			ls, err := f.st.CampaignLetters(ctx, mustCampaign(t, f), f.classA1)
			if err != nil || len(ls) == 0 {
				t.Fatalf("letters %v %v", ls, err)
			}
			t.Run("the parents' page shows the same head teacher and no write-in blank", func(t *testing.T) {
				for _, l := range ls {
					body := admin.get("/a/" + l.Token).Body
					if !strings.Contains(body, `<p class="sig">三年级2班班主任 王老师</p>`) {
						t.Errorf("the parents' page of letter %d does not sign with 王老师", l.ID)
					}
					if strings.Contains(body, "＿") || strings.Contains(body, "请记下") || strings.Contains(body, "江老师") {
						t.Errorf("the parents' page of letter %d shows a blank or the roster's name", l.ID)
					}
				}
			})
			t.Run("the reminder texts name the same head teacher", func(t *testing.T) {
				csv := teacher.get("/classes/" + itoa(f.classA1) + "/reminders.csv")
				if csv.Status != http.StatusOK || strings.Count(csv.Body, "王老师") != 6 || strings.Contains(csv.Body, "江老师") {
					t.Errorf("reminders: %d %.500s", csv.Status, csv.Body)
				}
			})
			t.Run("the overview shows the same head teacher", func(t *testing.T) {
				district := newBrowser(t, f.srv.URL)
				district.login("district")
				p := district.get("/overview/schools/" + itoa(f.schoolA) + "/classes/" + itoa(f.classA1))
				if !strings.Contains(p.Body, `id="class-head-teacher">班主任（家书署名）：<b>王老师</b>`) {
					t.Errorf("overview: %d", p.Status)
				}
				if p := district.get("/overview"); !strings.Contains(p.Body, `id="school-gaps"`) {
					t.Errorf("the overview does not flag 阳光小学's missing details")
				}
			})
		})
	}
}

// TestCampaignOpeningOnThePageAndTheAPI: the center opens a campaign's
// letters with one of its content version's reviewed openings — at
// creation through the API, on the campaign page, by name through the API
// — and the letters and the parents' page print it first.
func TestCampaignOpeningOnThePageAndTheAPI(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			district := newBrowser(t, f.srv.URL)
			district.login("district")
			r := district.sendJSON(http.MethodPost, "/api/v1/campaigns", map[string]any{"name": "2027寒假反诈家书", "school_ids": []int64{f.schoolA}, "opening": "寒假"})
			var cp struct {
				ID          int64  `json:"id"`
				OpeningName string `json:"opening_name"`
				Opening     string `json:"opening"`
			}
			if json.Unmarshal([]byte(r.Body), &cp); r.Status != http.StatusCreated || cp.OpeningName != "寒假" || !strings.HasPrefix(cp.Opening, "寒假将至") {
				t.Fatalf("create: %d %.300s", r.Status, r.Body)
			}
			page := "/campaigns/" + itoa(cp.ID)
			if p := district.get(page); !strings.Contains(p.Body, `id="opening-current"><b>寒假</b>：寒假将至`) || !strings.Contains(p.Body, `value="寒假" checked`) {
				t.Errorf("the campaign page does not show its opening")
			}
			if r := district.post(page+"/opening", url.Values{"opening": {"开学"}}); r.Status != http.StatusSeeOther {
				t.Fatalf("page: %d %.300s", r.Status, r.Body)
			}
			t.Run("an opening the version lacks is refused, saying which it has", func(t *testing.T) {
				r := district.sendJSON(http.MethodPut, "/api/v1"+page+"/opening", map[string]string{"opening": "元旦"})
				if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"code":"opening"`) || !strings.Contains(r.Body, "“寒假”") {
					t.Errorf("%d %.300s", r.Status, r.Body)
				}
				if r := district.get("/api/v1" + page + "/openings"); r.Status != 200 || strings.Count(r.Body, `"name"`) != 4 {
					t.Errorf("openings: %d %.300s", r.Status, r.Body)
				}
			})
			t.Run("the class's meeting kit names the campaign's deadline", func(t *testing.T) {
				district.sendJSON(http.MethodPut, "/api/v1"+page, map[string]any{"name": "2027寒假反诈家书", "ack_deadline": "2099-01-20", "school_ids": []int64{f.schoolA}})
				for _, kit := range []string{"lesson-sheet.pdf", "lesson-slides.pdf"} {
					r := district.get("/classes/" + itoa(f.classA1) + "/" + kit + "?campaign=" + itoa(cp.ID))
					if txt := strings.Join(pdfPageTexts(t, []byte(r.Body)), ""); r.Status != 200 || !strings.Contains(txt, "2099年1月20日") {
						t.Errorf("%s: %d, the deadline 2099年1月20日 is not named", kit, r.Status)
					}
				}
			})
			t.Run("an update leaving the opening out keeps it", func(t *testing.T) {
				r := district.sendJSON(http.MethodPut, "/api/v1"+page, map[string]any{"name": "2027寒假反诈家书", "school_ids": []int64{f.schoolA}})
				if r.Status != http.StatusOK || !strings.Contains(r.Body, `"opening_name":"开学"`) {
					t.Errorf("%d %.300s", r.Status, r.Body)
				}
			})
			teacher := newBrowser(t, f.srv.URL)
			teacher.login("ta")
			pdf := teacher.post("/classes/"+itoa(f.classA1)+"/letters", url.Values{"campaign": {itoa(cp.ID)}})
			pages := pdfPageTexts(t, []byte(pdf.Body))
			if len(pages) != 2 || !strings.Contains(pages[0], "家长：新学期开学了。") || !strings.Contains(pages[1], "家长：新学期开学了。") {
				t.Errorf("the letters do not open with the campaign's line: %d %.200v", pdf.Status, pages)
			}
			ls, err := f.st.CampaignLetters(context.Background(), cp.ID, f.classA1)
			if err != nil || len(ls) == 0 {
				t.Fatal(err)
			}
			if body := teacher.get("/a/" + ls[0].Token).Body; !strings.Contains(body, `<p class="para">新学期开学了。`) {
				t.Errorf("the parents' page does not open with the campaign's line")
			}
		})
	}
}

// TestAnAlertSomeClassCannotFillIsRefused: an alert whose text names the
// head teacher with no fallback is refused while a class of its campaign
// has none, naming that class; once it has one, the alert is published and
// its families read it filled in.
func TestAnAlertSomeClassCannotFillIsRefused(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	ctx := context.Background()
	v := approveContent(t, f.st, "提醒无备选", func(files map[string]string) {
		files["methods.txt"] = strings.Replace(files["methods.txt"], " || 学校不在群里扫码收费，收费通知先打电话或当面向班主任核实。", "", 1)
	})
	c := storeCampaign("2027冬季防诈", f.schoolA)
	c.ContentVersionID = v
	camp, err := f.st.CreateCampaign(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	district := newBrowser(t, f.srv.URL)
	district.login("district")
	alert := map[string]any{"content_version": v, "method": "fake-teacher", "campaign_ids": []int64{camp.ID}}
	r := district.sendJSON(http.MethodPost, "/api/v1/alerts", alert)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"code":"alert_unfilled"`) || !strings.Contains(r.Body, "阳光小学三年级2班（{班主任}）") {
		t.Fatalf("%d %.400s", r.Status, r.Body)
	}
	if p := district.post("/alerts", url.Values{"method": {itoa(v) + ":fake-teacher"}, "campaign": {itoa(camp.ID)}}); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "无法按家庭填写") {
		t.Errorf("the alerts page: %d", p.Status)
	}
	if list, _ := f.st.Alerts(ctx); len(list) != 0 {
		t.Fatalf("a refused alert was stored: %+v", list)
	}
	if _, err := f.st.SetHeadTeacher(ctx, f.classA1, "王老师", 0); err != nil {
		t.Fatal(err)
	}
	if r := district.sendJSON(http.MethodPost, "/api/v1/alerts", alert); r.Status != http.StatusCreated {
		t.Fatalf("%d %.400s", r.Status, r.Body)
	}
	teacher := newBrowser(t, f.srv.URL)
	teacher.login("ta")
	teacher.post("/classes/"+itoa(f.classA1)+"/letters", url.Values{"campaign": {itoa(camp.ID)}})
	ls, err := f.st.CampaignLetters(ctx, camp.ID, f.classA1)
	if err != nil || len(ls) == 0 {
		t.Fatal(err)
	}
	body := teacher.get("/a/" + ls[0].Token).Body
	if !strings.Contains(body, "当面向班主任王老师核实") || strings.Contains(body, "{班主任}") {
		t.Errorf("the alert is not filled for the family")
	}
}

// TestSchoolDetailsThroughTheAPI: PATCH changes the fields given, as the
// command line does; the answer lists the details the letters still lack.
func TestSchoolDetailsThroughTheAPI(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	admin := newBrowser(t, f.srv.URL)
	admin.login("adminA")
	path := "/api/v1/schools/" + itoa(f.schoolA) + "/details"
	if r := admin.get(path); !strings.Contains(r.Body, `"name":"学校电话"`) || !strings.Contains(r.Body, `"needed":false`) {
		t.Errorf("nothing filled in: %.400s", r.Body)
	}
	admin.sendJSON(http.MethodPut, path, map[string]string{"phone": "023-12345678"})
	r := admin.sendJSON(http.MethodPatch, path, map[string]string{"police_station": "龙溪派出所"})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `"phone":"023-12345678"`) || !strings.Contains(r.Body, `"police_station":"龙溪派出所"`) ||
		strings.Contains(r.Body, `"name":"学校电话"`) || !strings.Contains(r.Body, `"name":"派出所电话"`) {
		t.Errorf("patch: %d %.400s", r.Status, r.Body)
	}
	if p := admin.get("/schools/" + itoa(f.schoolA)); !strings.Contains(p.Body, `id="school-gap"`) || !strings.Contains(p.Body, "还没有填写：派出所电话") {
		t.Errorf("the school page does not flag the police phone")
	}
}

// TestTheEditorShowsTheRoomOfTheMethodBeingEdited: the letters that print
// the method, each with its lines left and the methods that take most.
func TestTheEditorShowsTheRoomOfTheMethodBeingEdited(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	ctx := context.Background()
	latest, err := f.st.LatestApprovedContent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	files, err := f.st.ContentFiles(ctx, latest.ID)
	if err != nil {
		t.Fatal(err)
	}
	files["methods.txt"] = strings.Replace(files["methods.txt"], "防范: 学校不在群里扫码收费，",
		"防范: 学校不在群里扫码收费，任何收费都会提前在家长会上说明并发书面通知，", 1)
	d, err := f.st.CreateContentDraft(ctx, f.users["district"].ID, latest.ID, "加长一条", files)
	if err != nil {
		t.Fatal(err)
	}
	district := newBrowser(t, f.srv.URL)
	district.login("district")
	p := district.get("/content/versions/" + itoa(d.ID) + "/edit?file=methods.txt&method=fake-teacher")
	if p.Status != 200 || !strings.Contains(p.Body, `id="rooms"`) || strings.Count(p.Body, "<li><b>") < 4 || !strings.Contains(p.Body, "占地最多的手法") {
		t.Errorf("the editor does not show the room of the four letters printing the method: %d", p.Status)
	}
}
