package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jiashu/app/campaign"
	"jiashu/store"
)

func TestClassLettersPDF(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	b := newBrowser(t, f.srv.URL)
	b.login("ta")
	t.Run("a GET issues no letter: it asks for the letters to be generated first", func(t *testing.T) {
		for _, p := range []string{"/classes/" + itoa(f.classA1) + "/letters.pdf", "/students/" + itoa(f.studentA1) + "/letter.pdf",
			"/api/v1/classes/" + itoa(f.classA1) + "/letters.pdf"} {
			if r := b.get(p); r.Status != http.StatusConflict || !strings.Contains(r.Body, "没有生成") {
				t.Errorf("GET %s: %d %.300q, want 409 saying the letters are not generated", p, r.Status, r.Body)
			}
		}
		if _, ok, _ := campaign.Current(context.Background(), f.st, f.schoolA); ok {
			t.Error("a GET created the school's campaign")
		}
		page := b.get("/classes/" + itoa(f.classA1))
		if !strings.Contains(page.Body, `action="/classes/`+itoa(f.classA1)+`/letters"`) || strings.Contains(page.Body, "letters.pdf") {
			t.Errorf("the class page does not offer 生成家书 as a POST")
		}
	})
	r := b.post("/classes/"+itoa(f.classA1)+"/letters", nil)
	if r.Status != 200 || r.Header.Get("Content-Type") != pdfType || !strings.HasPrefix(r.Body, "%PDF-") {
		t.Fatalf("status %d type %q", r.Status, r.Header.Get("Content-Type"))
	}
	file := filepath.Join(t.TempDir(), "class.pdf")
	os.WriteFile(file, []byte(r.Body), 0o600)
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	t.Run("the PDF has a letter for each student of the class", func(t *testing.T) {
		pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
		if len(pages) != 2 {
			t.Errorf("%d pages, want 2", len(pages))
		}
		for _, name := range []string{"王小明", "李华"} {
			if !strings.Contains(text, name) {
				t.Errorf("no letter for %s", name)
			}
		}
		if strings.Contains(text, "赵敏") {
			t.Error("another school's student is in the PDF")
		}
	})
	t.Run("a second download prints the same codes", func(t *testing.T) {
		ls, _ := f.st.CampaignLetters(context.Background(), mustCampaign(t, f), f.classA1)
		if len(ls) != 2 {
			t.Fatalf("%d letters issued", len(ls))
		}
		for _, again := range []response{b.get("/classes/" + itoa(f.classA1) + "/letters.pdf"), b.post("/classes/"+itoa(f.classA1)+"/letters", nil)} {
			if again.Status != 200 || !strings.HasPrefix(again.Body, "%PDF-") {
				t.Fatal(again.Status)
			}
		}
		ls2, _ := f.st.CampaignLetters(context.Background(), ls[0].CampaignID, f.classA1)
		if len(ls2) != 2 || ls2[0].Token != ls[0].Token {
			t.Fatal("letters were issued again")
		}
	})
	t.Run("the class page shows the letters as produced and offers the re-print", func(t *testing.T) {
		page := b.get("/classes/" + itoa(f.classA1))
		if !strings.Contains(page.Body, "已生成") || !strings.Contains(page.Body, `action="/classes/`+itoa(f.classA1)+`/letters.pdf"`) {
			t.Fatalf("%.400s", page.Body)
		}
	})
	t.Run("the download is in the audit log", func(t *testing.T) {
		log, _ := f.st.AuditLog(context.Background(), 3)
		if len(log) == 0 || log[0].Action != "letters_downloaded" {
			t.Fatalf("%+v", log)
		}
	})
	t.Run("after the campaign is purged the downloads say why there is no PDF and the class page offers none", func(t *testing.T) {
		if _, err := f.st.PurgeCampaign(context.Background(), store.PurgeOptions{CampaignID: mustCampaign(t, f), Force: true}); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/classes/" + itoa(f.classA1) + "/letters.pdf", "/students/" + itoa(f.studentA1) + "/letter.pdf"} {
			if r := b.get(p); r.Status != http.StatusConflict || !strings.Contains(r.Body, "已按规定清除") {
				t.Errorf("%s: %d %.200q, want 409 saying the campaign was purged", p, r.Status, r.Body)
			}
		}
		page := b.get("/classes/" + itoa(f.classA1))
		if !strings.Contains(page.Body, `id="purged"`) || strings.Contains(page.Body, "letters.pdf") || strings.Contains(page.Body, "letter.pdf") {
			t.Errorf("the class page after the purge offers downloads that cannot work, or does not say why: %d", page.Status)
		}
	})
}

func mustCampaign(t *testing.T, f *webFixture) int64 {
	t.Helper()
	c, ok, err := campaign.Current(context.Background(), f.st, f.schoolA)
	if err != nil || !ok {
		t.Fatalf("no campaign (%v)", err)
	}
	return c.ID
}

// TestLetterDateIsChinaDate: a teacher printing letters at 07:30 in the
// morning (23:30 UTC the day before) gets today's date on them, the same
// date the parent page shows, not the server's UTC date.
func TestLetterDateIsChinaDate(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	srv, err := New(f.cfg, f.st, slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	morning := time.Date(2026, 11, 27, 7, 30, 0, 0, campaign.ChinaTime)
	srv.now = func() time.Time { return morning.UTC() }
	hs := httptest.NewServer(checked(t, srv.Handler()))
	t.Cleanup(hs.Close)
	b := newBrowser(t, hs.URL)
	b.login("ta")
	for name, path := range map[string]string{
		"class PDF":     "/classes/" + itoa(f.classA1) + "/letters",
		"single letter": "/students/" + itoa(f.studentA1) + "/letter",
	} {
		t.Run("the "+name+" is dated the day it is in China", func(t *testing.T) {
			r := b.post(path, nil)
			if r.Status != 200 {
				t.Fatalf("status %d", r.Status)
			}
			file := filepath.Join(t.TempDir(), "l.pdf")
			os.WriteFile(file, []byte(r.Body), 0o600)
			out, err := exec.Command("pdftotext", file, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			if text := strings.ReplaceAll(string(out), " ", ""); !strings.Contains(text, "2026年11月27日") || strings.Contains(text, "2026年11月26日") {
				t.Errorf("letter not dated 2026年11月27日:\n%s", text)
			}
		})
	}
}
