package web

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"jiashu/store"
)

func TestHealthzSaysNotReadyWhenTheDatabaseIsReadOnly(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			f := newWebFixture(t, dsn)
			b := newBrowser(t, f.srv.URL)
			if r := b.get("/healthz"); r.Status != http.StatusOK {
				t.Fatalf("writable: %d %s", r.Status, r.Body)
			}
			// One connection, switched to read-only as a full disk or a
			// standby would leave it.
			f.st.DB().SetMaxOpenConns(1)
			q := map[store.Dialect]string{store.SQLite: `PRAGMA query_only = ON`, store.Postgres: `SET default_transaction_read_only = on`}[f.st.Dialect()]
			if _, err := f.st.DB().ExecContext(context.Background(), q); err != nil {
				t.Fatal(err)
			}
			r := b.get("/healthz")
			var h struct{ Status string }
			if r.Status != http.StatusServiceUnavailable || json.Unmarshal([]byte(r.Body), &h) != nil || h.Status != "not ready" {
				t.Fatalf("read-only: %d %s", r.Status, r.Body)
			}
		})
	}
}
