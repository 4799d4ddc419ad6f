package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
)

func TestNormalizeUsername(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{" wang.li ", "wang.li"},
		{"East-Admin_2", "East-Admin_2"},
		{"\u0441enter", ""}, // Cyrillic с
		{"ｃｅｎｔｅｒ", ""},      // full-width
		{"王老师", ""},         // Chinese
		{"wang li", ""},     // space inside
		{"w", ""},           // too short
		{strings.Repeat("a", 41), ""},
	} {
		got, err := NormalizeUsername(tc.in)
		if tc.want == "" {
			var ue *UsernameError
			if !errors.As(err, &ue) || !errors.Is(err, ErrInvalidUsername) || ue.Message == "" {
				t.Errorf("NormalizeUsername(%q) = %q, %v; want a refusal with a message", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("NormalizeUsername(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestUsernamesAreUniqueWhateverTheirCase(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		if _, err := s.CreateUser(ctx, User{Username: "Center", Role: RoleDistrictAdmin}); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"center", "CENTER", " center "} {
			if _, err := s.CreateUser(ctx, User{Username: name, Role: RoleDistrictAdmin}); !errors.Is(err, ErrUsernameTaken) {
				t.Errorf("creating %q: %v, want ErrUsernameTaken", name, err)
			}
		}
		for _, name := range []string{"\u0441enter", "ｃｅｎｔｅｒ"} {
			if _, err := s.CreateUser(ctx, User{Username: name, Role: RoleDistrictAdmin}); !errors.Is(err, ErrInvalidUsername) {
				t.Errorf("creating look-alike %q: %v, want ErrInvalidUsername", name, err)
			}
		}
		u, err := s.UserByUsername(ctx, "cEnTeR")
		if err != nil || u.Username != "Center" {
			t.Fatalf("look-up in another case: %+v, %v", u, err)
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM users`); n != 1 {
			t.Fatalf("%d accounts, want 1", n)
		}
	})
}

func TestUpgradeRefusesUsernamesDifferingOnlyInCase(t *testing.T) {
	t.Parallel()
	for _, b := range testBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := b.newDSN(t)
			s := openTest(t, dsn, 1)
			// The database as it was before migration 010, with two spellings.
			for _, q := range []string{`DROP INDEX users_username_folded`, `DELETE FROM schema_migrations WHERE version = 10`} {
				if _, err := s.DB().ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			for _, name := range []string{"Center", "center", "wang"} {
				if _, err := s.DB().ExecContext(ctx, s.Rebind(`INSERT INTO users (username, role, created_at) VALUES (?, 'teacher', ?)`), name, testNow); err != nil {
					t.Fatal(err)
				}
			}
			s.Close()
			_, err := Open(ctx, dsn, testOptions(1)...)
			if err == nil || !strings.Contains(err.Error(), `"Center" (id 1), "center" (id 2)`) || strings.Contains(err.Error(), "wang") {
				t.Fatalf("upgrade over case duplicates: %v; want a refusal naming both", err)
			}
			driver := map[string]string{"sqlite": "sqlite", "postgres": "pgx"}[b.name]
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if _, err := raw.ExecContext(ctx, `UPDATE users SET username = 'center2' WHERE id = 2`); err != nil {
				t.Fatal(err)
			}
			s = openTest(t, dsn, 1)
			if _, err := s.CreateUser(ctx, User{Username: "CENTER2", Role: RoleTeacher}); !errors.Is(err, ErrUsernameTaken) {
				t.Fatalf("after renaming and upgrading: %v, want the new index to hold", err)
			}
		})
	}
}

func TestSetPasswordRevokesAPITokens(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, User{Username: "wang", Role: RoleTeacher, PasswordHash: "old"})
		if err != nil {
			t.Fatal(err)
		}
		other, _ := s.CreateUser(ctx, User{Username: "li", Role: RoleTeacher})
		for _, tc := range []struct {
			name       string
			mustChange bool
		}{{"after an administrator's reset", true}, {"after the user's own change", false}} {
			t.Run("a token stops working "+tc.name, func(t *testing.T) {
				token, _, err := s.CreateAPIToken(ctx, u.ID, "脚本")
				if err != nil {
					t.Fatal(err)
				}
				kept, _, _ := s.CreateAPIToken(ctx, other.ID, "同事的脚本")
				if _, err := s.UserByAPIToken(ctx, token); err != nil {
					t.Fatal(err)
				}
				if err := s.SetPassword(ctx, u.ID, "new", tc.mustChange); err != nil {
					t.Fatal(err)
				}
				if _, err := s.UserByAPIToken(ctx, token); !errors.Is(err, ErrNotFound) {
					t.Fatalf("token after the password was set: %v, want ErrNotFound", err)
				}
				if _, err := s.UserByAPIToken(ctx, kept); err != nil {
					t.Fatalf("a colleague's token: %v", err)
				}
			})
		}
	})
}
