package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSchoolDetails(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	ctx := context.Background()
	admin := newBrowser(t, f.srv.URL)
	admin.login("adminA")
	page := "/schools/" + itoa(f.schoolA) + "/details"
	t.Run("a bad phone is refused in Chinese and nothing is saved", func(t *testing.T) {
		r := admin.post(page, url.Values{"phone": {"12345"}, "police_station": {"城东派出所"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "不是有效的电话号码") {
			t.Errorf("%d %.300s", r.Status, r.Body)
		}
		if d, _ := f.st.SchoolDetails(ctx, f.schoolA); d.PoliceStation != "" {
			t.Error("saved anyway")
		}
	})
	t.Run("another school's administrator and a teacher cannot see or change them", func(t *testing.T) {
		other := newBrowser(t, f.srv.URL)
		other.login("adminB")
		if r := other.post(page, url.Values{"phone": {"023-12345678"}}); r.Status != http.StatusNotFound {
			t.Errorf("adminB: %d", r.Status)
		}
		teacher := newBrowser(t, f.srv.URL)
		teacher.login("ta")
		if r := teacher.get(page); r.Status != http.StatusForbidden {
			t.Errorf("teacher: %d", r.Status)
		}
	})
	version := approveEdition(t, f.st, "遇到诈骗，请联系{派出所}（电话{派出所电话}）。")
	letters := "/classes/" + itoa(f.classA1) + "/letters" // the POST that generates them
	teacher := newBrowser(t, f.srv.URL)
	teacher.login("ta")
	t.Run("a letter using a detail the school has not filled in says so before anything is printed", func(t *testing.T) {
		if _, err := f.st.CreateCampaign(ctx, storeCampaign("新学期", f.schoolA)); err != nil {
			t.Fatal(err)
		}
		r := teacher.post(letters, nil)
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, "{派出所}") || !strings.Contains(r.Body, "学校信息") {
			t.Errorf("%d %.300s (version %d)", r.Status, r.Body, version)
		}
	})
	t.Run("saved details are audited and printed on the letters", func(t *testing.T) {
		r := admin.post(page, url.Values{"phone": {"０２３-12345678"}, "fee_rule": {"本校收费只通过学校缴费平台并提前书面通知"},
			"police_station": {"城东派出所"}, "police_phone": {"023-87654321"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("%d %.300s", r.Status, r.Body)
		}
		d, _ := f.st.SchoolDetails(ctx, f.schoolA)
		if d.Phone != "023-12345678" || d.PoliceStation != "城东派出所" {
			t.Errorf("saved %+v", d)
		}
		log, _ := f.st.AuditLog(ctx, 1)
		if len(log) == 0 || log[0].Action != "school_details_saved" {
			t.Errorf("audit %+v", log)
		}
		pdf := teacher.post(letters, nil)
		if pdf.Status != 200 {
			t.Fatalf("%d %.300s", pdf.Status, pdf.Body)
		}
		if text := pdfText(t, []byte(pdf.Body)); !strings.Contains(text, "城东派出所") || !strings.Contains(text, "023-87654321") {
			t.Errorf("the letter lacks the police station: %.400s", text)
		}
	})
}
