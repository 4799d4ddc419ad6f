package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"jiashu/store"
)

func TestMarkDeliveredPage(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	ta := newBrowser(t, f.srv.URL)
	ta.login("ta")
	if r := ta.post("/classes/"+itoa(f.classA1)+"/letters", nil); r.Status != http.StatusOK {
		t.Fatalf("letters: %d", r.Status)
	}
	page := ta.get("/classes/" + itoa(f.classA1))
	if !strings.Contains(page.Body, "标记为已发给学生") {
		t.Fatal("the class page offers no way to record that the letters were handed out")
	}
	statuses := func() map[string]int {
		ls, err := f.st.CampaignLetters(context.Background(), mustCampaign(t, f), f.classA1)
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, l := range ls {
			n[l.Status]++
		}
		return n
	}

	t.Run("another class's teacher cannot mark them", func(t *testing.T) {
		tb := newBrowser(t, f.srv.URL)
		tb.login("tb")
		if r := tb.post("/classes/"+itoa(f.classA1)+"/delivered", nil); r.Status != http.StatusNotFound {
			t.Fatalf("status %d", r.Status)
		}
		if n := statuses(); n[store.StatusDelivered] != 0 {
			t.Fatalf("letters changed: %v", n)
		}
	})
	t.Run("the class's teacher marks the letters handed out", func(t *testing.T) {
		r := ta.post("/classes/"+itoa(f.classA1)+"/delivered", nil)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("status %d", r.Status)
		}
		n := statuses()
		if n[store.StatusDelivered] == 0 || n[store.StatusProduced] != 0 {
			t.Fatalf("statuses: %v", n)
		}
		page := ta.get(r.Location)
		if !strings.Contains(page.Body, "已发给学生") || strings.Contains(page.Body, "标记为已发给学生") {
			t.Fatal("the class page does not show the letters as handed out")
		}
	})
}
