package parent

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"jiashu/app/campaign"
	"jiashu/store"
	"jiashu/store/storetest"
)

// TestUnknownCodeLimitAcrossInstances runs two servers, each with its own
// connection pool, on one database: a client spreading its guesses over
// both is limited as if there were one.
func TestUnknownCodeLimitAcrossInstances(t *testing.T) {
	t.Parallel()
	for name, dsn := range storetest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			f := newFixture(t, dsn)
			clock := time.Date(2026, 11, 20, 19, 30, 5, 0, campaign.ChinaTime)
			f.now = func() time.Time { return clock }
			instances := []http.Handler{f.h, f.another(t)}
			status := func(i int, remote, target string, form url.Values) int {
				t.Helper()
				method := "GET"
				if form != nil {
					method = "POST"
				}
				var body io.Reader
				if form != nil {
					body = strings.NewReader(form.Encode())
				}
				req := httptest.NewRequest(method, target, body)
				if form != nil {
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				req.RemoteAddr = remote
				rec := httptest.NewRecorder()
				instances[i].ServeHTTP(rec, req)
				return rec.Code
			}
			hits := func() (rows, total int) {
				t.Helper()
				if err := f.st.DB().QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(n), 0) FROM unknown_code_hits`).Scan(&rows, &total); err != nil {
					t.Fatal(err)
				}
				return rows, total
			}
			const guesser = "198.51.100.7:1234"
			for i := 0; i < UnknownCodesPerMinute-1; i++ {
				if got := status(i%2, guesser, "/a/ZZZZZZZZZZZ"+string(store.TokenAlphabet[i]), nil); got != http.StatusNotFound {
					t.Fatalf("guess %d on instance %d: %d, want 404", i+1, i%2, got)
				}
			}
			t.Run("the guess that reaches the limit is refused, whichever instance counted the others", func(t *testing.T) {
				if got := status(1, guesser, "/a", url.Values{"code": {"ZZZZZZZZZZZZ"}}); got != http.StatusTooManyRequests {
					t.Fatalf("got %d, want 429", got)
				}
			})
			t.Run("the other instance refuses the next guess too, and then the client's letters", func(t *testing.T) {
				if got := status(0, guesser, "/a/ZZZZZZZZZZZY", nil); got != http.StatusTooManyRequests {
					t.Fatalf("got %d, want 429", got)
				}
				if got := status(0, guesser, "/a/"+f.tokens[0], nil); got != http.StatusTooManyRequests {
					t.Fatalf("a blocked client opened a letter: %d", got)
				}
			})
			t.Run("letter views write nothing for the limit", func(t *testing.T) {
				rows, total := hits()
				for i := range 10 {
					if got := status(i%2, "203.0.113.9:999", "/a/"+f.tokens[i%len(f.tokens)], nil); got != http.StatusOK {
						t.Fatalf("view %d: %d", i, got)
					}
				}
				if r2, t2 := hits(); r2 != rows || t2 != total || total != UnknownCodesPerMinute+1 {
					t.Fatalf("hits %d/%d before, %d/%d after views", rows, total, r2, t2)
				}
			})
			t.Run("the next minute the client is let in again and old windows are purged", func(t *testing.T) {
				clock = clock.Add(3 * time.Minute)
				if got := status(0, guesser, "/a/"+f.tokens[0], nil); got != http.StatusOK {
					t.Fatalf("got %d", got)
				}
				if got := status(1, guesser, "/a/ZZZZZZZZZZZZ", nil); got != http.StatusNotFound {
					t.Fatalf("got %d", got)
				}
				if rows, total := hits(); rows != 1 || total != 1 {
					t.Fatalf("%d rows, %d hits left", rows, total)
				}
			})
		})
	}
}
