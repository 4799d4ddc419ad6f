package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A letter whose QR code leads to localhost is a letter the school must
// print again: without a public base URL, letters refuses to write any.
func TestLettersNeedAPublicBaseURL(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if code, _, errs := cli(t, dir, "import", "--school", "实验小学", fixture("clean-class-utf8.csv")); code != exitOK {
		t.Fatalf("import: exit %d %s", code, errs)
	}
	written := func(out string) int {
		files, _ := filepath.Glob(filepath.Join(out, "*.pdf"))
		return len(files)
	}
	refused := func(t *testing.T, code int, stderr, out string) {
		t.Helper()
		if code != exitUnusable {
			t.Fatalf("exit %d, want %d: %s", code, exitUnusable, stderr)
		}
		for _, want := range []string{"--base-url", "JIASHU_BASE_URL", "http://localhost:8080"} {
			if !strings.Contains(stderr, want) {
				t.Fatalf("refusal does not name %s:\n%s", want, stderr)
			}
		}
		if n := written(out); n != 0 {
			t.Fatalf("refused, yet %d PDFs written", n)
		}
	}

	t.Run("refused without a base URL", func(t *testing.T) {
		out := filepath.Join(dir, "none")
		code, _, errs := cli(t, dir, "letters", "--school", "实验小学", "--out", out)
		refused(t, code, errs, out)
	})
	t.Run("refused with the loopback default of the listen address", func(t *testing.T) {
		out := filepath.Join(dir, "loopback")
		code, _, errs := cli(t, dir, "letters", "--school", "实验小学", "--addr", "127.0.0.1:9090", "--out", out)
		if code != exitUnusable || !strings.Contains(errs, "http://127.0.0.1:9090") || !strings.Contains(errs, "JIASHU_BASE_URL") {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if n := written(out); n != 0 {
			t.Fatalf("refused, yet %d PDFs written", n)
		}
	})
	t.Run("an explicit loopback URL is accepted for a trial print, with a note", func(t *testing.T) {
		out := filepath.Join(dir, "trial")
		code, stdout, errs := cli(t, dir, "letters", "--school", "实验小学", "--base-url", "http://localhost:8080", "--out", out)
		if code != exitOK || written(out) != 1 {
			t.Fatalf("exit %d, %d PDFs: %s", code, written(out), errs)
		}
		if !strings.Contains(errs, "只在本机能打开") {
			t.Fatalf("no note that the trial URL works on this machine only: %s", errs)
		}
		if !strings.Contains(stdout, "http://localhost:8080/a/") {
			t.Fatalf("summary does not print the URL: %s", stdout)
		}
	})
	t.Run("the environment variable gives it too, and the summary prints it", func(t *testing.T) {
		out := filepath.Join(dir, "env")
		var so, se bytes.Buffer
		getenv := func(k string) string {
			return map[string]string{"JIASHU_DATA_DIR": dir, "JIASHU_BASE_URL": "https://jx.example.cn/"}[k]
		}
		code := Run(context.Background(), []string{"letters", "--school", "实验小学", "--out", out}, getenv, &so, &se)
		if code != exitOK || written(out) != 1 {
			t.Fatalf("exit %d: %s", code, se.String())
		}
		if !strings.Contains(so.String(), "https://jx.example.cn/a/") || strings.Contains(se.String(), "本机") {
			t.Fatalf("summary %q, stderr %q", so.String(), se.String())
		}
		if _, err := os.Stat(filepath.Join(out, "三年级2班.pdf")); err != nil {
			t.Fatal(err)
		}
	})
}
