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

// axeScript finds axe-core's axe.min.js: $JIASHU_TEST_AXE, or
// node_modules/axe-core at the repository root (`npm install --no-save
// axe-core`; gitignored). It skips the test when there is none, and fails
// under CI, which installs it.
func axeScript(t *testing.T) string {
	t.Helper()
	path := os.Getenv("JIASHU_TEST_AXE")
	if path == "" {
		path = filepath.Join(repoRoot(), "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core not found (set JIASHU_TEST_AXE): %v", err)
		}
		t.Skipf("axe-core not found: set JIASHU_TEST_AXE to axe.min.js, or npm install --no-save axe-core (%v)", err)
	}
	return string(b)
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
// 24 px target size) on the page open in ctx and
// fails the test for every violation; name says which page it was.
func Axe(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	script := axeScript(t)
	vs, err := func() ([]AxeViolation, error) {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](script)); err != nil {
			return nil, err
		}
		return chromedp.Run(ctx, chromedp.Evaluate[[]AxeViolation](`axe.run(document, {runOnly: {type: "tag",
			values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}).then(r => r.violations)`, chromedp.EvalAwaitPromise))
	}()
	if err != nil {
		t.Fatalf("axe on %s: %v", name, err)
	}
	for _, v := range vs {
		t.Errorf("axe on %s: %s", name, v)
	}
}
