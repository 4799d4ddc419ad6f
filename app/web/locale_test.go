package web

import (
	"strings"
	"testing"
)

// TestEnglishPagesUseEnglishPunctuation: labels on the staff pages in English
// read "Campaign: …" and "School administrators: a, b", not with the Chinese
// full-width colon and enumeration comma.
func TestEnglishPagesUseEnglishPunctuation(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	admin := newBrowser(t, f.srv.URL)
	admin.login("adminA")
	if r := admin.post("/classes/"+itoa(f.classA1)+"/letters", nil); r.Status != 200 {
		t.Fatalf("letters: %d", r.Status) // the class now has a campaign
	}
	for _, c := range []struct{ path, want string }{
		{"/classes/" + itoa(f.classA1) + "?lang=en", "Campaign: "},
		{"/schools/" + itoa(f.schoolA) + "?lang=en", "Campaign: "},
		{"/schools/" + itoa(f.schoolA) + "?lang=en", "School administrators: adminA老师"},
	} {
		t.Run(c.path+" shows "+c.want, func(t *testing.T) {
			r := admin.get(c.path)
			if r.Status != 200 || !strings.Contains(r.Body, c.want) || strings.Contains(r.Body, "：") {
				t.Errorf("status %d, %q missing or a full-width colon left", r.Status, c.want)
			}
		})
	}
	t.Run("the campaign page names the age groups in English", func(t *testing.T) {
		district := newBrowser(t, f.srv.URL)
		district.login("district")
		r := district.get("/campaigns/" + itoa(mustCampaign(t, f)) + "?lang=en")
		if r.Status != 200 || !strings.Contains(r.Body, "junior secondary") || strings.Contains(r.Body, "初中") {
			t.Errorf("status %d: age groups not in English", r.Status)
		}
	})
}
