package web

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"jiashu/store"
)

// buildApp builds the real binary once per test into a temp folder.
func buildApp(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "app")
	cmd := exec.Command("go", "build", "-o", bin, "jiashu/app")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go build: %v", err)
	}
	return bin
}

// appProcess is the real server running as a child process.
type appProcess struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
}

// startApp runs `app serve` on a free loopback port with the given
// database and waits until it listens.
func startApp(t *testing.T, bin, db, dataDir string) *appProcess {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db, "--data-dir", dataDir, "--base-url", "http://127.0.0.1")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &appProcess{cmd: cmd}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`msg=serving addr=(\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	select {
	case a := <-addr:
		p.base = "http://" + a
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
	return p
}

// TestAcknowledgementSurvivesKill9 acknowledges letters against the real
// server, kills it with SIGKILL as soon as enough successes have come back,
// restarts it and finds every confirmed acknowledgement.
func TestAcknowledgementSurvivesKill9(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "durable.db")
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	f := &parentFixture{st: st}
	f.seed(t, 1, 40)
	st.Close()

	bin := buildApp(t)
	app := startApp(t, bin, db, dir)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 10 * time.Second}

	var mu sync.Mutex
	var confirmed []string
	enough := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for _, tok := range f.tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.PostForm(app.base+"/a/"+tok, url.Values{"relation": {"母亲"}, "c": {"q"}})
			if err != nil {
				return // the server was killed first: not confirmed, no claim
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				return
			}
			mu.Lock()
			confirmed = append(confirmed, tok)
			if len(confirmed) == 10 {
				once.Do(func() { close(enough) })
			}
			mu.Unlock()
		}()
	}
	select {
	case <-enough:
	case <-time.After(20 * time.Second):
		t.Fatal("too few acknowledgements succeeded")
	}
	if err := app.cmd.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	app.cmd.Wait()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d acknowledgements confirmed before kill -9", len(confirmed))

	again := startApp(t, bin, db, dir)
	for _, tok := range confirmed {
		resp, err := client.Get(again.base + "/a/" + tok)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		bufio.NewReader(resp.Body).WriteTo(&b)
		resp.Body.Close()
		if !strings.Contains(b.String(), "您已确认收到") {
			t.Errorf("acknowledgement of %s confirmed with 303 was lost", tok)
		}
	}
}
