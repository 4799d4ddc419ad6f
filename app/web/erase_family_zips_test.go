package web

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"jiashu/store"
)

// TestErasureLeavesNoLetterInStoredZIPs: a school's and a campaign's
// letters ZIPs hold 王小明's letter; the erase page's dry run lists both
// jobs; after the erasure neither serves its file, and the ZIPs made again
// hold, as pdftotext reads them, neither his name nor his letter code.
func TestErasureLeavesNoLetterInStoredZIPs(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			ctx := context.Background()
			runner := testRunner(t, f, "eraser")
			admin, center := newBrowser(t, f.srv.URL), newBrowser(t, f.srv.URL)
			admin.login("adminA")
			center.login("district")
			school := "/schools/" + itoa(f.schoolA)
			start := func(b *browser, path string) string {
				t.Helper()
				r := b.post(path, url.Values{})
				if r.Status != http.StatusSeeOther || !jobPath.MatchString(r.Location) {
					t.Fatalf("start %s: %d %q %.300s", path, r.Status, r.Location, r.Body)
				}
				runJobs(t, runner)
				return r.Location
			}
			lettersText := func(b *browser, job string) string {
				t.Helper()
				r := b.get(job + "/download")
				if r.Status != http.StatusOK {
					t.Fatalf("download %s: %d %.300s", job, r.Status, r.Body)
				}
				return zipPDFText(t, []byte(r.Body))
			}
			schoolJob := start(admin, school+"/letters")
			var campaignID int64
			if err := f.st.DB().QueryRowContext(ctx, `SELECT campaign_id FROM jobs ORDER BY id LIMIT 1`).Scan(&campaignID); err != nil {
				t.Fatal(err)
			}
			campaignJob := start(center, "/campaigns/"+itoa(campaignID)+"/letters")
			var code string
			if err := f.st.DB().QueryRowContext(ctx, f.st.Rebind(`SELECT token FROM letters WHERE student_id = ?`), f.studentA1).Scan(&code); err != nil {
				t.Fatal(err)
			}
			typed := store.FormatToken(code) // as the slip prints it
			for _, job := range []string{schoolJob, campaignJob} {
				if text := lettersText(center, job); !strings.Contains(text, "王小明") || !strings.Contains(text, typed) {
					t.Fatalf("%s before the erasure lacks 王小明 or his code %s: the test would prove nothing", job, code)
				}
			}
			t.Run("the dry run lists the jobs whose files hold the family", func(t *testing.T) {
				p := admin.get(school + "/erase?number=A0001")
				for _, job := range []string{schoolJob, campaignJob} {
					if !strings.Contains(p.Body, `href="`+job+`"`) {
						t.Errorf("preview does not list %s: %.3000s", job, p.Body)
					}
				}
			})
			r := admin.post(school+"/erase", url.Values{"student": {itoa(f.studentA1)}, "confirm": {"1"}})
			if r.Status != http.StatusOK || !strings.Contains(r.Body, "已一并删除 2 个含有这个家庭的家书文件；") {
				t.Fatalf("erase: %d %.2000s", r.Status, r.Body)
			}
			t.Run("the stored files are gone", func(t *testing.T) {
				for _, job := range []string{schoolJob, campaignJob} {
					if d := center.get(job + "/download"); d.Status != http.StatusGone {
						t.Errorf("download %s after the erasure: %d, want 410", job, d.Status)
					}
				}
			})
			t.Run("files made again leave the family out", func(t *testing.T) {
				for _, job := range []string{start(admin, school+"/letters"), start(center, "/campaigns/"+itoa(campaignID)+"/letters")} {
					text := lettersText(center, job)
					if strings.Contains(text, "王小明") || strings.Contains(text, code) || strings.Contains(text, typed) || strings.Contains(text, "已删除") {
						t.Errorf("%s after the erasure still has the family (name, code %s or an erased letter)", job, code)
					}
					if !strings.Contains(text, "李华") {
						t.Errorf("%s lost the other students", job)
					}
				}
			})
		})
	}
}

// zipPDFText is the text of every PDF of a ZIP, as pdftotext reads it, white
// space removed (pdftotext spaces Latin words and digits apart from
// Chinese).
func zipPDFText(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a ZIP (%d bytes): %v", len(data), err)
	}
	var all strings.Builder
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		pdf, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		all.WriteString(pdfWords(t, pdf))
	}
	return all.String()
}
