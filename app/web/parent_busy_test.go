package web

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// TestAParentMeetsACalmRetryPageWhenTheDatabaseIsBusy: while another
// writer holds SQLite's write lock past the busy timeout, a parent's
// acknowledgement answers 503 with Retry-After and a page asking to try
// again (not a 500), and goes through once the lock is gone.
func TestAParentMeetsACalmRetryPageWhenTheDatabaseIsBusy(t *testing.T) {
	t.Parallel()
	f := newParentFixture(t, filepath.Join(t.TempDir(), "busy.db"))
	tok := f.tokens[0]
	post := func() int {
		rec := f.do(t, "POST", "/a/"+tok, url.Values{"relation": {"母亲"}, "c": {"s"}}, nil)
		if rec.Code == http.StatusServiceUnavailable {
			if rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "系统正忙，请稍后再试") {
				t.Errorf("the busy page: Retry-After %q, %.300s", rec.Header().Get("Retry-After"), rec.Body.String())
			}
		}
		return rec.Code
	}
	// BEGIN IMMEDIATE (the store's DSN) takes the write lock at once.
	tx, err := f.st.DB().BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`UPDATE schools SET name = name`); err != nil {
		t.Fatal(err)
	}
	if code := post(); code != http.StatusServiceUnavailable {
		t.Errorf("acknowledging while the database is locked: %d, want 503", code)
	}
	tx.Rollback()
	if code := post(); code != http.StatusSeeOther {
		t.Errorf("acknowledging afterwards: %d, want 303", code)
	}
}
