package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestIsBusyKnowsALockedDatabaseFromOtherErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Hold the write lock in one transaction; a second writer with a short
	// busy timeout of its own gets SQLITE_BUSY.
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	conn, err := st.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 10"); err != nil {
		t.Fatal(err)
	}
	_, busy := conn.ExecContext(ctx, "INSERT INTO schools (name, created_at) VALUES ('忙', ?)", time.Now().UTC())
	if busy == nil {
		t.Fatal("a second writer got in while the first held the lock")
	}
	if !IsBusy(fmt.Errorf("store: wrapped: %w", busy)) {
		t.Errorf("IsBusy(%v) = false", busy)
	}
	for _, err := range []error{nil, ErrNotFound, errors.New("no such table: x"), &pgconn.PgError{Code: "23505"}} {
		if IsBusy(err) {
			t.Errorf("IsBusy(%v) = true", err)
		}
	}
	if !IsBusy(&pgconn.PgError{Code: "40001"}) {
		t.Error("a PostgreSQL serialization failure is not busy")
	}
}
