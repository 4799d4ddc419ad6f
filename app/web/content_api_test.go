package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"jiashu/app/content"
)

func TestContentAPI(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			f := newWebFixture(t, dsn)
			center, reviewer := newBrowser(t, f.srv.URL), newBrowser(t, f.srv.URL)
			center.login("district")
			reviewer.login("reviewer")
			var v1 apiContentVersion
			r := center.get("/api/v1/content/versions/1")
			if r.Status != 200 || json.Unmarshal([]byte(r.Body), &v1) != nil || v1.State != "approved" || v1.Files["methods.txt"] == "" {
				t.Fatalf("version 1: %d %.200s", r.Status, r.Body)
			}
			files := content.Files(v1.Files).Clone()
			files["methods.txt"] = strings.Replace(files["methods.txt"], "名称: 冒充老师在班级群收费", "名称: 冒充班主任在班级群收费", 1)

			t.Run("teachers and school administrators can neither read, edit nor approve content", func(t *testing.T) {
				for _, who := range []string{"ta", "adminA"} {
					b := newBrowser(t, f.srv.URL)
					b.login(who)
					for _, c := range []struct{ method, path string }{
						{"GET", "/api/v1/content/versions"}, {"POST", "/api/v1/content/versions"},
						{"POST", "/api/v1/content/versions/1/approve"}, {"PUT", "/api/v1/content/versions/1/files"},
					} {
						if r := b.sendJSON(c.method, c.path, contentDraftInput{Files: files}); r.Status != http.StatusForbidden {
							t.Errorf("%s %s %s: %d", who, c.method, c.path, r.Status)
						}
					}
					if r := b.get("/content"); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
						t.Errorf("%s /content: %d", who, r.Status)
					}
				}
			})
			t.Run("a reviewer cannot write a draft", func(t *testing.T) {
				if r := reviewer.sendJSON("POST", "/api/v1/content/versions", contentDraftInput{Files: files}); r.Status != http.StatusForbidden {
					t.Errorf("%d %s", r.Status, r.Body)
				}
			})
			var d apiContentVersion
			r = center.sendJSON("POST", "/api/v1/content/versions", contentDraftInput{Title: "改名称", Files: files})
			if r.Status != http.StatusCreated || json.Unmarshal([]byte(r.Body), &d) != nil || d.State != "draft" || d.BasedOn != 1 {
				t.Fatalf("create: %d %s", r.Status, r.Body)
			}
			path := "/api/v1/content/versions/" + itoa(d.ID)
			if r := center.sendJSON("POST", path+"/submit", nil); r.Status != 200 {
				t.Fatalf("submit: %d %s", r.Status, r.Body)
			}
			t.Run("the author cannot approve", func(t *testing.T) {
				if r := center.sendJSON("POST", path+"/approve", nil); r.Status != http.StatusForbidden {
					t.Errorf("%d %s", r.Status, r.Body)
				}
			})
			t.Run("a return needs a comment", func(t *testing.T) {
				if r := reviewer.sendJSON("POST", path+"/return", map[string]string{}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "修改意见") {
					t.Errorf("%d %s", r.Status, r.Body)
				}
			})
			if r := reviewer.sendJSON("POST", path+"/approve", map[string]string{"comment": "同意"}); r.Status != 200 || !strings.Contains(r.Body, `"approved"`) {
				t.Fatalf("approve: %d %s", r.Status, r.Body)
			}
			t.Run("an approved version is immutable", func(t *testing.T) {
				if r := center.sendJSON("PUT", path+"/files", contentDraftInput{Files: v1.Files}); r.Status != http.StatusConflict {
					t.Errorf("%d %s", r.Status, r.Body)
				}
			})
			t.Run("a draft with lint errors cannot be submitted", func(t *testing.T) {
				bad := files.Clone()
				bad["templates/junior.txt"] = strings.ReplaceAll(bad["templates/junior.txt"], "96110", "")
				var b apiContentVersion
				r := center.sendJSON("POST", "/api/v1/content/versions", contentDraftInput{Title: "删了96110", Files: bad})
				json.Unmarshal([]byte(r.Body), &b)
				if r := center.sendJSON("POST", "/api/v1/content/versions/"+itoa(b.ID)+"/submit", nil); r.Status != http.StatusUnprocessableEntity {
					t.Errorf("%d %s", r.Status, r.Body)
				}
			})
			t.Run("a ZIP export imports as a new draft", func(t *testing.T) {
				z := center.get(path + "/export.zip")
				if z.Status != 200 || z.Header.Get("Content-Type") != "application/zip" {
					t.Fatalf("export: %d", z.Status)
				}
				r := center.upload("/api/v1/content/versions", "content.zip", []byte(z.Body), map[string]string{"title": "交换"})
				var imp apiContentVersion
				if r.Status != http.StatusCreated || json.Unmarshal([]byte(r.Body), &imp) != nil || imp.State != "draft" {
					t.Fatalf("import: %d %s", r.Status, r.Body)
				}
				got := center.get("/api/v1/content/versions/" + itoa(imp.ID))
				if !strings.Contains(got.Body, "冒充班主任在班级群收费") {
					t.Error("the imported draft lacks the exported text")
				}
				if r := center.upload("/api/v1/content/versions", "bad.zip", []byte("not a zip"), nil); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "ZIP") {
					t.Errorf("a bad upload: %d %s", r.Status, r.Body)
				}
			})
			t.Run("a campaign created through the API pins the approved version; a draft cannot be pinned", func(t *testing.T) {
				r := center.sendJSON("POST", "/api/v1/campaigns", map[string]any{"name": "寒假前" + time.Now().Format("150405"), "school_ids": []int64{f.schoolA}})
				if r.Status != http.StatusCreated || !strings.Contains(r.Body, `"content_version":`+itoa(d.ID)) {
					t.Errorf("%d %s", r.Status, r.Body)
				}
				r = center.sendJSON("POST", "/api/v1/campaigns", map[string]any{"name": "草稿活动", "content_version": d.ID + 1})
				if r.Status != http.StatusUnprocessableEntity {
					t.Errorf("%d %s", r.Status, r.Body)
				}
			})
		})
	}
}
