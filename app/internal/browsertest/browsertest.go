// Package browsertest gives the tests of the web pages a real headless
// Chromium (Debian's, with the flags this closed network needs) and a
// folder for the screenshots and downloads a person looks at afterwards.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium starts a headless Debian Chromium for a test (with the flags
// this closed network needs), or skips when there is none — and fails under
// CI, which installs it. opts add to the defaults (window size, user agent).
func Chromium(t *testing.T, timeout time.Duration, opts ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path := os.Getenv("JIASHU_TEST_CHROMIUM")
	if path == "" {
		path, _ = exec.LookPath("chromium")
	} else if _, err := os.Stat(path); err != nil {
		path = ""
	}
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium not found (set JIASHU_TEST_CHROMIUM)")
		}
		t.Skip("chromium not found: install Debian's chromium or set JIASHU_TEST_CHROMIUM")
	}
	all := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()),
	}, opts...)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), all...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancel3)
	return ctx
}

// Artifacts is the folder for a test's screenshots and downloads:
// $JIASHU_ARTIFACTS/sub, or artifacts/sub at the repository root (gitignored).
func Artifacts(t *testing.T, sub string) string {
	t.Helper()
	dir := os.Getenv("JIASHU_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(repoRoot(), "artifacts")
	}
	dir = filepath.Join(dir, sub)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// repoRoot is the repository's root, found from this file's place in it.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}
