package web

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"jiashu/store"
)

// bombXLSX is a small zip whose sheet inflates to 40 MB of zeros.
func bombXLSX(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for name, data := range map[string][]byte{"xl/workbook.xml": []byte("<workbook/>"), "xl/worksheets/sheet1.xml": make([]byte, 40<<20)} {
		fw, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	w.Close()
	return buf.Bytes()
}

func countUploads(t *testing.T, st *store.Store) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(`SELECT COUNT(*) FROM uploads`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestUploadLimits: an oversized file and a zip bomb are refused through
// the upload page and the API, and nothing of them is kept; an upload is
// confirmed only by its owner and only before it expires.
func TestUploadLimits(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	ta := newBrowser(t, f.srv.URL)
	ta.login("ta")
	admin := newBrowser(t, f.srv.URL)
	admin.login("adminA")
	big := append(cleanRoster(t), make([]byte, int(f.cfg.MaxUploadBytes))...)
	for _, c := range []struct {
		name string
		data []byte
	}{{"oversized", big}, {"zip bomb", bombXLSX(t)}} {
		t.Run("a "+c.name+" file is refused and not kept", func(t *testing.T) {
			if r := ta.upload("/classes/"+itoa(f.classA1)+"/roster", "r.xlsx", c.data, nil); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("page: status %d", r.Status)
			}
			if r := admin.upload("/schools/"+itoa(f.schoolA)+"/roster", "r.xlsx", c.data, nil); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("school page: status %d", r.Status)
			}
			if r := admin.upload("/api/v1/schools/"+itoa(f.schoolA)+"/imports", "r.xlsx", c.data, map[string]string{"class": "三年级2班"}); r.Status != http.StatusRequestEntityTooLarge && r.Status != http.StatusUnprocessableEntity {
				t.Errorf("API: status %d %.200s", r.Status, r.Body)
			}
			if n := countUploads(t, f.st); n != 0 {
				t.Errorf("%d uploads kept", n)
			}
		})
	}
	ctx := context.Background()
	id, err := f.st.SaveUpload(ctx, store.Upload{UserID: f.users["ta"].ID, SchoolID: f.schoolA, ClassID: f.classA1, Filename: "r.xlsx", Data: cleanRoster(t)}, uploadTTL)
	if err != nil {
		t.Fatal(err)
	}
	before := dbFingerprint(t, f.st)
	t.Run("another user cannot confirm the upload", func(t *testing.T) {
		r := admin.post("/classes/"+itoa(f.classA1)+"/roster/"+id, nil)
		if r.Status < 400 || dbFingerprint(t, f.st) != before {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("an expired upload is refused", func(t *testing.T) {
		if _, err := f.st.DB().Exec(f.st.Rebind(`UPDATE uploads SET expires_at = ? WHERE id = ?`), time.Now().Add(-time.Minute).UTC(), id); err != nil {
			t.Fatal(err)
		}
		r := ta.post("/classes/"+itoa(f.classA1)+"/roster/"+id, nil)
		if r.Status != http.StatusGone || dbFingerprint(t, f.st) != before {
			t.Fatalf("status %d", r.Status)
		}
	})
}
