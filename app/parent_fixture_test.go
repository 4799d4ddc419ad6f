package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jiashu/grade"
	"jiashu/store"
)

// parentFixture is a seeded district for the parents' pages: one school,
// a class per age group in use, students with guardians, a campaign with
// the quiz on, and a letter per student.
type parentFixture struct {
	st         *store.Store
	srv        *server
	h          http.Handler
	schoolID   int64
	classID    int64
	campaignID int64
	teacherID  int64
	tokens     []string // one per student, in order
	students   []int64
	names      []string
}

// parentStudentNames are the students of the fixture's class.
var parentStudentNames = []string{"王小明", "李华", "买买提·艾力", "<b>张</b>伟"}

func newParentFixture(t testing.TB, dsn string) *parentFixture {
	t.Helper()
	ctx := context.Background()
	if dsn == "" {
		dsn = filepath.Join(t.TempDir(), "parent.db")
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &parentFixture{st: st}
	f.seed(t, 1, len(parentStudentNames))
	cfg := Config{Addr: "127.0.0.1:0", BaseURL: "https://jiashu.example.edu.cn", DataDir: t.TempDir(),
		AgeGroups: grade.DefaultMapping(), MaxUploadBytes: 1 << 20, LogFormat: "text"}
	logw := io.Discard
	if testing.Verbose() {
		logw = os.Stderr
	}
	srv, err := newServer(cfg, st, slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	f.srv, f.h = srv, srv.handler()
	return f
}

// seed inserts classes × perClass students with letters (raw SQL, so the
// fixture does not depend on the import pipeline).
func (f *parentFixture) seed(t testing.TB, classes, perClass int) {
	t.Helper()
	ctx := context.Background()
	s := f.st
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
	f.schoolID = row(`INSERT INTO schools (name, created_at) VALUES (?, ?)`, "阳光实验小学", now)
	f.campaignID = row(`INSERT INTO campaigns (name, quiz_enabled, ack_deadline, created_at) VALUES ('2026年秋季防诈家书', TRUE, '2026-12-01', ?)`, now)
	exec(`INSERT INTO campaign_schools (campaign_id, school_id) VALUES (?, ?)`, f.campaignID, f.schoolID)
	f.teacherID = row(`INSERT INTO users (username, display_name, role, school_id, created_at) VALUES ('liteacher', '李老师', 'teacher', ?, ?)`, f.schoolID, now)
	produced := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	n := 0
	for c := 0; c < classes; c++ {
		classID := row(`INSERT INTO classes (school_id, grade, number, name, head_teacher) VALUES (?, 3, ?, ?, '李老师')`,
			f.schoolID, c+1, fmt.Sprintf("三年级%d班", c+1))
		if c == 0 {
			f.classID = classID
			exec(`INSERT INTO teacher_classes (user_id, class_id) VALUES (?, ?)`, f.teacherID, classID)
		}
		for i := 0; i < perClass; i++ {
			n++
			name := fmt.Sprintf("学生%d", n)
			if classes == 1 && i < len(parentStudentNames) {
				name = parentStudentNames[i]
			}
			sid := row(`INSERT INTO students (school_id, class_id, number, name, updated_at) VALUES (?, ?, ?, ?, ?)`,
				f.schoolID, classID, fmt.Sprintf("S%06d", n), name, now)
			gid := row(`INSERT INTO guardians (school_id, name, relation, mobile) VALUES (?, ?, '母亲', ?)`,
				f.schoolID, name+"妈妈", fmt.Sprintf("139%08d", n))
			exec(`INSERT INTO student_guardians (student_id, guardian_id, position) VALUES (?, ?, 1)`, sid, gid)
			token := testToken(n)
			exec(`INSERT INTO letters (campaign_id, student_id, token, status, produced_at) VALUES (?, ?, ?, 'delivered', ?)`,
				f.campaignID, sid, token, produced)
			f.tokens = append(f.tokens, token)
			f.students = append(f.students, sid)
			f.names = append(f.names, name)
		}
	}
}

// testToken makes a distinct valid token for n.
func testToken(n int) string {
	const a = store.TokenAlphabet
	b := []byte("TEST00000000")
	for i := len(b) - 1; i >= 4; i-- {
		b[i] = a[n%len(a)]
		n /= len(a)
	}
	return string(b[:4]) + string(b[4:])
}

// do sends a request to the real router.
func (f *parentFixture) do(t testing.TB, method, target string, form url.Values, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		if k == "RemoteAddr" {
			req.RemoteAddr = v
			continue
		}
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}
