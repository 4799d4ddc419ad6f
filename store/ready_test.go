package store

import (
	"context"
	"errors"
	"testing"
)

func TestReadyReportsAReadOnlyDatabase(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		if err := s.Ready(ctx); err != nil {
			t.Fatalf("a writable database: %v", err)
		}
		// One connection, switched to read-only as a full disk or a standby
		// would leave it.
		s.DB().SetMaxOpenConns(1)
		q := map[Dialect]string{SQLite: `PRAGMA query_only = ON`, Postgres: `SET default_transaction_read_only = on`}[s.Dialect()]
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
		if err := s.Ready(ctx); !errors.Is(err, ErrReadOnly) {
			t.Fatalf("a read-only database: %v, want ErrReadOnly", err)
		}
	})
}
