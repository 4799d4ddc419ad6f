package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jiashu/app/config"
	"jiashu/grade"
	"jiashu/letters"
	"jiashu/store"
	"jiashu/store/storetest"
)

// parentFixture is a seeded district for the parents' pages: one school,
// a class per age group in use, students with guardians, a campaign with
// the quiz on, and a letter per student.
type parentFixture struct {
	st         *store.Store
	srv        *Server
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
var parentStudentNames = storetest.StudentNames

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
	cfg := config.Config{Addr: "127.0.0.1:0", BaseURL: "https://jiashu.example.edu.cn", BaseURLGiven: true, DataDir: t.TempDir(),
		AgeGroups: grade.DefaultMapping(), MaxUploadBytes: 1 << 20, LogFormat: "text"}
	logw := io.Discard
	if testing.Verbose() {
		logw = os.Stderr
	}
	srv, err := New(cfg, st, slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	f.srv, f.h = srv, checked(t, srv.Handler())
	return f
}

// seed inserts classes × perClass students with letters (raw SQL, so the
// fixture does not depend on the import pipeline).
func (f *parentFixture) seed(t testing.TB, classes, perClass int) {
	t.Helper()
	sc := storetest.Seed(t, f.st, classes, perClass)
	f.schoolID, f.classID, f.campaignID, f.teacherID = sc.SchoolID, sc.ClassID, sc.CampaignID, sc.TeacherID
	f.tokens, f.students, f.names = sc.Tokens, sc.Students, sc.Names
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

// quizKey is the right answers (A, B, C …) of the age group's letter, so
// tests answer the letter the library holds, whichever edition it is.
func quizKey(t testing.TB, ageGroup string) string {
	t.Helper()
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := eng.Library().Template(ageGroup)
	if err != nil {
		t.Fatal(err)
	}
	key := ""
	for _, q := range tpl.Quiz {
		key += string(rune('A' + q.Answer))
	}
	return key
}
