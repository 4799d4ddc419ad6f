package web

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jiashu/app/campaign"
	"jiashu/letters"
	"jiashu/store"
)

// reachFixture is the web fixture with a campaign over both schools, every
// letter issued, and acknowledgements on three days of November 2026 (China
// time): 三年级2班 王小明 by QR with the quiz all right, 五年级3班 two of three
// (one quiz with the second answer wrong), 初一1班 赵敏 by paper. 三年级2班's
// 李华 and 张伟 have not responded.
type reachFixture struct {
	*webFixture
	campaign int64
}

func newReachFixture(t *testing.T, dsn string) reachFixture {
	t.Helper()
	ctx := context.Background()
	f := newWebFixture(t, dsn)
	f.addStudent(t, f.schoolA, f.classA1, "A0003", "张伟", "13700009876")
	f.addStudent(t, f.schoolA, f.classA2, "A0101", "陈一", "13600000001")
	f.addStudent(t, f.schoolA, f.classA2, "A0102", "陈二", "13600000002")
	f.addStudent(t, f.schoolA, f.classA2, "A0103", "陈三", "")
	camp, err := f.st.CreateCampaign(ctx, store.Campaign{Name: "2026秋季反诈家书", Term: "2026年秋季学期", QuizEnabled: true, SchoolIDs: []int64{f.schoolA, f.schoolB}})
	if err != nil {
		t.Fatal(err)
	}
	letterOf := map[string]int64{}
	for _, cl := range []int64{f.classA1, f.classA2, f.classB1} {
		sts, err := f.st.Students(ctx, cl)
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]int64, len(sts))
		for i, st := range sts {
			ids[i] = st.ID
		}
		ls, err := f.st.IssueLetters(ctx, camp.ID, ids)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range ls {
			letterOf[sts[i].Name] = l.ID
		}
	}
	at := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, campaign.ChinaTime) }
	for _, a := range []struct {
		name, channel, answers string
		score                  int
		at                     time.Time
	}{
		{"王小明", store.ChannelQR, quizKey(t, letters.PrimaryLower), 3, at(2, 20)}, // all right
		{"陈一", store.ChannelSMS, "", 0, at(2, 7)},
		{"陈二", store.ChannelQR, "", 0, at(4, 9)},
		{"赵敏", store.ChannelPaper, "", 0, at(4, 16)},
	} {
		if _, err := f.st.Acknowledge(ctx, store.Ack{LetterID: letterOf[a.name], Channel: a.channel, At: a.at}); err != nil {
			t.Fatal(err)
		}
		if a.answers != "" {
			if _, err := f.st.SaveQuiz(ctx, letterOf[a.name], a.answers, a.score); err != nil {
				t.Fatal(err)
			}
		}
	}
	// 陈一's quiz: the upper-primary letter's key is read from the library,
	// so answer every question with 'A' and count the expected from it.
	return reachFixture{webFixture: f, campaign: camp.ID}
}

func TestOverviewBreakdowns(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newReachFixture(t, dsn)
			camp := itoa(f.campaign)
			center := newBrowser(t, f.srv.URL)
			center.login("district")

			t.Run("the district sees grades, age groups, the quiz and a bar per day", func(t *testing.T) {
				p := center.get("/overview?campaign=" + camp)
				if p.Status != 200 {
					t.Fatalf("status %d", p.Status)
				}
				for _, want := range []string{"各年级进度", "三年级", "五年级", "七年级", "各年龄段进度与问答", "小学低年级", "初中",
					"第1题 100%", "每日回执数", "共 4 份，单日最多 2 份", "最需要跟进的班级"} {
					if !strings.Contains(p.Body, want) {
						t.Errorf("the page lacks %q", want)
					}
				}
				// Classes furthest behind: 三年级2班 (1 of 3) before 五年级3班 (2 of 3); 初一1班 is complete.
				behind := p.Body[strings.Index(p.Body, `id="behind"`):strings.Index(p.Body, `id="per-day"`)]
				if i, j := strings.Index(behind, "三年级2班"), strings.Index(behind, "五年级3班"); i < 0 || j < i || strings.Contains(behind, "初一1班") {
					t.Errorf("classes furthest behind: %s", behind)
				}
				// 11-02, 11-03 (none), 11-04: three slots, two bars of 2.
				if n := strings.Count(p.Body, "<rect "); n != 3 {
					t.Errorf("%d bars, want 3 days", n)
				}
				if strings.Contains(p.Body, " style=") {
					t.Error("a style attribute: the CSP (style-src 'self') blocks it")
				}
			})
			t.Run("the API gives the same figures", func(t *testing.T) {
				r := center.get("/api/v1/overview?campaign=" + camp)
				var out struct {
					ByGrade []apiGradeRow `json:"by_grade"`
					ByAge   []apiAgeRow   `json:"by_age_group"`
					PerDay  []apiDay      `json:"per_day"`
				}
				if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
					t.Fatalf("%d %s", r.Status, r.Body)
				}
				if len(out.ByGrade) != 3 || out.ByGrade[0].Grade != 3 || out.ByGrade[0].Students != 3 || out.ByGrade[0].Acknowledged != 1 ||
					out.ByGrade[1].Students != 3 || out.ByGrade[1].Acknowledged != 2 || out.ByGrade[1].Rate != 0.666 {
					t.Errorf("by grade %+v", out.ByGrade)
				}
				if len(out.ByAge) != 3 || out.ByAge[0].AgeGroup != "primary-lower" || out.ByAge[0].Quiz.Answered != 1 ||
					out.ByAge[0].Quiz.AverageScore != 3 || len(out.ByAge[0].Quiz.Questions) != 3 || out.ByAge[0].Quiz.Questions[2].Rate != 1 {
					t.Errorf("by age group %+v", out.ByAge)
				}
				want := []apiDay{{"2026-11-02", 2}, {"2026-11-03", 0}, {"2026-11-04", 2}}
				if len(out.PerDay) != 3 || out.PerDay[0] != want[0] || out.PerDay[1] != want[1] || out.PerDay[2] != want[2] {
					t.Errorf("per day %+v", out.PerDay)
				}
			})
			t.Run("the school administrator drills down to a class and sees the non-responding families, phones masked", func(t *testing.T) {
				admin := newBrowser(t, f.srv.URL)
				admin.login("adminA")
				school := admin.get("/overview/schools/" + itoa(f.schoolA) + "?campaign=" + camp)
				link := "/overview/schools/" + itoa(f.schoolA) + "/classes/" + itoa(f.classA1) + "?campaign=" + camp
				if !strings.Contains(school.Body, strings.ReplaceAll(link, "&", "&amp;")) || strings.Contains(school.Body, "七年级") {
					t.Fatalf("school overview %d lacks the class link or shows another school's grade", school.Status)
				}
				p := admin.get(link)
				if p.Status != 200 || !strings.Contains(p.Body, "未回执的家庭") {
					t.Fatalf("class drill-down %d", p.Status)
				}
				for _, want := range []string{"李华", "张伟", "张伟妈妈（母亲） 137****9876", "共 2 户"} {
					if !strings.Contains(p.Body, want) {
						t.Errorf("the drill-down lacks %q", want)
					}
				}
				if strings.Contains(p.Body, "13700009876") || strings.Contains(p.Body, ">王小明<") {
					t.Error("the drill-down shows a full phone number or a family that responded")
				}
				r := admin.get("/api/v1/overview/schools/" + itoa(f.schoolA) + "/classes/" + itoa(f.classA1) + "?campaign=" + camp)
				if r.Status != 200 || !strings.Contains(r.Body, `137****9876"`) || strings.Contains(r.Body, "13700009876") {
					t.Errorf("class API %d %s", r.Status, r.Body)
				}
			})
			t.Run("another school's administrator, a teacher, and a class of another school are refused", func(t *testing.T) {
				adminB := newBrowser(t, f.srv.URL)
				adminB.login("adminB")
				ta := newBrowser(t, f.srv.URL)
				ta.login("ta")
				path := "/overview/schools/" + itoa(f.schoolA) + "/classes/" + itoa(f.classA1)
				for who, b := range map[string]*browser{"adminB": adminB, "ta": ta} {
					for _, p := range []string{path, "/api/v1" + path} {
						if r := b.get(p); r.Status != 403 && r.Status != 404 || strings.Contains(r.Body, "张伟") {
							t.Errorf("%s %s: %d", who, p, r.Status)
						}
					}
				}
				if r := center.get("/overview/schools/" + itoa(f.schoolA) + "/classes/" + itoa(f.classB1)); r.Status != 404 {
					t.Errorf("a class of school B under school A: %d", r.Status)
				}
			})
			t.Run("after the campaign is purged the figures stay and the drill-down lists no family", func(t *testing.T) {
				if _, err := f.st.PurgeCampaign(context.Background(), store.PurgeOptions{CampaignID: f.campaign, Force: true}); err != nil {
					t.Fatal(err)
				}
				p := center.get("/overview?campaign=" + camp)
				if p.Status != 200 || !strings.Contains(p.Body, "<b>57%</b>") || !strings.Contains(p.Body, "三年级") {
					t.Errorf("district overview after the purge %d", p.Status)
				}
				// The quiz average is kept; the answers per question went with the letters.
				if !strings.Contains(p.Body, "3.0 / 3") || strings.Contains(p.Body, "第1题") {
					t.Error("after the purge the quiz shows per-question rates it no longer has, or lost its average")
				}
				p = center.get("/overview/schools/" + itoa(f.schoolA) + "/classes/" + itoa(f.classA1) + "?campaign=" + camp)
				if p.Status != 200 || !strings.Contains(p.Body, "个人信息已按规定清除") || strings.Contains(p.Body, "李华") {
					t.Errorf("class drill-down after the purge %d", p.Status)
				}
			})
			t.Run("a purged campaign offers no letters and refuses to start them", func(t *testing.T) {
				p := center.get("/campaigns/" + camp)
				if p.Status != 200 || strings.Contains(p.Body, `id="start-letters"`) || !strings.Contains(p.Body, "不能再生成家书") {
					t.Errorf("campaign page after the purge %d offers to produce letters, or does not say why not", p.Status)
				}
				r := center.post("/campaigns/"+camp+"/letters", nil)
				if r.Status != 409 || !strings.Contains(r.Body, "不能再生成家书") {
					t.Errorf("starting letters of a purged campaign: %d %q, want 409 with the reason", r.Status, r.Location)
				}
				r = center.post("/schools/"+itoa(f.schoolA)+"/letters", url.Values{"campaign": {camp}})
				if r.Status != 409 || !strings.Contains(r.Body, "不能再生成家书") {
					t.Errorf("starting a school's letters of a purged campaign: %d %q, want 409 with the reason", r.Status, r.Location)
				}
			})
		})
	}
}

// TestOverviewInChromium saves the district overview, a class drill-down
// and a school's overview in English as screenshots (artifacts/overview) to
// look at.
func TestOverviewInChromium(t *testing.T) {
	t.Parallel()
	f := newReachFixture(t, t.TempDir()+"/chrome.db")
	p := browserPage{t: t, ctx: staffChromium(t), base: f.srv.URL, shots: artifacts(t, "overview")}
	p.login("district")
	err := chromedp.Do(p.ctx,
		chromedp.Navigate(p.base+"/overview?campaign="+itoa(f.campaign)), chromedp.WaitVisible(chromedp.CSS("#per-day svg")), p.fullShot("01-district"),
		chromedp.Navigate(p.base+"/overview/schools/"+itoa(f.schoolA)+"/classes/"+itoa(f.classA1)+"?campaign="+itoa(f.campaign)),
		chromedp.WaitVisible(chromedp.CSS("#nonresponders")), p.fullShot("02-class"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.text("#nonresponders tbody"); !strings.Contains(got, "张伟") || !strings.Contains(got, "137****9876") {
		t.Errorf("non-responders as shown: %q", got)
	}
	err = chromedp.Do(p.ctx,
		chromedp.Navigate(p.base+"/overview/schools/"+itoa(f.schoolA)+"?lang=en&campaign="+itoa(f.campaign)),
		chromedp.WaitVisible(chromedp.CSS("#by-age")), p.fullShot("03-school-en"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.text("#by-age"); !strings.Contains(got, "Q1 100%") {
		t.Errorf("the English quiz column: %q", got)
	}
	if got := p.text("#by-grade"); !strings.Contains(got, "Grade 3") || strings.Contains(got, "三年级") {
		t.Errorf("the English grades: %q", got)
	}
}
