package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"
	"time"

	"jiashu/app/campaign"
	"jiashu/app/internal/apitest"
)

// TestTheDocumentsExamplesRunInOrderAgainstTheDemo: docs/openapi.yaml's
// examples are one run of a district against a new `serve --demo`: every
// operation's x-run is sent in the order the document lists them, with a
// token of the demo account it names, through the checker of the document
// (strict), and answers the status it says, with the fields it shows.
func TestTheDocumentsExamplesRunInOrderAgainstTheDemo(t *testing.T) {
	t.Parallel()
	spec, err := apitest.Load(apitest.DocPath(), apitest.ModeFromEnv(apitest.Strict))
	if err != nil {
		t.Fatal(err)
	}
	runs, err := spec.Runs(apitest.DocPath())
	if err != nil {
		t.Fatal(err)
	}
	base := startDemo(t)
	target, _ := url.Parse(base)
	proxy := httptest.NewServer(spec.Handler(t, httputil.NewSingleHostReverseProxy(target)))
	t.Cleanup(proxy.Close)
	tokens := map[string]string{}
	sent := 0
	for i, r := range runs {
		if r.Skip != "" {
			t.Logf("%s is not run here: %s", r.Operation, r.Skip)
			continue
		}
		if tokens[r.As] == "" {
			tokens[r.As] = demoToken(t, base, r.As)
		}
		ex := example{t: t, base: proxy.URL + apitest.Prefix, token: tokens[r.As]}
		if r.Wait != 0 {
			ex.waitForJob(r.Wait)
		}
		status, body := ex.send(r)
		sent++
		if status != r.Status {
			t.Errorf("example %d, %s %s as %s: %d, the document says %d: %.300s", i+1, r.Method, r.Target, r.As, status, r.Status, body)
			continue
		}
		if len(r.Same) > 0 {
			if diff := apitest.Same(body, r.Example, r.Same); diff != "" {
				t.Errorf("example %d, %s %s: %s", i+1, r.Method, r.Target, diff)
			}
		}
	}
	t.Logf("%d examples sent, in the document's order", sent)
}

// example sends one example run with a token.
type example struct {
	t     *testing.T
	base  string
	token string
}

// send sends r and answers its status and body.
func (e example) send(r apitest.Run) (int, []byte) {
	e.t.Helper()
	body := r.Body
	if len(r.Today) > 0 {
		body = withToday(e.t, body, r.Today)
	}
	req, _ := http.NewRequest(r.Method, e.base+r.Target, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(res.Body)
	return res.StatusCode, answer
}

// waitForJob polls a job until it has finished (done, failed, cancelled).
func (e example) waitForJob(id int64) {
	e.t.Helper()
	for start := time.Now(); time.Since(start) < 5*time.Minute; time.Sleep(200 * time.Millisecond) {
		status, body := e.send(apitest.Run{Method: http.MethodGet, Target: fmt.Sprintf("/jobs/%d", id)})
		var j struct {
			Status string `json:"status"`
		}
		json.Unmarshal(body, &j)
		switch {
		case status != http.StatusOK:
			e.t.Fatalf("job %d: %d %s", id, status, body)
		case j.Status == "done" || j.Status == "failed" || j.Status == "cancelled":
			return
		}
	}
	e.t.Fatalf("job %d did not finish", id)
}

// withToday sets the named fields of a JSON body to today's date in China.
func withToday(t *testing.T, body []byte, fields []string) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("a body with today's date: %v", err)
	}
	for _, f := range fields {
		m[f] = time.Now().In(campaign.ChinaTime).Format(time.DateOnly)
	}
	out, _ := json.Marshal(m)
	return out
}
