package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestParentTokenProbing: odd tokens (other formats, unicode, very long,
// SQL metacharacters) are a plain 404 page, never an error with details;
// a client that keeps trying is answered 429; and a letter page shows
// neither the full child name, nor guardian phones, nor other students.
func TestParentTokenProbing(t *testing.T) {
	t.Parallel()
	f := newParentFixture(t, "")
	odd := []string{
		"x", "TEST", strings.Repeat("A", 5000), "' OR '1'='1", "1;DROP TABLE letters;--", "%00", "王小明",
		"ＴＥＳＴ０００００００１", "TEST0000001%27", "..%2F..%2Fetc%2Fpasswd", "TEST000000:1", "%F0%9F%98%80",
	}
	for i, tok := range odd {
		rec := f.do(t, http.MethodGet, "/a/"+url.PathEscape(tok), nil, map[string]string{"RemoteAddr": "10.9.0." + itoa(int64(i+1)) + ":1"})
		body := rec.Body.String()
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusTooManyRequests {
			t.Errorf("/a/%.40s: status %d, want 404", tok, rec.Code)
		}
		for _, leak := range []string{"sql", "SQL", "panic", "goroutine", "store:", "王小明", "139000"} {
			if strings.Contains(body, leak) {
				t.Errorf("/a/%.40s shows %q", tok, leak)
			}
		}
	}
	t.Run("a client guessing codes is answered 429", func(t *testing.T) {
		h := map[string]string{"RemoteAddr": "10.8.0.1:1234", "Origin": "https://jiashu.example.edu.cn", "Sec-Fetch-Site": "same-origin"}
		got429 := false
		for i := 0; i < 30 && !got429; i++ {
			rec := f.do(t, http.MethodPost, "/a", url.Values{"code": {"ZZZZ" + strings.Repeat("9", 7-len(itoa(int64(i)))) + itoa(int64(i))}}, h)
			got429 = rec.Code == http.StatusTooManyRequests
		}
		if !got429 {
			t.Fatal("30 unknown codes from one client and no 429")
		}
		// Blocked, even the right code answers 429: guessing learns nothing.
		if rec := f.do(t, http.MethodPost, "/a", url.Values{"code": {f.tokens[0]}}, h); rec.Code != http.StatusTooManyRequests {
			t.Fatalf("a right code while blocked: %d", rec.Code)
		}
		got429 = false
		for i := 0; i < 30 && !got429; i++ {
			rec := f.do(t, http.MethodGet, "/a/ZZZZ999"+strings.Repeat("8", 4-len(itoa(int64(i))))+itoa(int64(i)), nil, map[string]string{"RemoteAddr": "10.7.0.1:1"})
			got429 = rec.Code == http.StatusTooManyRequests
		}
		if !got429 {
			t.Fatal("30 unknown links from one client and no 429")
		}
	})
	t.Run("a letter page shows only its own child, masked, and no phone", func(t *testing.T) {
		rec := f.do(t, http.MethodGet, "/a/"+strings.ToLower(f.tokens[0]), nil, map[string]string{"RemoteAddr": "10.6.0.1:1"})
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		if !strings.Contains(body, "王*明") {
			t.Error("the masked name 王*明 is missing")
		}
		for _, leak := range append([]string{"王小明", "13900000001", "王小明妈妈"}, f.names[1:]...) {
			if strings.Contains(body, leak) {
				t.Errorf("the page shows %q", leak)
			}
		}
	})
}
