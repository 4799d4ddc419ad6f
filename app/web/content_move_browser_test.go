package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jiashu/app/internal/browsertest"
)

// TestTheReviewerSeesThePreviewsAndTheCenterMovesACampaignInChromium
// (issue 22): the reviewer's page of a version waiting for review shows,
// above 通过 / 退回, the PDF and the parents' page of the age group the
// change touches, the parents' page carrying the new sentence; then the
// center, on the campaign's page, follows 改用第 N 版, reads what changes
// and confirms, and the page says the campaign uses the new version while
// the letters printed keep theirs. At 1280×900 and 390×844, axe with WCAG
// 2.2 AA, on both databases.
func TestTheReviewerSeesThePreviewsAndTheCenterMovesACampaignInChromium(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			ctx := browsertest.WithAxe(t, newChromium(t, 4*time.Minute, chromedp.WindowSize(1280, 900)))
			f := newWebFixture(t, dsn)
			first, _ := seedLetters(t, f)
			if _, err := f.st.DB().Exec(f.st.Rebind(`UPDATE campaigns SET content_version_id = 1 WHERE id = ?`), first); err != nil {
				t.Fatal(err)
			}
			draft := submittedDraft(t, f)
			p := browserPage{t: t, ctx: ctx, base: f.srv.URL, shots: artifacts(t, "content-move-"+name)}

			p.login("reviewer")
			got := lookAt(t, p, fmt.Sprintf("/content/versions/%d", draft), "01-review-with-previews")
			if !strings.Contains(got, "这次修改涉及：初中") {
				t.Errorf("the review page does not say which age group the change touches: %.600q", got)
			}
			order, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const pv = document.querySelector('#previews'),
				ok = document.querySelector('#approve'); return !!pv && !!ok &&
				!!(pv.compareDocumentPosition(ok) & Node.DOCUMENT_POSITION_FOLLOWING) })()`))
			if err != nil || !order {
				t.Errorf("the previews do not stand before 通过 (%v)", err)
			}
			frame, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('iframe.phone-frame').contentDocument.body.innerText`))
			if err != nil || !strings.Contains(frame, secondEdition) {
				t.Errorf("the parents' page preview lacks the new sentence: %v %.300q", err, frame)
			}
			if pdfs, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('iframe.pdf-frame[src*="preview.pdf?age=junior"]').length`)); pdfs != 1 {
				t.Errorf("the PDF preview of the junior letter: %d frames", pdfs)
			}
			signOut(t, p)

			v2 := approveEdition(t, f.st, secondEdition)
			p.login("district")
			campaignPage := fmt.Sprintf("/campaigns/%d", first)
			if got := lookAt(t, p, campaignPage, "02-campaign-offers"); !strings.Contains(got, fmt.Sprintf("改用第 %d 版", v2)) {
				t.Fatalf("the campaign page does not offer version %d: %.600q", v2, got)
			}
			move := fmt.Sprintf("/campaigns/%d/content?version=%d", first, v2)
			got = lookAt(t, p, move, "03-move-asks")
			for _, want := range []string{"从现在起打印的家书", "已经打印的 3 封家书保持原来的内容（第 1 版）"} {
				if !strings.Contains(got, want) {
					t.Errorf("the move's page lacks %q", want)
				}
			}
			click(t, p, "#confirm-move")
			got = lookAt(t, p, campaignPage, "04-campaign-moved")
			if !strings.Contains(got, "3 封家书使用第 1 版") {
				t.Errorf("the campaign page after the move: %.800q", got)
			}
			cp, err := f.st.Campaign(context.Background(), first)
			if err != nil || cp.ContentVersionID != v2 {
				t.Errorf("the campaign follows version %d, want %d (%v)", cp.ContentVersionID, v2, err)
			}
		})
	}
}

// submittedDraft is a draft of the district adding secondEdition to the
// junior letter, submitted for review.
func submittedDraft(t *testing.T, f *webFixture) int64 {
	t.Helper()
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
	return d.ID
}
