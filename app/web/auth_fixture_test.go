package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"jiashu/app/config"
	"jiashu/grade"
	"jiashu/store"
	"jiashu/store/storetest"

	"golang.org/x/crypto/bcrypt"
)

// testPassword is every fixture account's password.
const testPassword = "correct-horse-7"

// webFixture is a district of two schools served by the real router:
//
//	school A (阳光小学): classes A1 三年级2班 (teacher "ta") and A2 五年级3班 (teacher "tb")
//	school B (明德中学): class B1 初一1班 (teacher "tc")
//	accounts: "district" (教管中心), "reviewer", "adminA"/"adminB" (学校管理员).
type webFixture struct {
	st                   *store.Store
	cfg                  config.Config
	srv                  *httptest.Server
	schoolA, schoolB     int64
	classA1, classA2     int64
	classB1              int64
	studentA1, studentB1 int64 // one student of A1 and of B1
	users                map[string]store.User
}

// webDSNs are the databases the web tests run on: SQLite always,
// PostgreSQL (a schema of the test's own) when JIASHU_TEST_POSTGRES_DSN is set.
func webDSNs(t *testing.T) map[string]string { return storetest.DSNs(t) }

func testConfig(t testing.TB) config.Config {
	return config.Config{Addr: "127.0.0.1:0", BaseURL: "http://jiashu.test", BaseURLGiven: true, DataDir: t.TempDir(),
		AgeGroups: grade.DefaultMapping(), MaxUploadBytes: 2 << 20, LogFormat: "text"}
}

// newWebFixture seeds the district into dsn and serves it.
func newWebFixture(t *testing.T, dsn string) *webFixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &webFixture{st: st, cfg: testConfig(t), users: map[string]store.User{}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	a, _, err := st.EnsureSchool(ctx, "阳光小学")
	must(err)
	b, _, err := st.EnsureSchool(ctx, "明德中学")
	must(err)
	f.schoolA, f.schoolB = a.ID, b.ID
	a1, err := st.EnsureClass(ctx, a.ID, 3, 2, "三年级2班")
	must(err)
	a2, err := st.EnsureClass(ctx, a.ID, 5, 3, "五年级3班")
	must(err)
	b1, err := st.EnsureClass(ctx, b.ID, 7, 1, "初一1班")
	must(err)
	f.classA1, f.classA2, f.classB1 = a1.ID, a2.ID, b1.ID
	f.studentA1 = f.addStudent(t, a.ID, a1.ID, "A0001", "王小明", "13800001234")
	f.addStudent(t, a.ID, a1.ID, "A0002", "李华", "")
	f.studentB1 = f.addStudent(t, b.ID, b1.ID, "B0001", "赵敏", "13900005678")
	hash, err := fixtureHash(testPassword)
	must(err)
	for _, u := range []struct {
		name   string
		role   store.Role
		school int64
		class  int64
	}{
		{"district", store.RoleDistrictAdmin, 0, 0},
		{"reviewer", store.RoleReviewer, 0, 0},
		{"adminA", store.RoleSchoolAdmin, a.ID, 0},
		{"adminB", store.RoleSchoolAdmin, b.ID, 0},
		{"ta", store.RoleTeacher, a.ID, a1.ID},
		{"tb", store.RoleTeacher, a.ID, a2.ID},
		{"tc", store.RoleTeacher, b.ID, b1.ID},
	} {
		made, err := st.CreateUser(ctx, store.User{Username: u.name, DisplayName: u.name + "老师", Role: u.role, SchoolID: u.school, PasswordHash: hash})
		must(err)
		if u.class != 0 {
			must(st.AssignTeacher(ctx, made.ID, u.class))
		}
		f.users[u.name] = made
	}
	f.srv = f.serve(t, st)
	return f
}

// serve starts another instance of the service on st.
func (f *webFixture) serve(t *testing.T, st *store.Store) *httptest.Server {
	t.Helper()
	srv, err := New(f.cfg, st, slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(checked(t, srv.Handler()))
	t.Cleanup(hs.Close)
	return hs
}

func (f *webFixture) addStudent(t *testing.T, schoolID, classID int64, number, name, mobile string) int64 {
	t.Helper()
	ctx := context.Background()
	s := f.st
	var sid, gid int64
	if err := s.DB().QueryRowContext(ctx, s.Rebind(`INSERT INTO students (school_id, class_id, number, name, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`),
		schoolID, classID, number, name, s.Now()).Scan(&sid); err != nil {
		t.Fatal(err)
	}
	if err := s.DB().QueryRowContext(ctx, s.Rebind(`INSERT INTO guardians (school_id, name, relation, mobile) VALUES (?, ?, '母亲', ?) RETURNING id`),
		schoolID, name+"妈妈", mobile).Scan(&gid); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, s.Rebind(`INSERT INTO student_guardians (student_id, guardian_id, position) VALUES (?, ?, 1)`), sid, gid); err != nil {
		t.Fatal(err)
	}
	return sid
}

// browser is a client with a cookie jar that sends what a browser sends on
// same-origin requests (Sec-Fetch-Site) and does not follow redirects, so
// tests see them.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// response is what a test looks at.
type response struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

func (b *browser) do(req *http.Request, header ...string) response {
	b.t.Helper()
	if req.Method != http.MethodGet {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Origin", b.base)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Body: string(body), Location: res.Header.Get("Location"), Header: res.Header}
}

func (b *browser) get(path string, header ...string) response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	return b.do(req, header...)
}

// follow loads the page a form's 303 leads to (post/redirect/get), as a
// browser does; any other answer is returned as it is.
func (b *browser) follow(r response) response {
	b.t.Helper()
	if r.Status != http.StatusSeeOther {
		return r
	}
	return b.get(strings.TrimPrefix(r.Location, b.base))
}

func (b *browser) post(path string, form url.Values, header ...string) response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req, header...)
}

// upload posts a multipart form with file under "file" and fields.
func (b *browser) upload(path, filename string, data []byte, fields map[string]string, header ...string) response {
	b.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", filename)
	fw.Write(data)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req, header...)
}

// login signs in and fails the test unless it worked.
func (b *browser) login(username string) {
	b.t.Helper()
	r := b.post("/login", url.Values{"username": {username}, "password": {testPassword}})
	if r.Status != http.StatusSeeOther {
		b.t.Fatalf("login %s: status %d, body %.300s", username, r.Status, r.Body)
	}
}

// cookie returns the browser's cookie name for the server.
func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.base)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func strconvFormat(n int64) string { return fmt.Sprint(n) }

// testLogWriter sends the server's warnings and errors to the test log,
// shown when a test fails.
type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// fixture is a roster workbook of the roster package's test data.
func fixture(name string) string { return filepath.Join("..", "..", "roster", "testdata", name) }

// fixtureHash hashes a fixture account's password at bcrypt's lowest cost:
// signing in checks whatever cost the stored hash names, and a test suite
// of hundreds of sign-ins on two cores need not spend seconds in bcrypt.
func fixtureHash(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
	return string(h), err
}

// sendJSON sends body as JSON with method and the browser's session: a
// string is sent as it is, anything else encoded.
func (b *browser) sendJSON(method, path string, body any) response {
	b.t.Helper()
	var buf bytes.Buffer
	switch v := body.(type) {
	case nil:
	case string:
		buf.WriteString(v)
	default:
		json.NewEncoder(&buf).Encode(v)
	}
	req, _ := http.NewRequest(method, b.base+path, &buf)
	req.Header.Set("Content-Type", "application/json")
	return b.do(req)
}
