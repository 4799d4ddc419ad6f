package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"jiashu/store"
)

// TestSecondCampaignLeavesTheFirstAsItWas: the center drafts and starts a
// second campaign for a school; the first campaign's class page, paper
// slips and reminder list read exactly as before when asked for, the pages
// name the campaign they show and offer the other, and a slip recorded by
// its code lands in the campaign it was printed for.
func TestSecondCampaignLeavesTheFirstAsItWas(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			first, tokens := seedLetters(t, f)
			ta := newBrowser(t, f.srv.URL)
			ta.login("ta")
			class := fmt.Sprintf("/classes/%d", f.classA1)
			q1 := fmt.Sprintf("?campaign=%d", first)

			// A paper slip typed by its code (as printed: grouped, lower case).
			tok := tokens[f.studentA1]
			typed := strings.ToLower(tok[:4] + "-" + tok[4:8] + "-" + tok[8:])
			r := ta.post(class+"/slips/code", url.Values{"code": {typed}})
			if r.Status != 303 || !strings.Contains(r.Location, "code=ok") {
				t.Fatalf("slip code: %d %s", r.Status, r.Location)
			}
			before := map[string]string{}
			for _, p := range []string{class + q1, class + "/slips" + q1, class + "/reminders.csv" + q1} {
				if r := ta.get(p); r.Status != 200 {
					t.Fatalf("%s: %d", p, r.Status)
				} else {
					before[p] = stripVolatile(r.Body)
				}
			}
			if !strings.Contains(ta.get(class+q1).Body, "<b>2026秋季防诈</b>") {
				t.Fatal("the class page does not name its campaign")
			}

			district := newBrowser(t, f.srv.URL)
			district.login("district")
			r = district.post("/campaigns", url.Values{"name": {"寒假前提醒"}, "school": {itoa(f.schoolA)}, "state": {"draft"}})
			if r.Status != 303 {
				t.Fatalf("create draft: %d %s", r.Status, r.Body)
			}
			second := idAfter(t, r.Location, "/campaigns/")

			t.Run("a draft changes nothing on the school's pages", func(t *testing.T) {
				body := ta.get(class).Body
				if !strings.Contains(body, "2026秋季防诈") || strings.Contains(body, "寒假前提醒") {
					t.Fatal("the draft shows on the class page")
				}
			})

			if r := district.post(fmt.Sprintf("/campaigns/%d/state", second), url.Values{"state": {"running"}}); r.Status != 303 {
				t.Fatalf("start: %d", r.Status)
			}

			t.Run("the first campaign's pages read as before", func(t *testing.T) {
				for p, want := range before {
					if got := stripVolatile(ta.get(p).Body); got != want {
						t.Errorf("%s changed after the second campaign started", p)
					}
				}
			})
			t.Run("the campaign the teacher looked at stays her default, the new one a tab and a notice", func(t *testing.T) {
				body := ta.get(class).Body
				if !strings.Contains(body, "<b>2026秋季防诈</b>") {
					t.Fatalf("the class page switched by itself:\n%s", body)
				}
				if !strings.Contains(body, fmt.Sprintf(`href="%s?campaign=%d"`, class, second)) || !strings.Contains(body, "新的宣传活动已开始：寒假前提醒。") {
					t.Errorf("no tab and no notice of the new campaign")
				}
			})
			t.Run("on another device too: the server remembers", func(t *testing.T) {
				fresh := newBrowser(t, f.srv.URL)
				fresh.login("ta")
				if body := fresh.get(class).Body; !strings.Contains(body, "<b>2026秋季防诈</b>") {
					t.Fatal("a second sign-in lands on the new campaign")
				}
			})
			t.Run("someone who never looked lands on the campaign whose letters the class holds", func(t *testing.T) {
				admin := newBrowser(t, f.srv.URL)
				admin.login("adminA")
				body := admin.get(class).Body
				if !strings.Contains(body, "<b>2026秋季防诈</b>") {
					t.Fatal("the class page of a class holding the first campaign's letters shows the new one")
				}
				if !strings.Contains(body, fmt.Sprintf(`href="/classes/%d/slips?campaign=%d"`, f.classA1, first)) {
					t.Error("links do not carry the campaign shown")
				}
				tb := newBrowser(t, f.srv.URL)
				tb.login("tb")
				if empty := tb.get(fmt.Sprintf("/classes/%d", f.classA2)).Body; !strings.Contains(empty, "<b>寒假前提醒</b>") {
					t.Error("a class holding no letters does not start with the newest running campaign")
				}
			})
			t.Run("the notice is dismissed once", func(t *testing.T) {
				r := ta.post(fmt.Sprintf("/campaign-notices/%d/dismiss", second), url.Values{"back": {class}})
				if r.Status != 303 || r.Location != class {
					t.Fatalf("dismiss: %d %s", r.Status, r.Location)
				}
				if strings.Contains(ta.get(class).Body, "新的宣传活动已开始") {
					t.Error("the notice is still shown")
				}
				if r := ta.post("/campaign-notices/99999/dismiss", url.Values{"back": {"//evil.example"}}); r.Status != 404 {
					t.Errorf("an unknown campaign: %d", r.Status)
				}
			})
			t.Run("the API answers for the class's letters, and asks which when it holds several", func(t *testing.T) {
				api := fmt.Sprintf("/api/v1/classes/%d", f.classA1)
				if r := ta.get(api); r.Status != 200 || !strings.Contains(r.Body, `"campaign":"2026秋季防诈"`) {
					t.Fatalf("API default: %d %.300s", r.Status, r.Body)
				}
				if r := ta.post(fmt.Sprintf("/students/%d/letter", f.studentA1), url.Values{"campaign": {itoa(second)}}); r.Status != 200 {
					t.Fatalf("a letter of the second campaign: %d", r.Status)
				}
				r := ta.get(api)
				if r.Status != http.StatusConflict || !strings.Contains(r.Body, `"code":"campaign_required"`) ||
					!strings.Contains(r.Body, fmt.Sprintf(`{"id":%d,"name":"寒假前提醒"}`, second)) || !strings.Contains(r.Body, fmt.Sprintf(`{"id":%d,"name":"2026秋季防诈"}`, first)) {
					t.Fatalf("API with letters of two campaigns: %d %s", r.Status, r.Body)
				}
				if r := ta.get(api + q1); r.Status != 200 {
					t.Errorf("API naming the campaign: %d", r.Status)
				}
				if body := ta.get(class).Body; !strings.Contains(body, "<b>寒假前提醒</b>") {
					t.Error("the page does not follow the campaign the teacher last worked in")
				}
			})
			t.Run("a slip code of the first campaign lands in the first campaign", func(t *testing.T) {
				other := tokens[f.studentA1+1]
				r := ta.post(class+"/slips/code", url.Values{"code": {other}, "campaign": {itoa(second)}})
				if r.Status != 303 || !strings.Contains(r.Location, q1[1:]) {
					t.Fatalf("slip code: %d %s", r.Status, r.Location)
				}
				if row := slipOf(t, f, first, f.classA1, f.studentA1+1); !row.Paper() {
					t.Fatalf("not recorded in the first campaign: %+v", row)
				}
				page := ta.get(r.Location).Body
				if !strings.Contains(page, "已登记 李华 的纸质回执，记入“2026秋季防诈”。") {
					t.Errorf("no notice naming the student and campaign")
				}
			})
			t.Run("a code of another class is refused without saying whose", func(t *testing.T) {
				r := ta.post(class+"/slips/code", url.Values{"code": {tokens[f.studentB1]}})
				if !strings.Contains(r.Location, "code=other") {
					t.Fatalf("%s", r.Location)
				}
				if row := slipOf(t, f, first, f.classB1, f.studentB1); row.Paper() {
					t.Fatal("recorded a slip of another class")
				}
			})
			t.Run("a campaign the school is not in is a 404", func(t *testing.T) {
				other, err := f.st.CreateCampaign(t.Context(), store.Campaign{Name: "别校活动", SchoolIDs: []int64{f.schoolB}})
				if err != nil {
					t.Fatal(err)
				}
				if r := ta.get(fmt.Sprintf("%s?campaign=%d", class, other.ID)); r.Status != 404 {
					t.Fatalf("status %d", r.Status)
				}
				if r := ta.get(fmt.Sprintf("/api/v1%s?campaign=%d", class, first)); r.Status != 200 || !strings.Contains(r.Body, `"campaign":"2026秋季防诈"`) {
					t.Fatalf("API with ?campaign=: %d %s", r.Status, r.Body)
				}
			})
			t.Run("a closed campaign is offered among the earlier ones", func(t *testing.T) {
				if r := district.post(fmt.Sprintf("/campaigns/%d/state", second), url.Values{"state": {"closed"}}); r.Status != 303 {
					t.Fatalf("close: %d", r.Status)
				}
				body := ta.get(class).Body
				if !strings.Contains(body, "<b>2026秋季防诈</b>") || !strings.Contains(body, "寒假前提醒 · 已结束") {
					t.Fatal("after closing: default or chooser wrong")
				}
			})
			t.Run("a closed campaign sends no more reminders and makes no more letters", func(t *testing.T) {
				for _, path := range []string{
					fmt.Sprintf("/api/v1/campaigns/%d/reminders/send", second),
					fmt.Sprintf("/api/v1/campaigns/%d/letters", second),
				} {
					r := district.sendJSON(http.MethodPost, path, "{}")
					if r.Status != http.StatusConflict || !strings.Contains(r.Body, "campaign_closed") {
						t.Errorf("%s: %d %.300s", path, r.Status, r.Body)
					}
				}
			})
		})
	}
}

// stripVolatile removes what differs between two loads of the same page
// when a campaign starts: the campaign chooser, which lists every campaign
// of the school, and the notice of the new one.
func stripVolatile(body string) string {
	body = regexp.MustCompile(`(?s)<div class="campaign-pick" id="campaign-pick">.*?</div>`).ReplaceAllString(body, "")
	return regexp.MustCompile(`(?s)<div class="alert alert-info campaign-notice".*?</div>`).ReplaceAllString(body, "")
}

// idAfter reads the id that follows prefix in a redirect's location.
func idAfter(t *testing.T, location, prefix string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(location, prefix), "%d", &id); err != nil || !strings.HasPrefix(location, prefix) {
		t.Fatalf("location %q", location)
	}
	return id
}
