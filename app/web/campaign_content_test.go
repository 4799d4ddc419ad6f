package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
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

// TestTheCenterMovesACampaignToANewerVersionOnTheWeb: the campaign page
// offers "改用第 N 版" for a newer approved version; its page says what
// changes (which age groups, that printed letters keep theirs) and the
// confirmation moves the campaign, audited; letters printed before keep
// version 1, those printed after follow the new one.
func TestTheCenterMovesACampaignToANewerVersionOnTheWeb(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			f := newWebFixture(t, dsn)
			first, _ := seedLetters(t, f)
			if _, err := f.st.DB().Exec(f.st.Rebind(`UPDATE campaigns SET content_version_id = 1 WHERE id = ?`), first); err != nil {
				t.Fatal(err)
			}
			b := newBrowser(t, f.srv.URL)
			b.login("district")
			page := fmt.Sprintf("/campaigns/%d", first)
			if body := b.get(page).Body; strings.Contains(body, "改用第") {
				t.Fatal("a move is offered with no newer version")
			}
			v2 := approveEdition(t, f.st, secondEdition)
			body := b.get(page).Body
			move := fmt.Sprintf("/campaigns/%d/content?version=%d", first, v2)
			if !strings.Contains(body, `href="`+strings.ReplaceAll(move, "&", "&amp;")+`"`) || !strings.Contains(body, fmt.Sprintf("改用第 %d 版", v2)) {
				t.Fatalf("the campaign page does not offer the newer version: %.3000s", body)
			}
			ask := b.get(move)
			for _, want := range []string{"从现在起打印的家书", "已经打印的 3 封家书保持原来的内容（第 1 版）", "小学低年级", "高中", fmt.Sprintf(`name="version" value="%d"`, v2)} {
				if !strings.Contains(ask.Body, want) {
					t.Errorf("the move's page lacks %q", want)
				}
			}
			if r := b.get(fmt.Sprintf("/campaigns/%d/content?version=1", first)); r.Status != 404 {
				t.Errorf("moving to the version it has: %d", r.Status)
			}
			for _, r := range []response{b.get(fmt.Sprintf("/campaigns/%d/content", first)), b.post(fmt.Sprintf("/campaigns/%d/content", first), nil)} {
				if r.Status != http.StatusSeeOther || r.Location != fmt.Sprintf("/campaigns/%d#content-versions", first) {
					t.Errorf("no version named: %d %q, want the campaign's versions", r.Status, r.Location)
				}
			}
			r := b.post(fmt.Sprintf("/campaigns/%d/content", first), url.Values{"version": {itoa(v2)}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("move: %d %.300s", r.Status, r.Body)
			}
			after := b.get(r.Location).Body
			if !strings.Contains(after, fmt.Sprintf("已改用第 %d 版", v2)) || !strings.Contains(after, "3 封家书使用第 1 版") || strings.Contains(after, "改用第") && strings.Contains(after, "改用第 2 版…") {
				t.Errorf("the page after the move: %.3000s", after)
			}
			var detail string
			if err := f.st.DB().QueryRowContext(ctx, `SELECT detail FROM audit_log WHERE action = 'campaign_content_moved'`).Scan(&detail); err != nil || !strings.Contains(detail, fmt.Sprintf("1 → %d", v2)) {
				t.Errorf("audit: %q %v", detail, err)
			}
			var kept int64
			if err := f.st.DB().QueryRowContext(ctx, f.st.Rebind(`SELECT COUNT(*) FROM letters WHERE campaign_id = ? AND content_version_id = 1`), first).Scan(&kept); err != nil || kept != 3 {
				t.Errorf("letters printed before keep version 1: %d %v", kept, err)
			}
			if _, err := f.st.SetCampaignState(ctx, first, "closed"); err != nil {
				t.Fatal(err)
			}
			if r := b.post(fmt.Sprintf("/campaigns/%d/content", first), url.Values{"version": {itoa(v2)}}); r.Status != http.StatusConflict {
				t.Errorf("a closed campaign moved: %d", r.Status)
			}
		})
	}
}

// TestTheReviewerSeesWhatFamiliesWillSee: the version page and the
// comparison show the previews of every age group the change touches (here
// all four), with the lint's findings, above 通过 / 退回; the preview PDF is
// the real letter with the new sentence.
func TestTheReviewerSeesWhatFamiliesWillSee(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, t.TempDir()+"/review.db")
	ctx := context.Background()
	author := f.users["district"]
	latest, err := f.st.LatestApprovedContent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	files, err := f.st.ContentFiles(ctx, latest.ID)
	if err != nil {
		t.Fatal(err)
	}
	p := "templates/junior.txt"
	files[p] = strings.Replace(files[p], "【正文】\n", "【正文】\n"+secondEdition+"\n\n", 1)
	d, err := f.st.CreateContentDraft(ctx, author.ID, latest.ID, "初中加一句", files)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.SubmitContent(ctx, d.ID, author.ID); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, f.srv.URL)
	b.login("reviewer")
	for _, path := range []string{fmt.Sprintf("/content/versions/%d", d.ID), fmt.Sprintf("/content/versions/%d/diff", d.ID)} {
		body := b.get(path).Body
		pdf := fmt.Sprintf("/content/versions/%d/preview.pdf?age=junior", d.ID)
		if !strings.Contains(body, "与第 1 版相比，这次修改涉及：<b>初中</b>") || !strings.Contains(body, `src="`+pdf+`"`) ||
			!strings.Contains(body, fmt.Sprintf(`src="/content/versions/%d/preview.html?age=junior"`, d.ID)) || strings.Contains(body, "age=senior") {
			t.Errorf("%s: the previews of the touched age group are missing: %.3000s", path, body)
		}
		if !strings.Contains(body, `id="lint"`) {
			t.Errorf("%s: no lint findings", path)
		}
		if strings.Contains(path, "diff") {
			continue
		}
		if i, j := strings.Index(body, `id="previews"`), strings.Index(body, `id="approve"`); i < 0 || j < 0 || i > j {
			t.Errorf("the previews do not come before 通过")
		}
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		r := b.get(fmt.Sprintf("/content/versions/%d/preview.pdf?age=junior", d.ID))
		if got := pdfText(t, []byte(r.Body)); !strings.Contains(got, secondEdition) {
			t.Errorf("the preview PDF lacks the new sentence: %.300s", got)
		}
	}
	page := b.get(fmt.Sprintf("/content/versions/%d", d.ID)).Body
	if strings.Contains(page, "· district ·") || !strings.Contains(page, "district老师") {
		t.Errorf("the history names the username, not the person")
	}
}

// TestANewCampaignsTermFollowsItsName: a campaign named 冬季 saved without
// a term is not filed under the autumn term.
func TestANewCampaignsTermFollowsItsName(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, t.TempDir()+"/term.db")
	b := newBrowser(t, f.srv.URL)
	b.login("district")
	if form := b.get("/campaigns").Body; strings.Contains(form, `name="term" type="text" maxlength="40" value="20`) {
		t.Error("the form fills in a term the name may contradict")
	}
	r := b.post("/campaigns", url.Values{"name": {"冬季反诈提醒"}, "term": {""}, "school": {fmt.Sprint(f.schoolA)}, "state": {"running"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("%d %.300s", r.Status, r.Body)
	}
	cp, err := f.st.CampaignByName(context.Background(), "冬季反诈提醒")
	if err != nil || !strings.Contains(cp.Term, "冬季") || strings.Contains(cp.Term, "秋季") {
		t.Errorf("term %q %v", cp.Term, err)
	}
}
