package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jiashu/app/campaign"
	"jiashu/letters"
)

// meetingNow is the fixed clock of the class-meeting tests: 25 November,
// so a meeting held on the 20th is in the past.
var meetingNow = time.Date(2026, 11, 25, 10, 0, 0, 0, campaign.ChinaTime)

// meetingServer serves f's store again with the clock at meetingNow.
func meetingServer(t *testing.T, f *webFixture) string {
	t.Helper()
	srv, err := New(f.cfg, f.st, slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	srv.now = func() time.Time { return meetingNow }
	hs := httptest.NewServer(checked(t, srv.Handler()))
	t.Cleanup(hs.Close)
	return hs.URL
}

// pdfWords is the text of a PDF with all white space removed (pdftotext
// spaces Latin words and digits apart from Chinese).
func pdfWords(t *testing.T, data []byte, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", append(args, path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

func TestClassMeetingIsRecordedByWhoMayOpenTheClass(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			base := meetingServer(t, f)
			class := "/classes/" + itoa(f.classA1)
			as := func(user string) *browser {
				b := newBrowser(t, base)
				b.login(user)
				return b
			}
			ta := as("ta")
			const line = "孩子已在11月20日的主题班会上学习了这些骗局，请让孩子讲给您听。"

			t.Run("before the meeting the letters leave the line out", func(t *testing.T) {
				r := ta.post(class+"/letters", nil) // generate the class's letters
				if r.Status != http.StatusOK {
					t.Fatalf("letters: %d %.300s", r.Status, r.Body)
				}
				if got := pdfWords(t, []byte(r.Body)); strings.Contains(got, "主题班会") || !strings.Contains(got, "王小明") {
					t.Errorf("letters before the meeting: %.500s", got)
				}
				if page := ta.get(class); !strings.Contains(page.Body, `id="meeting-pending"`) {
					t.Errorf("class page without a meeting: %.300s", page.Body)
				}
			})
			t.Run("the class's teacher records it and the page says so", func(t *testing.T) {
				r := ta.post(class+"/meeting", url.Values{"date": {"2026-11-20"}})
				if r.Status != http.StatusSeeOther || !strings.Contains(r.Location, "notice=meeting_saved") {
					t.Fatalf("record: %d %s %.300s", r.Status, r.Location, r.Body)
				}
				page := ta.get(strings.TrimPrefix(r.Location, base))
				if !strings.Contains(page.Body, "班会已开展") || !strings.Contains(page.Body, "2026年11月20日") || !strings.Contains(page.Body, "已登记") {
					t.Errorf("class page after recording: %.2000s", page.Body)
				}
			})
			t.Run("the letters printed afterwards say the child learnt it at the meeting", func(t *testing.T) {
				r := ta.get(class + "/letters.pdf")
				got := pdfWords(t, []byte(r.Body))
				if strings.Count(got, line) != 2 { // one letter per student
					t.Errorf("letters after the meeting carry the line %d times, want 2: %.800s", strings.Count(got, line), got)
				}
			})
			t.Run("the parents' page of the letter says it too", func(t *testing.T) {
				sts, _ := f.st.Students(context.Background(), f.classA1)
				camp, err := f.st.DefaultCampaign(context.Background(), f.schoolA)
				if err != nil || len(sts) == 0 {
					t.Fatal(err)
				}
				ls, err := f.st.CampaignLetters(context.Background(), camp.ID, f.classA1)
				if err != nil || len(ls) == 0 {
					t.Fatalf("letters %v %v", ls, err)
				}
				page := newBrowser(t, base).get("/a/" + ls[0].Token)
				if page.Status != 200 || !strings.Contains(page.Body, "孩子已在11月20日的主题班会上学习了这些骗局") {
					t.Errorf("parent page %d without the meeting's line: %.300s", page.Status, page.Body)
				}
			})
			t.Run("the recording is in the audit log with who did it", func(t *testing.T) {
				log, err := f.st.AuditLog(context.Background(), 20)
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, e := range log {
					found = found || (e.Action == "class_meeting" && e.UserID == f.users["ta"].ID && strings.Contains(e.Detail, "2026-11-20"))
				}
				if !found {
					t.Errorf("no audit entry: %+v", log)
				}
			})
			t.Run("a day that is not a past date is refused in Chinese and changes nothing", func(t *testing.T) {
				for _, tc := range []struct{ day, want string }{
					{"2026-11-26", "不能晚于今天"},
					{"2025-11-01", "一年前"},
					{"11/20", "格式不对"},
					{"", "格式不对"},
				} {
					r := ta.post(class+"/meeting", url.Values{"date": {tc.day}})
					if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, tc.want) {
						t.Errorf("%q: %d %.300s", tc.day, r.Status, r.Body)
					}
				}
				api := ta.sendJSON(http.MethodPost, "/api/v1"+class+"/meeting", `{"date":"2030-01-01"}`)
				if api.Status != http.StatusUnprocessableEntity || !strings.Contains(api.Body, `"meeting_day_future"`) {
					t.Errorf("API future day: %d %s", api.Status, api.Body)
				}
				if page := ta.get(class); !strings.Contains(page.Body, "2026年11月20日") {
					t.Error("a refused day changed the recorded one")
				}
			})
			t.Run("only the class's teachers, its school's administrator and the district may record it", func(t *testing.T) {
				for _, tc := range []struct {
					user string
					want int
				}{
					{"tb", http.StatusNotFound}, // a teacher of another class of the same school
					{"tc", http.StatusNotFound},
					{"adminB", http.StatusNotFound},
					{"reviewer", http.StatusForbidden},
					{"adminA", http.StatusSeeOther},
					{"district", http.StatusSeeOther},
				} {
					b := as(tc.user)
					if r := b.post(class+"/meeting", url.Values{"date": {"2026-11-20"}}); r.Status != tc.want {
						t.Errorf("%s records on the page: %d, want %d", tc.user, r.Status, tc.want)
					}
					want := tc.want
					if want == http.StatusSeeOther {
						want = http.StatusOK
					}
					if r := b.sendJSON(http.MethodPost, "/api/v1"+class+"/meeting", `{"date":"2026-11-20"}`); r.Status != want {
						t.Errorf("%s records by the API: %d, want %d", tc.user, r.Status, want)
					}
					if tc.want == http.StatusSeeOther {
						continue
					}
					if r := b.sendJSON(http.MethodDelete, "/api/v1"+class+"/meeting", ""); r.Status != want {
						t.Errorf("%s takes it back by the API: %d, want %d", tc.user, r.Status, want)
					}
					if r := b.post(class+"/meeting/delete", nil); r.Status != want {
						t.Errorf("%s takes it back on the page: %d, want %d", tc.user, r.Status, want)
					}
				}
				if page := ta.get(class); !strings.Contains(page.Body, "2026年11月20日") {
					t.Error("a refused user changed the meeting")
				}
			})
			t.Run("the API records, moves and takes back the meeting", func(t *testing.T) {
				var m struct {
					ClassID    int64  `json:"class_id"`
					CampaignID int64  `json:"campaign_id"`
					HeldOn     string `json:"held_on"`
					AgeGroup   string `json:"age_group"`
					SheetURL   string `json:"sheet_url"`
				}
				r := ta.sendJSON(http.MethodPost, "/api/v1"+class+"/meeting", `{"date":"2026-11-18"}`)
				if err := json.Unmarshal([]byte(r.Body), &m); err != nil || r.Status != http.StatusOK || m.HeldOn != "2026-11-18" ||
					m.ClassID != f.classA1 || m.CampaignID == 0 || m.AgeGroup != letters.PrimaryLower {
					t.Fatalf("record: %d %s", r.Status, r.Body)
				}
				r = ta.sendJSON(http.MethodDelete, "/api/v1"+class+"/meeting", "")
				if err := json.Unmarshal([]byte(r.Body), &m); err != nil || r.Status != http.StatusOK || m.HeldOn != "" {
					t.Fatalf("delete: %d %s", r.Status, r.Body)
				}
				if r := ta.get("/api/v1" + class); !strings.Contains(r.Body, `"held_on":""`) {
					t.Errorf("class API after delete: %.400s", r.Body)
				}
				if r := ta.sendJSON(http.MethodPost, "/api/v1"+class+"/meeting", `{"date":"2026-11-20","campaign_id":999999}`); r.Status != http.StatusNotFound {
					t.Errorf("unknown campaign: %d %s", r.Status, r.Body)
				}
				if r := ta.post(class+"/meeting", url.Values{"date": {"2026年11月20日"}}); r.Status != http.StatusSeeOther {
					t.Errorf("typed in Chinese: %d %.300s", r.Status, r.Body)
				}
			})
			t.Run("the overview shows which classes held it and when, per class, school and district", func(t *testing.T) {
				d := as("district")
				over := d.get("/overview")
				if !strings.Contains(over.Body, "1/2 班") || !strings.Contains(over.Body, "11月20日") || !strings.Contains(over.Body, `id="meetings-total"`) {
					t.Errorf("district overview: %.3000s", over.Body)
				}
				school := as("adminA").get("/overview/schools/" + itoa(f.schoolA))
				if !strings.Contains(school.Body, "11月20日") || !strings.Contains(school.Body, "未开") {
					t.Errorf("school overview: %.3000s", school.Body)
				}
				var api struct {
					Total struct {
						ClassMeetings apiMeetings `json:"class_meetings"`
					} `json:"total"`
					Rows []struct {
						ClassID       int64       `json:"class_id"`
						ClassMeetings apiMeetings `json:"class_meetings"`
					} `json:"rows"`
				}
				r := d.get("/api/v1/overview/schools/" + itoa(f.schoolA))
				if err := json.Unmarshal([]byte(r.Body), &api); err != nil {
					t.Fatalf("%v: %s", err, r.Body)
				}
				if m := api.Total.ClassMeetings; m.Held != 1 || m.Classes != 2 || m.First != "2026-11-20" {
					t.Errorf("school total: %+v", m)
				}
				for _, row := range api.Rows {
					held := row.ClassMeetings.Held == 1 && row.ClassMeetings.Last == "2026-11-20"
					if held != (row.ClassID == f.classA1) {
						t.Errorf("class %d: %+v", row.ClassID, row.ClassMeetings)
					}
				}
				if r := d.get("/api/v1/overview"); !strings.Contains(r.Body, `"class_meetings":{"held":1,"classes":2,"first":"2026-11-20","last":"2026-11-20"}`) {
					t.Errorf("district API: %.1500s", r.Body)
				}
			})
		})
	}
}
