// Package storetest gives tests of any package a real database: SQLite in
// the test's folder always, PostgreSQL in a schema of the test's own when
// JIASHU_TEST_POSTGRES_DSN is set, and a seeded school whose letters are
// written with raw SQL (so a fixture does not depend on the import
// pipeline it may be testing).
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"jiashu/store"
)

// PostgresEnv names the variable holding a PostgreSQL DSN for the tests.
const PostgresEnv = "JIASHU_TEST_POSTGRES_DSN"

// DSNs are the databases a test runs on: SQLite always, PostgreSQL when
// PostgresEnv is set; each fresh and the test's own.
func DSNs(t testing.TB) map[string]string {
	out := map[string]string{"sqlite": filepath.Join(t.TempDir(), "test.db")}
	if dsn := os.Getenv(PostgresEnv); dsn != "" {
		out["postgres"] = PostgresSchema(t, dsn)
	}
	return out
}

var schemaSeq atomic.Int64

// PostgresSchema makes a schema of the test's own on dsn and returns a DSN
// using it; the schema is dropped when the test ends.
func PostgresSchema(t testing.TB, dsn string) string {
	t.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := fmt.Sprintf("t_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, schemaSeq.Add(1))
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

// Open opens dsn and closes it when the test ends.
func Open(t testing.TB, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// StudentNames are the students of a one-class school: a middle dot and
// markup among them, as real rosters and attackers have.
var StudentNames = []string{"王小明", "李华", "买买提·艾力", "<b>张</b>伟"}

// School is what Seed made.
type School struct {
	SchoolID   int64
	ClassID    int64 // the first class
	CampaignID int64
	TeacherID  int64    // liteacher, head teacher of the first class
	Tokens     []string // a letter per student, in order
	Students   []int64
	Names      []string
}

// Produced is when the seeded letters were produced.
var Produced = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)

// Seed inserts a school with classes × perClass students of grade 3, each
// with a guardian and a delivered letter in a campaign with the quiz on.
func Seed(t testing.TB, s *store.Store, classes, perClass int) School {
	t.Helper()
	ctx := context.Background()
	now := s.Now()
	row := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := s.DB().QueryRowContext(ctx, s.Rebind(q+" RETURNING id"), args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := s.DB().ExecContext(ctx, s.Rebind(q), args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var f School
	f.SchoolID = row(`INSERT INTO schools (name, created_at) VALUES (?, ?)`, "阳光实验小学", now)
	f.CampaignID = row(`INSERT INTO campaigns (name, quiz_enabled, ack_deadline, created_at) VALUES ('2026年秋季防诈家书', TRUE, '2026-12-01', ?)`, now)
	exec(`INSERT INTO campaign_schools (campaign_id, school_id) VALUES (?, ?)`, f.CampaignID, f.SchoolID)
	f.TeacherID = row(`INSERT INTO users (username, display_name, role, school_id, created_at) VALUES ('liteacher', '李老师', 'teacher', ?, ?)`, f.SchoolID, now)
	n := 0
	for c := 0; c < classes; c++ {
		classID := row(`INSERT INTO classes (school_id, grade, number, name, head_teacher) VALUES (?, 3, ?, ?, '李老师')`,
			f.SchoolID, c+1, fmt.Sprintf("三年级%d班", c+1))
		if c == 0 {
			f.ClassID = classID
			exec(`INSERT INTO teacher_classes (user_id, class_id) VALUES (?, ?)`, f.TeacherID, classID)
		}
		for i := 0; i < perClass; i++ {
			n++
			name := fmt.Sprintf("学生%d", n)
			if classes == 1 && i < len(StudentNames) {
				name = StudentNames[i]
			}
			sid := row(`INSERT INTO students (school_id, class_id, number, name, updated_at) VALUES (?, ?, ?, ?, ?)`,
				f.SchoolID, classID, fmt.Sprintf("S%06d", n), name, now)
			gid := row(`INSERT INTO guardians (school_id, name, relation, mobile) VALUES (?, ?, '母亲', ?)`,
				f.SchoolID, name+"妈妈", fmt.Sprintf("139%08d", n))
			exec(`INSERT INTO student_guardians (student_id, guardian_id, position) VALUES (?, ?, 1)`, sid, gid)
			token := Token(n)
			exec(`INSERT INTO letters (campaign_id, student_id, token, status, produced_at) VALUES (?, ?, ?, 'delivered', ?)`,
				f.CampaignID, sid, token, Produced)
			f.Tokens = append(f.Tokens, token)
			f.Students = append(f.Students, sid)
			f.Names = append(f.Names, name)
		}
	}
	return f
}

// Token makes a distinct valid letter token for n.
func Token(n int) string {
	const a = store.TokenAlphabet
	b := []byte("TEST00000000")
	for i := len(b) - 1; i >= 4; i-- {
		b[i] = a[n%len(a)]
		n /= len(a)
	}
	return string(b)
}

// LockAccount locks username's sign-in as an attack from many addresses
// does (store.DefaultLoginPolicy.AccountLock failures and one more, each
// from an address of its own in 10.250.0.0/16).
func LockAccount(t testing.TB, s *store.Store, username string) {
	t.Helper()
	for i := range store.DefaultLoginPolicy.AccountLock + 1 {
		if _, err := s.ReserveLoginAttempt(context.Background(), username, fmt.Sprintf("10.250.%d.%d", i/200, i%200)); err != nil {
			t.Fatal(err)
		}
	}
}
