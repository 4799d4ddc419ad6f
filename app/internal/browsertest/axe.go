package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A test that checks its pages with axe-core says so where it starts its
// browser: ctx := browsertest.WithAxe(t, browsertest.Chromium(t, …)). The
// script is found (or the test skipped) there, in the test's own
// goroutine; Axe, which subtests call, then never skips or stops a test,
// so a subtest cannot end its parent (a FailNow or SkipNow on a parent
// from a subtest is a panic).

// axeKey keys the script in a browser's context.
type axeKey struct{}

// axeScript finds axe-core's axe.min.js: $JIASHU_TEST_AXE, or
// node_modules/axe-core at the repository root (`npm install --no-save
// axe-core`; gitignored).
func axeScript() (string, error) {
	path := os.Getenv("JIASHU_TEST_AXE")
	if path == "" {
		path = filepath.Join(repoRoot(), "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// WithAxe makes the browser of ctx ready for Axe. Without axe-core it
// skips the test t (one line saying how to get it), and fails it under
// CI, which installs it. Call it from the test that owns ctx, before any
// subtest.
func WithAxe(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	script, err := axeScript()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core not found (set JIASHU_TEST_AXE): %v", err)
		}
		t.Skip("axe-core not found: set JIASHU_TEST_AXE to axe.min.js, or npm install --no-save axe-core")
	}
	return context.WithValue(ctx, axeKey{}, script)
}

// AxeViolation is one WCAG rule a page breaks, with the elements that do.
type AxeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

func (v AxeViolation) String() string {
	var els []string
	for _, n := range v.Nodes {
		els = append(els, fmt.Sprint(n.Target)+" "+n.HTML)
	}
	return v.ID + " (" + v.Help + "): " + strings.Join(els, "; ")
}

// Axe runs axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules (2.2 adds the
// 24 px target size) on the page open in ctx (a browser made ready by
// WithAxe) and reports every violation as an error of t; name says which
// page it was. It only ever reports (t.Errorf), so a subtest may pass its
// parent's t.
func Axe(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	script, ok := ctx.Value(axeKey{}).(string)
	if !ok {
		t.Errorf("axe on %s: the browser was not made ready for axe (browsertest.WithAxe where the test starts it)", name)
		return
	}
	vs, err := func() ([]AxeViolation, error) {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](script)); err != nil {
			return nil, err
		}
		return chromedp.Run(ctx, chromedp.Evaluate[[]AxeViolation](`axe.run(document, {runOnly: {type: "tag",
			values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}).then(r => r.violations)`, chromedp.EvalAwaitPromise))
	}()
	if err != nil {
		t.Errorf("axe on %s: %v", name, err)
		return
	}
	for _, v := range vs {
		t.Errorf("axe on %s: %s", name, v)
	}
}
