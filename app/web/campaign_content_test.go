package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestCampaignFormOffersContentVersions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newWebFixture(t, t.TempDir()+"/versions.db")
	v2 := approveEdition(t, f.st, secondEdition)
	b := newBrowser(t, f.srv.URL)
	b.login("district")

	page := b.get("/campaigns")
	want := fmt.Sprintf(`<option value="%d" selected>`, v2)
	if page.Status != 200 || !strings.Contains(page.Body, `name="content_version"`) || !strings.Contains(page.Body, want) ||
		!strings.Contains(page.Body, `<option value="1">`) {
		t.Fatalf("the form does not offer the versions, newest chosen: %d %.3000s", page.Status, page.Body)
	}
	r := b.post("/campaigns", url.Values{"name": {"选旧版的活动"}, "school": {fmt.Sprint(f.schoolA)}, "state": {"running"}, "content_version": {"1"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("%d %.500s", r.Status, r.Body)
	}
	cp, err := f.st.CampaignByName(ctx, "选旧版的活动")
	if err != nil || cp.ContentVersionID != 1 {
		t.Fatalf("pinned %d, %v", cp.ContentVersionID, err)
	}
	if _, err := f.st.DB().Exec(f.st.Rebind(`INSERT INTO letters (campaign_id, student_id, token, status, produced_at) VALUES (?, ?, 'VERS22223333', 'delivered', CURRENT_TIMESTAMP)`), cp.ID, f.studentA1); err != nil {
		t.Fatal(err)
	}
	if err := f.st.MoveCampaignContent(ctx, cp.ID, v2, f.users["district"].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.DB().Exec(f.st.Rebind(`INSERT INTO letters (campaign_id, student_id, token, status, produced_at) VALUES (?, ?, 'VERS22224444', 'delivered', CURRENT_TIMESTAMP)`), cp.ID, f.studentB1); err != nil {
		t.Fatal(err)
	}
	page = b.get(fmt.Sprintf("/campaigns/%d", cp.ID))
	if !strings.Contains(page.Body, "1 封家书使用第 1 版") || !strings.Contains(page.Body, fmt.Sprintf("1 封家书使用第 %d 版", v2)) {
		t.Fatalf("the campaign page does not say which letters follow which version: %.4000s", page.Body)
	}
	if bad := b.post("/campaigns", url.Values{"name": {"未审核版本"}, "school": {fmt.Sprint(f.schoolA)}, "state": {"running"}, "content_version": {"999"}}); bad.Status == http.StatusSeeOther {
		t.Fatalf("an unknown version was accepted")
	}
}
