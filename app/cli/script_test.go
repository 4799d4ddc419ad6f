package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jiashu/app/internal/apitest"
	"jiashu/roster/rostertest"
)

// TestTheDistrictScriptsRunAgainstTheDemo: the "script the district"
// examples of docs/api.md, docs/scripts/district.sh (bash and curl) and
// district.py (Python's standard library), run against a real `serve
// --demo`, through the checker of docs/openapi.yaml: each creates a
// campaign, imports both schools' rosters from a folder, produces the
// letters, downloads the ZIP (a folder per school, a PDF per class) and the
// reach report.
func TestTheDistrictScriptsRunAgainstTheDemo(t *testing.T) {
	t.Parallel()
	base := startDemo(t)
	token := demoToken(t, base, demoCenter)
	spec, err := apitest.Load(apitest.DocPath(), apitest.ModeFromEnv(apitest.Strict))
	if err != nil {
		t.Fatal(err)
	}
	target, _ := url.Parse(base)
	proxy := httptest.NewServer(spec.Handler(t, httputil.NewSingleHostReverseProxy(target)))
	t.Cleanup(proxy.Close)
	rosters := demoRosters(t, "城东实验学校", "城西实验学校")
	scripts := filepath.Join("..", "..", "docs", "scripts")
	for i, sc := range []struct {
		name  string
		tools []string
		cmd   []string
	}{
		{"bash and curl", []string{"bash", "curl"}, []string{"bash", filepath.Join(scripts, "district.sh")}},
		{"python's standard library", []string{"python3"}, []string{"python3", filepath.Join(scripts, "district.py")}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			for _, tool := range sc.tools {
				if _, err := exec.LookPath(tool); err != nil {
					t.Skipf("%s is not installed: the script needs it", tool)
				}
			}
			out := t.TempDir()
			name := fmt.Sprintf("脚本活动%d", i+1)
			cmd := exec.Command(sc.cmd[0], append(sc.cmd[1:], name, rosters, out)...)
			cmd.Env = append(os.Environ(), "J="+proxy.URL, "TOKEN="+token)
			printed, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v: %v\n%s", sc.cmd, err, printed)
			}
			for _, want := range []string{"campaign ", "imported 城东实验学校", "imported 城西实验学校", "letters.zip", "report.xlsx"} {
				if !strings.Contains(string(printed), want) {
					t.Errorf("the script did not print %q:\n%s", want, printed)
				}
			}
			checkLettersZIP(t, filepath.Join(out, "letters.zip"))
			checkReport(t, filepath.Join(out, "report.xlsx"), name)
		})
	}
	for _, m := range spec.Mismatches() {
		t.Logf("API differs from docs/openapi.yaml: %s → %d (%s): %s", m.Route, m.Status, m.Request, m.Problem)
	}
}

// startDemo runs `serve --demo` in-process on a free port until the test
// ends, and answers its URL.
func startDemo(t *testing.T) (base string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	base = "http://" + addr
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	logPath := filepath.Join(t.TempDir(), "serve.log")
	logs, err := os.Create(logPath) // a file: the server's goroutines write to it at once
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logs.Close() })
	go func() {
		done <- Run(ctx, []string{"serve", "--demo", "--addr", addr, "--base-url", base, "--data-dir", t.TempDir()},
			func(string) string { return "" }, io.Discard, logs)
	}()
	t.Cleanup(func() { cancel(); <-done })
	for start := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Since(start) > 2*time.Minute {
			printed, _ := os.ReadFile(logPath)
			t.Fatalf("the demo did not start:\n%s", printed)
		}
	}
	return base
}

// demoToken signs in as a demo account and makes an API token on its
// account page, as a person does.
func demoToken(t *testing.T, base, user string) string {
	t.Helper()
	status, client := signIn(t, base, user, demoPassword)
	if status != http.StatusSeeOther {
		t.Fatalf("signing in as %s: %d", user, status)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/account/tokens", strings.NewReader("name=script"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	token := regexp.MustCompile(`jst_[A-Za-z0-9_-]+`).FindString(string(page))
	if token == "" {
		t.Fatalf("no token on %s's account page (%d)", user, res.StatusCode)
	}
	return token
}

// demoRosters writes a folder with a roster of every grade for each school.
func demoRosters(t *testing.T, schools ...string) string {
	t.Helper()
	dir := t.TempDir()
	for i, school := range schools {
		var buf bytes.Buffer
		if err := rostertest.Generate(&buf, 60, rostertest.PerClass(5), rostertest.School(school), rostertest.Seed(uint64(i+1))); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, school), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, school, "全校名册.xlsx"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// checkLettersZIP: a folder per school, a PDF per class, each a PDF.
func checkLettersZIP(t *testing.T, path string) {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("letters: %v", err)
	}
	defer z.Close()
	folders := map[string]int{}
	for _, f := range z.File {
		school, class, ok := strings.Cut(f.Name, "/")
		if !ok || !strings.HasSuffix(class, ".pdf") {
			t.Errorf("letters ZIP holds %s, not school/class.pdf", f.Name)
			continue
		}
		folders[school]++
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		head := make([]byte, 5)
		io.ReadFull(r, head)
		r.Close()
		if string(head) != "%PDF-" {
			t.Errorf("%s is not a PDF", f.Name)
		}
	}
	if folders["城东实验学校"] < 12 || folders["城西实验学校"] < 12 {
		t.Errorf("letters ZIP: PDFs per school %v, want a class of every grade in each", folders)
	}
}

// checkReport: the reach report opens in Excel and names the campaign.
func checkReport(t *testing.T, path, campaign string) {
	t.Helper()
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	defer x.Close()
	rows, err := x.GetRows("汇总")
	if err != nil {
		t.Fatalf("report: %v (sheets %v)", err, x.GetSheetList())
	}
	found := false
	for _, row := range rows {
		found = found || strings.Contains(strings.Join(row, " "), campaign)
	}
	if !found {
		t.Errorf("the report's 汇总 does not name the campaign %s", campaign)
	}
}
