package parent

import (
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

	"github.com/gin-gonic/gin"

	"jiashu/app/content"
	"jiashu/app/locale"
	"jiashu/assets"
	"jiashu/grade"
	"jiashu/letters"
	"jiashu/store"
	"jiashu/store/storetest"
)

// fixture is the parents' site alone on a router of its own (no staff
// site, no session), over a real database with a seeded school: one class
// of the storetest students, each with a letter in a campaign with the quiz.
type fixture struct {
	dsn    string
	st     *store.Store
	site   *Site
	h      http.Handler
	now    func() time.Time // the site's clock; tests may set it
	tokens []string         // one per student, in order
}

func newFixture(t testing.TB, dsn string) *fixture {
	t.Helper()
	if dsn == "" {
		dsn = filepath.Join(t.TempDir(), "parent.db")
	}
	st := storetest.Open(t, dsn)
	sc := storetest.Seed(t, st, 1, len(storetest.StudentNames))
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locale.Load(assets.Web)
	if err != nil {
		t.Fatal(err)
	}
	logw := io.Discard
	if testing.Verbose() {
		logw = os.Stderr
	}
	f := &fixture{dsn: dsn, st: st, now: time.Now, tokens: sc.Tokens}
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelWarn}))
	f.site, f.h = f.instance(t, st, eng, cat, log)
	return f
}

// instance is a site on st (another instance has a connection pool of its
// own on the same database) with the fixture's clock, on a router of its
// own.
func (f *fixture) instance(t testing.TB, st *store.Store, eng *letters.Engine, cat *locale.Catalogue, log *slog.Logger) (*Site, http.Handler) {
	t.Helper()
	site, err := New(st, content.NewEngines(st, eng), cat, grade.DefaultMapping(), func() time.Time { return f.now() }, log)
	if err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	site.Register(r)
	return site, r
}

// another is a second instance of the site on the fixture's database.
func (f *fixture) another(t testing.TB) http.Handler {
	t.Helper()
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locale.Load(assets.Web)
	if err != nil {
		t.Fatal(err)
	}
	_, h := f.instance(t, storetest.Open(t, f.dsn), eng, cat, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return h
}

// do sends a request to the site; header "RemoteAddr" sets the client's
// address.
func (f *fixture) do(t testing.TB, method, target string, form url.Values, header map[string]string) *httptest.ResponseRecorder {
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

// quizKey is the right answers (A, B, C …) of the age group's letter.
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

// wrong is an answer other than right among three options.
func wrong(right byte) string { return string(rune('A' + (right-'A'+1)%3)) }
