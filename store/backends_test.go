package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testPostgresEnv names the variable holding a PostgreSQL DSN for tests;
// without it the PostgreSQL half of the suite is skipped.
const testPostgresEnv = "JIASHU_TEST_POSTGRES_DSN"

// testNow is the fixed clock of the tests: the autumn term of 2026.
var testNow = time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)

// testOptions are deterministic clock and randomness for a test store.
func testOptions(seed uint64) []Option {
	var seedBytes [32]byte
	seedBytes[0] = byte(seed)
	seedBytes[1] = byte(seed >> 8)
	return []Option{
		WithClock(func() time.Time { return testNow }),
		WithRandom(rand.NewChaCha8(seedBytes)),
	}
}

// backend makes fresh, empty databases of one kind, removed when the test
// ends.
type backend struct {
	name   string
	newDSN func(t testing.TB) string
}

var schemaSeq atomic.Int64

// testBackends lists SQLite always and PostgreSQL when the variable is set.
func testBackends() []backend {
	bs := []backend{{name: "sqlite", newDSN: func(t testing.TB) string {
		return filepath.Join(t.TempDir(), "db", "test.db")
	}}}
	if dsn := os.Getenv(testPostgresEnv); dsn != "" {
		bs = append(bs, backend{name: "postgres", newDSN: func(t testing.TB) string { return freshPostgresSchema(t, dsn) }})
	}
	return bs
}

// freshPostgresSchema creates a schema of its own for one test and returns
// a DSN whose search_path points at it; the schema is dropped afterwards.
func freshPostgresSchema(t testing.TB, dsn string) string {
	t.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := fmt.Sprintf("t_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, schemaSeq.Add(1))
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

// openTest opens a store on dsn with the test clock and randomness, closed
// when the test ends (before the PostgreSQL schema is dropped).
func openTest(t testing.TB, dsn string, seed uint64) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, testOptions(seed)...)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// forEachBackend runs fn against a fresh, migrated store of every backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, s *Store)) {
	for _, b := range testBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			fn(t, openTest(t, b.newDSN(t), 1))
		})
	}
}
