// Package apitest holds the service's /api/v1 to its description,
// docs/openapi.yaml: a test wraps the real router in Spec.Handler, and every
// API request the test makes is validated, request and answer, with
// kin-openapi's openapi3filter. In strict mode a difference fails the test
// that made the request; in report mode it is collected, and the test
// binary's TestMain writes the list (WriteReport).
package apitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Prefix is where the described API lives; other paths pass unchecked.
const Prefix = "/api/v1"

// Mode says what a difference does.
type Mode int

const (
	// Report collects differences for WriteReport; tests go on.
	Report Mode = iota
	// Strict fails the test that made the request.
	Strict
)

// ModeFromEnv reads JIASHU_API_CHECK: "report" or "strict" (the default
// is def).
func ModeFromEnv(def Mode) Mode {
	switch os.Getenv("JIASHU_API_CHECK") {
	case "report":
		return Report
	case "strict":
		return Strict
	}
	return def
}

// Spec is the loaded description, its router and the differences found.
type Spec struct {
	Doc    *openapi3.T
	router routers.Router
	mode   Mode

	mu    sync.Mutex
	found map[string]*Mismatch
	seen  map[string]bool // "GET /classes/{id}": operations requested
}

// Mismatch is one way the service and the description disagree, counted
// over every request that showed it.
type Mismatch struct {
	Route   string // "GET /classes/{id}" as described, or the raw path
	Request string // the first request that showed it: "GET /api/v1/classes/3?page=9"
	Status  int    // what the service answered
	Problem string // what differs
	Test    string // the first test that showed it
	Count   int
}

// DocPath is docs/openapi.yaml of this repository, found from this file.
func DocPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "docs", "openapi.yaml")
}

// Load reads and validates the description at path.
func Load(path string, mode Mode) (*Spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("apitest: %s: %w", path, err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("apitest: %s does not validate: %w", path, err)
	}
	r, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("apitest: router of %s: %w", path, err)
	}
	return &Spec{Doc: doc, router: r, mode: mode, found: map[string]*Mismatch{}, seen: map[string]bool{}}, nil
}

// Operations lists the described operations as "METHOD /api/v1/path/{param}".
func (s *Spec) Operations() []string {
	var out []string
	for path, item := range s.Doc.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, method+" "+Prefix+path)
		}
	}
	sort.Strings(out)
	return out
}

// Handler wraps next: requests under Prefix are checked against the
// description; t is the test they are charged to.
func (s *Spec) Handler(t testing.TB, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, Prefix+"/") && r.URL.Path != Prefix {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for _, p := range s.check(r, body, rec) {
			s.note(t, r, rec.Code, p)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}

// note records or reports one difference.
func (s *Spec) note(t testing.TB, r *http.Request, status int, p problem) {
	if s.mode == Strict {
		t.Errorf("API differs from docs/openapi.yaml: %s %s → %d: %s", r.Method, r.URL.RequestURI(), status, p.text)
		return
	}
	key := p.route + "|" + fmt.Sprint(status) + "|" + valueless(p.text)
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.found[key]; m != nil {
		m.Count++
		return
	}
	s.found[key] = &Mismatch{Route: p.route, Request: r.Method + " " + r.URL.RequestURI(), Status: status,
		Problem: p.text, Test: t.Name(), Count: 1}
}

// valueless is a difference's text without the values and indices that
// vary from request to request, so that it is listed once.
func valueless(text string) string {
	text = quoted.ReplaceAllString(text, "$1'…'")
	return digits.ReplaceAllString(text, "N")
}

var (
	quoted = regexp.MustCompile(`(^|[\s:(])'[^']*'`) // a value, not the apostrophe of "doesn't"
	digits = regexp.MustCompile(`[0-9]+`)
)

// Unrequested lists the described operations no request reached.
func (s *Spec) Unrequested() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, op := range s.Operations() {
		if !s.seen[strings.Replace(op, " "+Prefix, " ", 1)] {
			out = append(out, op)
		}
	}
	return out
}

// Mismatches are the differences collected in report mode, by route.
func (s *Spec) Mismatches() []Mismatch {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Mismatch, 0, len(s.found))
	for _, m := range s.found {
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Route != out[j].Route {
			return out[i].Route < out[j].Route
		}
		if out[i].Status != out[j].Status {
			return out[i].Status < out[j].Status
		}
		return out[i].Problem < out[j].Problem
	})
	return out
}

// WriteReport writes the collected differences, a paragraph per route and
// status.
func (s *Spec) WriteReport(w io.Writer) {
	list := s.Mismatches()
	fmt.Fprintf(w, "%d differences between /api/v1 and docs/openapi.yaml\n", len(list))
	last := ""
	for _, m := range list {
		if head := fmt.Sprintf("%s → %d", m.Route, m.Status); head != last {
			fmt.Fprintf(w, "\n%s (first: %s in %s)\n", head, m.Request, m.Test)
			last = head
		}
		fmt.Fprintf(w, "  - %s (%d×)\n", m.Problem, m.Count)
	}
	if ops := s.Unrequested(); len(ops) > 0 {
		fmt.Fprintf(w, "\n%d described operations no request reached:\n  %s\n", len(ops), strings.Join(ops, "\n  "))
	}
}

// problem is one difference of one exchange.
type problem struct{ route, text string }

// check validates one exchange: the route, the request, and the answer.
func (s *Spec) check(r *http.Request, body []byte, rec *httptest.ResponseRecorder) []problem {
	// The router matches the path only: a copy without scheme and host.
	vr := r.Clone(context.Background())
	vr.URL = &url.URL{Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
	vr.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := s.router.FindRoute(vr)
	raw := r.Method + " " + r.URL.Path
	if err != nil {
		return s.checkUnrouted(raw, vr, err, rec)
	}
	name := r.Method + " " + route.Path
	s.mu.Lock()
	s.seen[name] = true
	s.mu.Unlock()
	// Cache-Control and the error shape are in every described answer, so
	// the answer's validation covers them.
	var out []problem
	reqIn := &openapi3filter.RequestValidationInput{Request: vr, PathParams: params, Route: route,
		Options: &openapi3filter.Options{MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	reqErr := openapi3filter.ValidateRequest(context.Background(), reqIn)
	if reqErr == nil && isJSON(r.Header.Get("Content-Type")) && !utf8.Valid(body) {
		reqErr = errors.New("the JSON body is not valid UTF-8")
	}
	if mediaTypeRefused(route, r, body) && !refusedFirst(rec.Code) && rec.Code != http.StatusUnsupportedMediaType {
		out = append(out, problem{name, fmt.Sprintf("a body of type %q, which the operation does not take, answered %d, not 415",
			r.Header.Get("Content-Type"), rec.Code)})
	}
	if reqErr != nil && rec.Code < 400 {
		out = append(out, problem{name, "the service accepted a request the description refuses: " + short(reqErr)})
	}
	resIn := &openapi3filter.ResponseValidationInput{RequestValidationInput: reqIn, Status: rec.Code, Header: rec.Header(),
		Body:    io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), resIn); err != nil {
		out = append(out, problem{name, "answer: " + short(err)})
	}
	return out
}

// checkUnrouted: a path the description lacks must answer 404, a method
// it lacks 405 with Allow; both in the error shape, not stored.
func (s *Spec) checkUnrouted(raw string, r *http.Request, err error, rec *httptest.ResponseRecorder) []problem {
	var re *routers.RouteError
	if !errors.As(err, &re) {
		return []problem{{raw, "router: " + err.Error()}}
	}
	var out []problem
	// The router tells a method the path lacks from a path it lacks only
	// for paths without parameters: ask for the path's other methods.
	want := s.allowed(r)
	switch {
	case re.Reason == routers.ErrMethodNotAllowed.Error() || want != "":
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != want {
			out = append(out, problem{raw, fmt.Sprintf("a method the path does not have: want 405 with Allow: %s, got %d with Allow: %q",
				want, rec.Code, rec.Header().Get("Allow"))})
		}
	default:
		if rec.Code != http.StatusNotFound {
			out = append(out, problem{raw, fmt.Sprintf("a path the description does not have answered %d, not 404", rec.Code)})
		}
	}
	return append(out, conventions(raw, rec)...)
}

// allowed lists the methods the description has for r's path.
func (s *Spec) allowed(r *http.Request) string {
	var methods []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		c := r.Clone(context.Background())
		c.Method = m
		if _, _, err := s.router.FindRoute(c); err == nil {
			methods = append(methods, m)
		}
	}
	return strings.Join(methods, ", ")
}

// conventions the answers to paths and methods the description lacks keep:
// not stored, and in the one error shape.
func conventions(route string, rec *httptest.ResponseRecorder) []problem {
	var out []problem
	if rec.Code >= 400 && !strings.Contains(rec.Body.String(), `"error":{"code":`) {
		out = append(out, problem{route, fmt.Sprintf("error answer not in the error shape (%s): %.120q",
			rec.Header().Get("Content-Type"), rec.Body.String())})
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		out = append(out, problem{route, fmt.Sprintf("Cache-Control is %q, not no-store", cc)})
	}
	return out
}

// mediaTypeRefused says whether r carries a body of a media type the
// operation does not take (which must answer 415).
func mediaTypeRefused(route *routers.Route, r *http.Request, body []byte) bool {
	if len(body) == 0 {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return true
	}
	rb := route.Operation.RequestBody
	if rb == nil || rb.Value == nil {
		// An operation without a body ignores a JSON one.
		return mt != "application/json"
	}
	return rb.Value.Content.Get(mt) == nil
}

// refusedFirst: answers that may come before the body is looked at (who
// is asking, whether they may, whether the service has room).
func refusedFirst(status int) bool {
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusServiceUnavailable:
		return true
	}
	return false
}

func isJSON(ct string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "application/json")
}

// short keeps a validation error readable: kin-openapi's messages repeat
// the schema and the value; this keeps each finding's sentence. Values are
// left out so that one difference seen with many values is listed once.
func short(err error) string {
	var parts []string
	for _, part := range strings.Split(err.Error(), " | ") {
		head, _, _ := strings.Cut(part, "\nSchema:")
		head = strings.TrimSpace(head)
		if len(head) > 300 {
			head = head[:300] + " …"
		}
		if head != "" && !slices.Contains(parts, head) {
			parts = append(parts, head)
		}
	}
	return strings.Join(parts, "; ")
}
