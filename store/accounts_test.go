package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testClock is a settable clock for the store.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// accountStores opens a fresh SQLite store and, when
// JIASHU_TEST_POSTGRES_DSN is set, a PostgreSQL store in a schema of its own.
func accountStores(t *testing.T, clock *testClock) map[string]*Store {
	t.Helper()
	ctx := context.Background()
	out := map[string]*Store{}
	st, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"), WithClock(clock.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	out["sqlite"] = st
	dsn := os.Getenv("JIASHU_TEST_POSTGRES_DSN")
	if dsn == "" {
		return out
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := fmt.Sprintf("t_accounts_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	pg, err := Open(ctx, dsn+sep+"search_path="+schema, WithClock(clock.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pg.Close()
		admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	out["postgres"] = pg
	return out
}

func TestSessions(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)}
	for name, st := range accountStores(t, clock) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			u, err := st.CreateUser(ctx, User{Username: "wang", Role: RoleTeacher})
			if err != nil {
				t.Fatal(err)
			}
			token, err := st.CreateSession(ctx, u.ID, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			t.Run("a fresh token signs the user in", func(t *testing.T) {
				got, _, err := st.SessionUser(ctx, token)
				if err != nil || got.ID != u.ID {
					t.Fatalf("SessionUser = %v, %v; want user %d", got.ID, err, u.ID)
				}
			})
			t.Run("the token itself is not stored", func(t *testing.T) {
				var n int
				st.DB().QueryRowContext(ctx, st.Rebind(`SELECT COUNT(*) FROM sessions WHERE token_hash = ?`), token).Scan(&n)
				if n != 0 {
					t.Fatal("the raw token is in the sessions table")
				}
			})
			t.Run("an unknown token is not found", func(t *testing.T) {
				if _, _, err := st.SessionUser(ctx, token+"x"); !errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
			})
			t.Run("activity keeps the session alive past its first expiry", func(t *testing.T) {
				clock.add(50 * time.Minute)
				if err := st.ExtendSession(ctx, token, time.Hour); err != nil {
					t.Fatal(err)
				}
				clock.add(50 * time.Minute)
				if _, _, err := st.SessionUser(ctx, token); err != nil {
					t.Fatalf("extended session refused: %v", err)
				}
			})
			t.Run("an idle session expires", func(t *testing.T) {
				clock.add(61 * time.Minute)
				if _, _, err := st.SessionUser(ctx, token); !errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
			})
			t.Run("a disabled user's sessions end", func(t *testing.T) {
				tok, _ := st.CreateSession(ctx, u.ID, time.Hour)
				if err := st.SetUserDisabled(ctx, u.ID, true); err != nil {
					t.Fatal(err)
				}
				if _, _, err := st.SessionUser(ctx, tok); !errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
				st.SetUserDisabled(ctx, u.ID, false)
			})
			t.Run("signing out everywhere keeps only the current session", func(t *testing.T) {
				a, _ := st.CreateSession(ctx, u.ID, time.Hour)
				b, _ := st.CreateSession(ctx, u.ID, time.Hour)
				if err := st.DeleteUserSessions(ctx, u.ID, a); err != nil {
					t.Fatal(err)
				}
				if _, _, err := st.SessionUser(ctx, a); err != nil {
					t.Fatalf("kept session refused: %v", err)
				}
				if _, _, err := st.SessionUser(ctx, b); !errors.Is(err, ErrNotFound) {
					t.Fatalf("other session err = %v, want ErrNotFound", err)
				}
				st.DeleteSession(ctx, a)
				if _, _, err := st.SessionUser(ctx, a); !errors.Is(err, ErrNotFound) {
					t.Fatalf("deleted session err = %v, want ErrNotFound", err)
				}
			})
		})
	}
}

func TestLoginFailures(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)}
	for name, st := range accountStores(t, clock) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			for i := 1; i <= 3; i++ {
				n, err := st.AddLoginFailure(ctx, "user:wang", 15*time.Minute)
				if err != nil || n != i {
					t.Fatalf("failure %d counted as %d (%v)", i, n, err)
				}
				clock.add(time.Minute)
			}
			t.Run("failures count within the window", func(t *testing.T) {
				if n, _ := st.LoginFailures(ctx, "user:wang", 15*time.Minute); n != 3 {
					t.Fatalf("LoginFailures = %d, want 3", n)
				}
				if n, _ := st.LoginFailures(ctx, "ip:10.0.0.1", 15*time.Minute); n != 0 {
					t.Fatalf("another key has %d failures", n)
				}
			})
			t.Run("a closed window counts from zero again", func(t *testing.T) {
				clock.add(13 * time.Minute)
				if n, _ := st.LoginFailures(ctx, "user:wang", 15*time.Minute); n != 0 {
					t.Fatalf("LoginFailures after the window = %d, want 0", n)
				}
				if n, _ := st.AddLoginFailure(ctx, "user:wang", 15*time.Minute); n != 1 {
					t.Fatalf("first failure of a new window counted as %d", n)
				}
			})
			t.Run("clearing forgets the failures", func(t *testing.T) {
				st.ClearLoginFailures(ctx, "user:wang")
				if n, _ := st.LoginFailures(ctx, "user:wang", 15*time.Minute); n != 0 {
					t.Fatalf("LoginFailures after clearing = %d", n)
				}
			})
		})
	}
}

func TestAPITokensAndUploads(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)}
	for name, st := range accountStores(t, clock) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			u, _ := st.CreateUser(ctx, User{Username: "li", Role: RoleSchoolAdmin})
			other, _ := st.CreateUser(ctx, User{Username: "zhao", Role: RoleTeacher})
			secret, tok, err := st.CreateAPIToken(ctx, u.ID, "nightly export")
			if err != nil {
				t.Fatal(err)
			}
			t.Run("a token names its user and records its use", func(t *testing.T) {
				got, err := st.UserByAPIToken(ctx, secret)
				if err != nil || got.ID != u.ID || !strings.HasPrefix(secret, APITokenPrefix) {
					t.Fatalf("UserByAPIToken = %d, %v (secret %q)", got.ID, err, secret)
				}
				list, _ := st.APITokens(ctx, u.ID)
				if len(list) != 1 || list[0].Name != "nightly export" || list[0].LastUsedAt.IsZero() {
					t.Fatalf("APITokens = %+v", list)
				}
			})
			t.Run("another user cannot revoke it", func(t *testing.T) {
				if err := st.DeleteAPIToken(ctx, other.ID, tok.ID); !errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
			})
			t.Run("a revoked token signs nobody in", func(t *testing.T) {
				st.DeleteAPIToken(ctx, u.ID, tok.ID)
				if _, err := st.UserByAPIToken(ctx, secret); !errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
			})
			sc, _, _ := st.EnsureSchool(ctx, "实验小学")
			id, err := st.SaveUpload(ctx, Upload{UserID: u.ID, SchoolID: sc.ID, Filename: "名册.xlsx", Data: []byte("PK\x03\x04 data")}, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			t.Run("the owner reads the upload back", func(t *testing.T) {
				up, err := st.Upload(ctx, id, u.ID)
				if err != nil || string(up.Data) != "PK\x03\x04 data" || up.Filename != "名册.xlsx" || up.ClassID != 0 {
					t.Fatalf("Upload = %+v, %v", up, err)
				}
			})
			t.Run("another user cannot read the upload", func(t *testing.T) {
				if _, err := st.Upload(ctx, id, other.ID); !errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
			})
			t.Run("an expired upload is gone and purged", func(t *testing.T) {
				clock.add(2 * time.Hour)
				if _, err := st.Upload(ctx, id, u.ID); !errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
				if n, err := st.PurgeExpired(ctx, time.Hour); err != nil || n < 1 {
					t.Fatalf("PurgeExpired = %d, %v", n, err)
				}
			})
		})
	}
}
