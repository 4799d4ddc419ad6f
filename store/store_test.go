package store

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestMigrations(t *testing.T) {
	t.Parallel()
	for _, b := range testBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := b.newDSN(t)
			t.Run("two instances starting together both open the database", func(t *testing.T) {
				var wg sync.WaitGroup
				errs := make([]error, 2)
				for i := range errs {
					wg.Add(1)
					go func() {
						defer wg.Done()
						s, err := Open(ctx, dsn, testOptions(1)...)
						if err == nil {
							s.Close()
						}
						errs[i] = err
					}()
				}
				wg.Wait()
				if err := errors.Join(errs...); err != nil {
					t.Fatal(err)
				}
			})
			s := openTest(t, dsn, 1)
			want, err := s.SchemaVersion(ctx)
			if err != nil || want < 1 {
				t.Fatalf("schema version %d, %v", want, err)
			}
			mustSchool(t, s, "保留小学")
			s.Close()
			t.Run("reopening applies nothing twice and keeps the data", func(t *testing.T) {
				s := openTest(t, dsn, 1)
				got, err := s.SchemaVersion(ctx)
				if err != nil || got != want {
					t.Errorf("schema version %d, %v; want %d", got, err, want)
				}
				var n int
				if err := s.DB().QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
					t.Fatal(err)
				}
				ms, _ := loadMigrations(s.Dialect())
				if n != len(ms) {
					t.Errorf("%d migrations recorded, %d embedded", n, len(ms))
				}
				if _, err := s.SchoolByName(ctx, "保留小学"); err != nil {
					t.Errorf("school lost on reopen: %v", err)
				}
			})
		})
	}
}

func TestDialectsAgree(t *testing.T) {
	t.Parallel()
	t.Run("both migration folders have the same files", func(t *testing.T) {
		a, err := loadMigrations(SQLite)
		if err != nil {
			t.Fatal(err)
		}
		b, err := loadMigrations(Postgres)
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != len(b) {
			t.Fatalf("%d SQLite migrations, %d PostgreSQL", len(a), len(b))
		}
		for i := range a {
			if a[i].name != b[i].name {
				t.Errorf("migration %d: %s vs %s", i, a[i].name, b[i].name)
			}
		}
	})
	t.Run("no file in the migration folders is left out of the build", func(t *testing.T) {
		// The embed pattern takes *.sql only: a migration saved as .SQL or
		// .sql.txt would silently never run.
		var names [2][]string
		for i, d := range []Dialect{SQLite, Postgres} {
			entries, err := os.ReadDir("migrations/" + string(d))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if !strings.HasSuffix(e.Name(), ".sql") {
					t.Errorf("migrations/%s/%s is not a .sql file", d, e.Name())
				}
				names[i] = append(names[i], e.Name())
			}
		}
		if strings.Join(names[0], " ") != strings.Join(names[1], " ") {
			t.Errorf("SQLite migrations %v, PostgreSQL %v", names[0], names[1])
		}
	})
	t.Run("rebind numbers placeholders outside quotes on PostgreSQL only", func(t *testing.T) {
		q := `SELECT '?' FROM t WHERE a = ? AND b IN (?, ?)`
		if got := rebind(Postgres, q); got != `SELECT '?' FROM t WHERE a = $1 AND b IN ($2, $3)` {
			t.Errorf("postgres: %s", got)
		}
		if got := rebind(SQLite, q); got != q {
			t.Errorf("sqlite: %s", got)
		}
	})
	t.Run("an SQLite DSN gets the pragmas and its directory", func(t *testing.T) {
		dir := t.TempDir() + "/a/b"
		d, driver, src, err := parseDSN("file:" + dir + "/x.db?_pragma=busy_timeout(100)&_txlock=deferred")
		if err != nil || d != SQLite || driver != "sqlite" {
			t.Fatalf("%v %v %v", d, driver, err)
		}
		for _, want := range []string{"busy_timeout%28100%29", "journal_mode%28WAL%29", "foreign_keys%281%29", "_txlock=immediate", "_time_format=sqlite"} {
			if !strings.Contains(src, want) {
				t.Errorf("DSN %s lacks %s", src, want)
			}
		}
		if strings.Contains(src, "busy_timeout%285000") {
			t.Errorf("DSN %s overrides the caller's busy_timeout", src)
		}
		if strings.Contains(src, "deferred") {
			t.Errorf("DSN %s keeps deferred transactions", src)
		}
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("database directory not created: %v", err)
		}
	})
}

func TestUsersAndAudit(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		if n, err := s.CountUsers(ctx); err != nil || n != 0 {
			t.Fatalf("new database has %d users, %v", n, err)
		}
		sc := mustSchool(t, s, "账号小学")
		admin, err := s.CreateUser(ctx, User{Username: "admin", DisplayName: "管理员", Role: RoleDistrictAdmin, PasswordHash: "h1", MustChangePassword: true})
		if err != nil {
			t.Fatal(err)
		}
		teacher, err := s.CreateUser(ctx, User{Username: "li", Role: RoleTeacher, SchoolID: sc.ID})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("users are stored and found by name and id", func(t *testing.T) {
			u, err := s.UserByUsername(ctx, "admin")
			if err != nil || u.ID != admin.ID || u.SchoolID != 0 || !u.MustChangePassword || u.Role != RoleDistrictAdmin || !u.CreatedAt.Equal(testNow) {
				t.Errorf("admin = %+v, %v", u, err)
			}
			u, err = s.User(ctx, teacher.ID)
			if err != nil || u.SchoolID != sc.ID {
				t.Errorf("teacher = %+v, %v", u, err)
			}
			if us, _ := s.Users(ctx); len(us) != 2 {
				t.Errorf("%d users listed", len(us))
			}
		})
		t.Run("a taken username or unknown role is refused", func(t *testing.T) {
			if _, err := s.CreateUser(ctx, User{Username: "admin", Role: RoleTeacher}); err == nil {
				t.Error("duplicate username accepted")
			}
			if _, err := s.CreateUser(ctx, User{Username: "x", Role: "king"}); err == nil {
				t.Error("unknown role accepted")
			}
		})
		t.Run("a password change clears the forced change", func(t *testing.T) {
			if err := s.SetPassword(ctx, admin.ID, "h2", false); err != nil {
				t.Fatal(err)
			}
			u, _ := s.User(ctx, admin.ID)
			if u.PasswordHash != "h2" || u.MustChangePassword {
				t.Errorf("after SetPassword: %+v", u)
			}
			if err := s.SetPassword(ctx, 9999, "h", false); !errors.Is(err, ErrNotFound) {
				t.Errorf("unknown user: %v", err)
			}
		})
		t.Run("the audit log lists newest first with who", func(t *testing.T) {
			if err := s.Audit(ctx, admin.ID, "roster.import", "实验小学 三年级2班"); err != nil {
				t.Fatal(err)
			}
			if err := s.Audit(ctx, 0, "system.start", ""); err != nil {
				t.Fatal(err)
			}
			log, err := s.AuditLog(ctx, 10)
			if err != nil || len(log) != 2 {
				t.Fatalf("log = %+v, %v", log, err)
			}
			if log[0].Action != "system.start" || log[0].UserID != 0 || log[1].UserID != admin.ID || !log[1].At.Equal(testNow) {
				t.Errorf("log = %+v", log)
			}
		})
		t.Run("teachers are assigned classes", func(t *testing.T) {
			res := mustImport(t, s, sc.ID, ImportOptions{}, genClass(1, 1, 0, 1))
			cid := res.Classes[0].ID
			for range 2 {
				if err := s.AssignTeacher(ctx, teacher.ID, cid); err != nil {
					t.Fatal(err)
				}
			}
			ids, err := s.TeacherClassIDs(ctx, teacher.ID)
			if err != nil || len(ids) != 1 || ids[0] != cid {
				t.Errorf("classes = %v, %v", ids, err)
			}
			if err := s.UnassignTeacher(ctx, teacher.ID, cid); err != nil {
				t.Fatal(err)
			}
			if ids, _ := s.TeacherClassIDs(ctx, teacher.ID); len(ids) != 0 {
				t.Errorf("after unassign: %v", ids)
			}
		})
		t.Run("schools are listed and found", func(t *testing.T) {
			_, created, err := s.EnsureSchool(ctx, " 账号小学 ")
			if err != nil || created {
				t.Errorf("existing school created again: %v %v", created, err)
			}
			if _, err := s.SchoolByName(ctx, "无此校"); !errors.Is(err, ErrNotFound) {
				t.Errorf("missing school: %v", err)
			}
			if ss, _ := s.Schools(ctx); len(ss) != 1 {
				t.Errorf("schools = %+v", ss)
			}
		})
	})
}

func TestInMemorySQLite(t *testing.T) {
	t.Parallel()
	t.Run("an in-memory database keeps its data across calls", func(t *testing.T) {
		s := openTest(t, ":memory:", 1)
		ctx := context.Background()
		mustSchool(t, s, "内存小学")
		for range 3 {
			if _, err := s.SchoolByName(ctx, "内存小学"); err != nil {
				t.Fatal(err)
			}
		}
	})
}
