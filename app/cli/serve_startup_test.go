package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"jiashu/store"
	"jiashu/store/storetest"
)

// asAppEnv makes this test binary run as the app (TestMain): the tests
// below start real processes without building the binary.
const asAppEnv = "JIASHU_TEST_RUN_AS_APP"

func TestMain(m *testing.M) {
	if os.Getenv(asAppEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// serveProcess is `app serve` running as a process of its own.
type serveProcess struct {
	base   string // http://127.0.0.1:port, once it serves
	output string // stdout and stderr until it served (or exited)
	err    error
}

// startTogether starts n instances of `app serve args…` at once and
// waits until each serves or exits; they are killed when the test ends.
func startTogether(t *testing.T, n int, args ...string) []serveProcess {
	t.Helper()
	out := make([]serveProcess, n)
	var wg sync.WaitGroup
	for i := range out {
		cmd := exec.Command(os.Args[0], append([]string{"serve", "--addr", "127.0.0.1:0", "--base-url", "http://127.0.0.1"}, args...)...)
		cmd.Env = []string{asAppEnv + "=1", "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
		pr, pw := io.Pipe()
		cmd.Stdout, cmd.Stderr = pw, pw
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { err := cmd.Wait(); pw.Close(); exited <- err }()
		t.Cleanup(func() {
			cmd.Process.Kill()
			select {
			case <-exited:
			case <-time.After(10 * time.Second):
			}
		})
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = watchInstance(pr, exited)
		}()
	}
	wg.Wait()
	return out
}

// watchInstance reads an instance's output until it serves, exits or
// takes too long.
func watchInstance(r io.Reader, exited <-chan error) serveProcess {
	serving := regexp.MustCompile(`msg=serving addr=(\S+)`)
	lines, found := make(chan string, 1000), make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if m := serving.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
			select {
			case lines <- sc.Text():
			default:
			}
		}
		io.Copy(io.Discard, r)
	}()
	var in serveProcess
	select {
	case a := <-found:
		in.base = "http://" + a
	case err := <-exited:
		in.err = fmt.Errorf("exited: %v", err)
	case <-time.After(3 * time.Minute):
		in.err = fmt.Errorf("did not serve within 3 minutes")
	}
	time.Sleep(100 * time.Millisecond) // the lines printed with it
	for {
		select {
		case l := <-lines:
			in.output += l + "\n"
		default:
			return in
		}
	}
}

// TestInstancesStartingTogetherShareTheStartUp: four instances started at
// once on a new database — an SQLite file, a PostgreSQL schema — all
// serve; the first administrator is created once and its one-time
// password printed by exactly one of them, and it signs in.
func TestInstancesStartingTogetherShareTheStartUp(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts server processes")
	}
	dbs := map[string]string{"sqlite": filepath.Join(t.TempDir(), "new.db")}
	if dsn := os.Getenv(storetest.PostgresEnv); dsn != "" {
		dbs["postgres"] = storetest.PostgresSchema(t, dsn)
	}
	password := regexp.MustCompile(`一次性密码 (\S+)`)
	for name, db := range dbs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			started := startTogether(t, 4, "--db", db, "--data-dir", t.TempDir())
			client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			var passwords []string
			for i, in := range started {
				if in.err != nil {
					t.Fatalf("instance %d: %v\n%s", i, in.err, in.output)
				}
				if r, err := client.Get(in.base + "/healthz"); err != nil || r.StatusCode != http.StatusOK {
					t.Fatalf("instance %d /healthz: %v %v\n%s", i, r, err, in.output)
				}
				for _, m := range password.FindAllStringSubmatch(in.output, -1) {
					passwords = append(passwords, m[1])
				}
			}
			if len(passwords) != 1 {
				t.Fatalf("%d one-time passwords printed, want exactly one: %q", len(passwords), passwords)
			}
			st, err := store.Open(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if n, err := st.CountUsers(context.Background()); err != nil || n != 1 {
				t.Fatalf("%d users (%v), want the one administrator", n, err)
			}
			r, err := client.PostForm(started[3].base+"/login", url.Values{"username": {"admin"}, "password": {passwords[0]}})
			if err != nil || r.StatusCode != http.StatusSeeOther {
				t.Fatalf("admin signs in with the printed password: %v %v", r, err)
			}
		})
	}
}

// TestDemoInstancesStartingTogether: three `serve --demo` at once on a new
// data folder all serve, and the demo district is there once.
func TestDemoInstancesStartingTogether(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts server processes")
	}
	dir := t.TempDir()
	for i, in := range startTogether(t, 3, "--demo", "--data-dir", dir) {
		if in.err != nil {
			t.Fatalf("instance %d: %v\n%s", i, in.err, in.output)
		}
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var schools, campaigns int
	st.DB().QueryRow(`SELECT COUNT(*) FROM schools`).Scan(&schools)
	st.DB().QueryRow(`SELECT COUNT(*) FROM campaigns`).Scan(&campaigns)
	if schools != len(demoSchools()) || campaigns < 1 {
		t.Fatalf("%d schools, %d campaigns after three demo starts", schools, campaigns)
	}
	if _, err := st.UserByUsername(context.Background(), demoCenter); err != nil {
		t.Fatal(err)
	}
}
