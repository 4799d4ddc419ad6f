package apitest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// The description's examples are a run of a district's script against
// `serve --demo`: every operation carries x-run (one run or a list of
// them), saying which demo account sends it, with which path and query
// parameters, and what it answers; the body is the request's example
// unless the run gives its own. Runs lists them in the order the document
// gives them, for a test to send one after the other.

// Run is one example request and what it answers.
type Run struct {
	Operation string // "POST /schools", as described
	Method    string
	Target    string // the path under Prefix with its parameters and query
	As        string // the demo account whose token sends it
	Body      []byte // JSON, nil for none
	Status    int    // the status it answers
	// Same are fields of the answer (dotted paths) whose values must be
	// those of the response example of Status.
	Same    []string
	Example any
	// Wait is a job to wait for (finished) before sending.
	Wait int64
	// Today are fields of the body that take today's date in China (a
	// class meeting's day may not be older than a year).
	Today []string
	// Skip says why the operation is not run (it is run elsewhere).
	Skip string
}

// xRun is an operation's x-run.
type xRun struct {
	As     string          `json:"as"`
	Params map[string]any  `json:"params"`
	Query  map[string]any  `json:"query"`
	Body   json.RawMessage `json:"body"`
	Status int             `json:"status"`
	Same   []string        `json:"same"`
	Wait   int64           `json:"wait"`
	Today  []string        `json:"today"`
	Skip   string          `json:"skip"`
}

// Runs lists the example runs in document order; an operation without
// x-run is an error, so that no example is left unrun by oversight.
func (s *Spec) Runs(path string) ([]Run, error) {
	order, err := documentOrder(path)
	if err != nil {
		return nil, err
	}
	var out []Run
	for _, op := range order {
		method, p, _ := strings.Cut(op, " ")
		item := s.Doc.Paths.Value(p)
		if item == nil || item.GetOperation(method) == nil {
			return nil, fmt.Errorf("apitest: %s is in the text but not in the description", op)
		}
		o := item.GetOperation(method)
		raw, ok := o.Extensions["x-run"]
		if !ok {
			return nil, fmt.Errorf("apitest: %s has no x-run (how its example runs against the demo)", op)
		}
		b, _ := json.Marshal(raw)
		var xs []xRun
		if len(b) > 0 && b[0] != '[' {
			b = append(append([]byte{'['}, b...), ']')
		}
		if err := json.Unmarshal(b, &xs); err != nil {
			return nil, fmt.Errorf("apitest: %s: x-run: %w", op, err)
		}
		for _, x := range xs {
			r, err := makeRun(op, method, p, o, x)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// makeRun reads one run of an operation.
func makeRun(op, method, path string, o *openapi3.Operation, x xRun) (Run, error) {
	r := Run{Operation: op, Method: method, As: x.As, Status: x.Status, Same: x.Same, Wait: x.Wait, Today: x.Today, Skip: x.Skip}
	if r.Skip != "" {
		return r, nil
	}
	if r.As == "" {
		return Run{}, fmt.Errorf("apitest: %s: x-run names no account (as)", op)
	}
	r.Target = fillPath(path, x.Params) + query(x.Query)
	if strings.Contains(r.Target, "{") {
		return Run{}, fmt.Errorf("apitest: %s: x-run lacks a path parameter: %s", op, r.Target)
	}
	if len(x.Body) > 0 {
		r.Body = x.Body
	} else if rb := o.RequestBody; rb != nil && rb.Value != nil {
		if mt := rb.Value.Content.Get("application/json"); mt != nil && mt.Example != nil {
			r.Body, _ = json.Marshal(mt.Example)
		}
	}
	if r.Status == 0 {
		r.Status = lowestSuccess(o)
	}
	if res := o.Responses.Status(r.Status); res != nil && res.Value != nil {
		if mt := res.Value.Content.Get("application/json"); mt != nil {
			r.Example = mt.Example
		}
	}
	if len(r.Same) > 0 && r.Example == nil {
		return Run{}, fmt.Errorf("apitest: %s: x-run compares %v, but the %d answer has no example", op, r.Same, r.Status)
	}
	return r, nil
}

// fillPath puts the parameters into a described path.
func fillPath(path string, params map[string]any) string {
	for k, v := range params {
		path = strings.ReplaceAll(path, "{"+k+"}", url.PathEscape(fmt.Sprint(v)))
	}
	return path
}

// query writes parameters as a query string, in name order.
func query(q map[string]any) string {
	if len(q) == 0 {
		return ""
	}
	v := url.Values{}
	for k, x := range q {
		v.Set(k, fmt.Sprint(x))
	}
	return "?" + v.Encode()
}

// lowestSuccess is the first 2xx status the operation describes.
func lowestSuccess(o *openapi3.Operation) int {
	var codes []int
	for code := range o.Responses.Map() {
		if n, err := strconv.Atoi(code); err == nil && n >= 200 && n < 300 {
			codes = append(codes, n)
		}
	}
	sort.Ints(codes)
	if len(codes) == 0 {
		return 200
	}
	return codes[0]
}

var (
	pathLine   = regexp.MustCompile(`^  (/[^:]*):\s*$`)
	methodLine = regexp.MustCompile(`^    (get|put|post|delete|patch):\s*$`)
)

// documentOrder lists the operations as the file writes them: the paths
// at two spaces, their methods at four.
func documentOrder(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("apitest: %w", err)
	}
	defer f.Close()
	var out []string
	current, inPaths := "", false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "paths:":
			inPaths = true
		case inPaths && line != "" && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "#"):
			return out, sc.Err()
		case !inPaths:
		case pathLine.MatchString(line):
			current = pathLine.FindStringSubmatch(line)[1]
		case methodLine.MatchString(line) && current != "":
			out = append(out, strings.ToUpper(methodLine.FindStringSubmatch(line)[1])+" "+current)
		}
	}
	return out, sc.Err()
}

// Same compares the fields of an answer with the example's: the first
// difference, or "".
func Same(answer []byte, example any, fields []string) string {
	var got any
	if err := json.Unmarshal(answer, &got); err != nil {
		return "the answer is not JSON: " + err.Error()
	}
	want, _ := json.Marshal(example)
	var exp any
	json.Unmarshal(want, &exp)
	for _, f := range fields {
		g, w := field(got, f), field(exp, f)
		gb, _ := json.Marshal(g)
		wb, _ := json.Marshal(w)
		if string(gb) != string(wb) {
			return fmt.Sprintf("%s is %s, the example says %s", f, gb, wb)
		}
	}
	return ""
}

// field is the value at a dotted path ("user.username", "schools.0.id").
func field(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}
