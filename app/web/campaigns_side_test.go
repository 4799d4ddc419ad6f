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
			t.Run("the campaign the teacher looked at stays her default", func(t *testing.T) {
				body := ta.get(class).Body
				if !strings.Contains(body, "<b>2026秋季防诈</b>") || !strings.Contains(body, fmt.Sprintf(`<option value="%d">寒假前提醒`, second)) {
					t.Fatalf("the class page switched by itself, or does not offer the new campaign:\n%s", body)
				}
			})
			t.Run("without a choice the page names the newest running campaign and offers the first", func(t *testing.T) {
				fresh := newBrowser(t, f.srv.URL)
				fresh.login("ta")
				body := fresh.get(class).Body
				if !strings.Contains(body, "<b>寒假前提醒</b>") || !strings.Contains(body, fmt.Sprintf(`<option value="%d">2026秋季防诈`, first)) {
					t.Fatalf("campaign chooser missing:\n%s", body)
				}
				if !strings.Contains(body, fmt.Sprintf(`href="/classes/%d/slips?campaign=%d"`, f.classA1, second)) {
					t.Error("links do not carry the campaign shown")
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
				if !strings.Contains(page, "已登记 李华 的纸质回执（2026秋季防诈）") {
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
			t.Run("closing the new campaign brings the running one back as default", func(t *testing.T) {
				if r := district.post(fmt.Sprintf("/campaigns/%d/state", second), url.Values{"state": {"closed"}}); r.Status != 303 {
					t.Fatalf("close: %d", r.Status)
				}
				fresh := newBrowser(t, f.srv.URL)
				fresh.login("ta")
				body := fresh.get(class).Body
				if !strings.Contains(body, "<b>2026秋季防诈</b>") || !strings.Contains(body, "寒假前提醒（已结束）") {
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
// (the campaign chooser, which lists every campaign of the school).
func stripVolatile(body string) string {
	return regexp.MustCompile(`(?s)<form method="get" class="campaign-pick".*?</form>`).ReplaceAllString(body, "")
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
