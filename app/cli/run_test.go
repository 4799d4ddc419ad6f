package cli

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"jiashu/app/config"
	"jiashu/app/web"
	"jiashu/grade"
	"jiashu/store"
)

// testConfig is the settings of an in-process test: loopback, a base URL
// of its own, the test's folder for data.
func testConfig(t testing.TB) config.Config {
	return config.Config{Addr: "127.0.0.1:0", BaseURL: "http://jiashu.test", BaseURLGiven: true, DataDir: t.TempDir(),
		AgeGroups: grade.DefaultMapping(), MaxUploadBytes: 2 << 20, LogFormat: "text"}
}

// serveTest serves the web site on st for the test.
func serveTest(t *testing.T, cfg config.Config, st *store.Store) *httptest.Server {
	t.Helper()
	srv, err := web.New(cfg, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs
}

// signIn posts the login form as a browser would and returns the status
// and the client holding the session.
func signIn(t *testing.T, base, username, password string) (int, *http.Client) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(url.Values{"username": {username}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, client
}
