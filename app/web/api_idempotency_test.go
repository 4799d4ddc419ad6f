package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"jiashu/store"
)

// TestARetryWithItsIdempotencyKeyGetsTheFirstAnswer: a create or send sent
// again with its Idempotency-Key answers the first answer (a one-time
// password included, to its creator) and does nothing twice; the key with
// another request, while the first is answered, from another account or
// after 24 hours behaves as docs/openapi.yaml says.
func TestARetryWithItsIdempotencyKeyGetsTheFirstAnswer(t *testing.T) {
	t.Parallel()
	onBothDatabases(t, func(t *testing.T, f *webFixture) {
		ctx := context.Background()
		center := scriptOf(t, f, "district", false)
		key := func(k string) []string { return []string{"Idempotency-Key", k} }
		t.Run("a school sent twice is made once, with the same answer", func(t *testing.T) {
			first := center.call(http.MethodPost, "/api/v1/schools", `{"name":"新华小学"}`, key("school-1")...)
			again := center.call(http.MethodPost, "/api/v1/schools", `{"name":"新华小学"}`, key("school-1")...)
			if first.Status != http.StatusCreated || again.Status != http.StatusCreated || again.Body != first.Body ||
				again.Header.Get("Location") != first.Header.Get("Location") || again.Header.Get("Idempotent-Replayed") != "true" {
				t.Fatalf("first %d %s, again %d %s %v", first.Status, first.Body, again.Status, again.Body, again.Header)
			}
			if first.Header.Get("Idempotent-Replayed") != "" {
				t.Error("the first answer says it is replayed")
			}
			if schools, _ := f.st.Schools(ctx); len(schools) != 3 {
				t.Fatalf("%d schools, want one more", len(schools))
			}
		})
		t.Run("the same key with another body is refused and changes nothing", func(t *testing.T) {
			r := center.call(http.MethodPost, "/api/v1/schools", `{"name":"另一所学校"}`, key("school-1")...)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"code":"idempotency_key_reused"`) {
				t.Fatalf("%d %s", r.Status, r.Body)
			}
			if schools, _ := f.st.Schools(ctx); len(schools) != 3 {
				t.Fatalf("%d schools", len(schools))
			}
		})
		t.Run("a lost one-time password is answered again to its creator only", func(t *testing.T) {
			path := "/api/v1/schools/" + itoa(f.schoolA) + "/users"
			first := center.call(http.MethodPost, path, `{"username":"zhanghua","display_name":"张华"}`, key("account-1")...)
			again := center.call(http.MethodPost, path, `{"username":"zhanghua","display_name":"张华"}`, key("account-1")...)
			var a, b struct {
				Password string `json:"one_time_password"`
			}
			decode(t, first, &a)
			decode(t, again, &b)
			if first.Status != http.StatusCreated || again.Status != http.StatusCreated || a.Password == "" || a.Password != b.Password {
				t.Fatalf("first %d %s, again %d %s", first.Status, first.Body, again.Status, again.Body)
			}
			// Another account's key of the same name is its own.
			admin := scriptOf(t, f, "adminA", false)
			own := admin.call(http.MethodPost, path, `{"username":"lihua","display_name":"李华"}`, key("account-1")...)
			if own.Status != http.StatusCreated || strings.Contains(own.Body, a.Password) || own.Header.Get("Idempotent-Replayed") != "" {
				t.Fatalf("another account with the same key: %d %s", own.Status, own.Body)
			}
		})
		t.Run("while the first request is answered the key is in use; a claim left by a dead instance is taken over", func(t *testing.T) {
			body := `{"name":"并发小学"}`
			req := httptest.NewRequest(http.MethodPost, "/api/v1/schools", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			keyHash := hashIdempotencyKey("school-2")
			claim, _, err := f.st.ClaimIdempotencyKey(ctx, f.users["district"].ID, keyHash, requestHash(req, []byte(body)))
			if err != nil || claim != store.ClaimNew {
				t.Fatalf("claim %v %v", claim, err)
			}
			r := center.call(http.MethodPost, "/api/v1/schools", body, key("school-2")...)
			if r.Status != http.StatusConflict || !strings.Contains(r.Body, `"code":"idempotency_key_in_use"`) || r.Header.Get("Retry-After") == "" {
				t.Fatalf("%d %s", r.Status, r.Body)
			}
			ageKey(t, f, keyHash, 6*time.Minute)
			if r := center.call(http.MethodPost, "/api/v1/schools", body, key("school-2")...); r.Status != http.StatusCreated {
				t.Fatalf("after the claim went stale: %d %s", r.Status, r.Body)
			}
		})
		t.Run("after 24 hours the key is new again", func(t *testing.T) {
			path := "/api/v1/users/" + itoa(f.users["ta"].ID) + "/reset-password"
			var a, b, c struct {
				Password string `json:"one_time_password"`
			}
			decode(t, center.call(http.MethodPost, path, "", key("reset-1")...), &a)
			decode(t, center.call(http.MethodPost, path, "", key("reset-1")...), &b)
			ageKey(t, f, hashIdempotencyKey("reset-1"), 25*time.Hour)
			decode(t, center.call(http.MethodPost, path, "", key("reset-1")...), &c)
			if a.Password == "" || b.Password != a.Password || c.Password == a.Password || c.Password == "" {
				t.Fatalf("passwords %q, %q, then after a day %q", a.Password, b.Password, c.Password)
			}
		})
		t.Run("a key that is not 1-255 visible ASCII characters is a bad request", func(t *testing.T) {
			for _, k := range []string{"has space", strings.Repeat("k", 256), "中文"} {
				if r := center.call(http.MethodPost, "/api/v1/schools", `{"name":"坏键小学"}`, key(k)...); r.Status != http.StatusBadRequest {
					t.Errorf("key %q: %d %s", k, r.Status, r.Body)
				}
			}
		})
		t.Run("a send retried answers the same job", func(t *testing.T) {
			first := center.call(http.MethodPost, "/api/v1/schools/"+itoa(f.schoolB)+"/letters", "", key("letters-1")...)
			again := center.call(http.MethodPost, "/api/v1/schools/"+itoa(f.schoolB)+"/letters", "", key("letters-1")...)
			if first.Status != http.StatusAccepted || again.Body != first.Body || again.Header.Get("Location") != first.Header.Get("Location") {
				t.Fatalf("first %d %s, again %d %s", first.Status, first.Body, again.Status, again.Body)
			}
		})
		t.Run("the database keeps neither the key nor the password in clear", func(t *testing.T) {
			var n int
			err := f.st.DB().QueryRowContext(ctx, f.st.Rebind(`SELECT COUNT(*) FROM idempotency_keys WHERE key_hash = ? OR key_hash = ?`),
				"account-1", "reset-1").Scan(&n)
			if err != nil || n != 0 {
				t.Fatalf("%d keys stored in clear (%v)", n, err)
			}
			rows, err := f.st.DB().QueryContext(ctx, `SELECT body FROM idempotency_keys`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var body []byte
				rows.Scan(&body)
				if strings.Contains(string(body), "one_time_password") || strings.Contains(string(body), "新华小学") {
					t.Fatalf("an answer is stored in clear: %.100q", body)
				}
			}
		})
	})
}

// ageKey moves a key's claim or answer back in time by d.
func ageKey(t *testing.T, f *webFixture, keyHash string, d time.Duration) {
	t.Helper()
	if _, err := f.st.DB().ExecContext(context.Background(), f.st.Rebind(`UPDATE idempotency_keys SET created_at = ? WHERE key_hash = ?`),
		f.st.Now().Add(-d), keyHash); err != nil {
		t.Fatal(err)
	}
}

// TestEveryCreateAndSendTakesAnIdempotencyKey: the routes that honour the
// header are the operations docs/openapi.yaml gives it, no more, no fewer.
func TestEveryCreateAndSendTakesAnIdempotencyKey(t *testing.T) {
	t.Parallel()
	described := map[string]bool{}
	for path, item := range apiSpec.Doc.Paths.Map() {
		for method, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value != nil && p.Value.Name == "Idempotency-Key" {
					described[method+" /api/v1"+ginPath(path)] = true
				}
			}
		}
	}
	for route := range described {
		if !idempotentRoutes[route] {
			t.Errorf("%s takes Idempotency-Key in the description, not in the service", route)
		}
	}
	for route := range idempotentRoutes {
		if !described[route] {
			t.Errorf("%s honours Idempotency-Key, the description does not say so", route)
		}
	}
}

// ginPath writes a described path's {param} as Gin's :param.
func ginPath(p string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(p, "/") {
		if part == "" {
			continue
		}
		if strings.HasPrefix(part, "{") {
			part = ":" + strings.Trim(part, "{}")
		}
		b.WriteString("/" + part)
	}
	return b.String()
}
