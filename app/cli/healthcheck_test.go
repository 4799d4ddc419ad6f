package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHealthcheckExitsByTheServersAnswer: the container's health check
// passes on 200 and fails on 503 or on no server at all; without --url it
// asks the listen address, on loopback when the server listens everywhere.
func TestHealthcheckExitsByTheServersAnswer(t *testing.T) {
	t.Parallel()
	status := http.StatusOK
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	defer hs.Close()
	addr := strings.TrimPrefix(hs.URL, "http://")
	if code, out, errs := runEnv(t, map[string]string{"JIASHU_ADDR": addr}, "healthcheck"); code != exitOK {
		t.Fatalf("200: exit %d %s%s", code, out, errs)
	}
	status = http.StatusServiceUnavailable
	if code, _, _ := runEnv(t, nil, "healthcheck", "--url", hs.URL+"/healthz"); code != exitProblems {
		t.Errorf("503: exit %d", code)
	}
	hs.Close()
	if code, _, _ := runEnv(t, nil, "healthcheck", "--url", hs.URL+"/healthz"); code != exitProblems {
		t.Errorf("no server: exit %d", code)
	}
	for addr, want := range map[string]string{":8080": "http://127.0.0.1:8080/healthz", "0.0.0.0:80": "http://127.0.0.1:80/healthz", "[::1]:8081": "http://[::1]:8081/healthz", "10.0.0.5:8082": "http://10.0.0.5:8082/healthz"} {
		if got := healthURL(addr); got != want {
			t.Errorf("healthURL(%q) = %q, want %q", addr, got, want)
		}
	}
}
