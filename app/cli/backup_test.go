package cli

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"jiashu/app/config"
	"jiashu/app/web"
	"jiashu/grade"
	"jiashu/store"
	"jiashu/store/storetest"
)

// serveStore serves st through the real router.
func serveStore(t *testing.T, st *store.Store) *httptest.Server {
	t.Helper()
	cfg := config.Config{Addr: "127.0.0.1:0", BaseURL: "http://jiashu.test", DataDir: t.TempDir(),
		AgeGroups: grade.DefaultMapping(), MaxUploadBytes: 1 << 20, LogFormat: "text"}
	srv, err := web.New(cfg, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs
}

// TestBackupDuringAcknowledgementsRestoresEveryAnsweredOne: parents keep
// acknowledging while `app backup` runs against the live database; the
// backup restores (only once the server has stopped) to a working service
// that holds every acknowledgement answered with success before the backup
// began.
func TestBackupDuringAcknowledgementsRestoresEveryAnsweredOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "jiashu.db")
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	seed := storetest.Seed(t, st, 4, 100)
	hs := serveStore(t, st)
	client := hs.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	var mu sync.Mutex
	answered := map[string]bool{} // acknowledged with success, so far
	next := make(chan string)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for tok := range next {
				res, err := client.PostForm(hs.URL+"/a/"+tok, url.Values{"relation": {"母亲"}})
				if err != nil {
					t.Error(err)
					continue
				}
				res.Body.Close()
				if res.StatusCode == http.StatusSeeOther {
					mu.Lock()
					answered[tok] = true
					mu.Unlock()
				}
			}
		}()
	}
	backup := filepath.Join(dir, "backup.db")
	backedUp := make(chan map[string]bool)
	go func() {
		for i, tok := range seed.Tokens {
			if i == len(seed.Tokens)/2 {
				// Half-way: snapshot what was answered, then back up while
				// the other half is being acknowledged.
				mu.Lock()
				before := make(map[string]bool, len(answered))
				for k := range answered {
					before[k] = true
				}
				mu.Unlock()
				go func() {
					var out, errb bytes.Buffer
					if code := Run(ctx, []string{"backup", "--db", dbPath, backup}, noEnv, &out, &errb); code != exitOK {
						t.Errorf("backup: exit %d: %s", code, errb.String())
					}
					backedUp <- before
				}()
			}
			next <- tok
		}
		close(next)
	}()
	before := <-backedUp
	wg.Wait()
	if len(before) == 0 {
		t.Fatal("no acknowledgement answered before the backup: the test proves nothing")
	}

	t.Run("a restore refuses while the server has the database open", func(t *testing.T) {
		var errb bytes.Buffer
		if code := Run(ctx, []string{"restore", "--db", dbPath, backup}, noEnv, &bytes.Buffer{}, &errb); code == exitOK || !strings.Contains(errb.String(), "数据库正在被使用，请先停止服务") {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
	})
	hs.Close()
	st.Close()
	t.Run("a file that is no backup is refused", func(t *testing.T) {
		var errb bytes.Buffer
		bogus := filepath.Join(dir, "notes.txt")
		writeFile(t, bogus, "not a database")
		if code := Run(ctx, []string{"restore", "--db", dbPath, bogus}, noEnv, &bytes.Buffer{}, &errb); code == exitOK || !strings.Contains(errb.String(), "不是本服务可用的备份文件") {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
	})
	var errb bytes.Buffer
	if code := Run(ctx, []string{"restore", "--db", dbPath, backup}, noEnv, &bytes.Buffer{}, &errb); code != exitOK {
		t.Fatalf("restore: exit %d: %s", code, errb.String())
	}
	restored, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	t.Run("every acknowledgement answered before the backup is in the restored database", func(t *testing.T) {
		for tok := range before {
			l, err := restored.ParentLetterByToken(ctx, tok)
			if err != nil || l.AcknowledgedAt.IsZero() {
				t.Fatalf("letter %s answered before the backup: acknowledged %v (%v)", tok, l.AcknowledgedAt, err)
			}
		}
	})
	t.Run("the restored service works: a letter not yet acknowledged can be", func(t *testing.T) {
		hs := serveStore(t, restored)
		var open string
		for _, tok := range seed.Tokens {
			if l, err := restored.ParentLetterByToken(ctx, tok); err == nil && l.AcknowledgedAt.IsZero() {
				open = tok
				break
			}
		}
		if open == "" {
			t.Skip("every letter was acknowledged before the backup")
		}
		res, err := http.PostForm(hs.URL+"/a/"+open, url.Values{"relation": {"父亲"}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if l, _ := restored.ParentLetterByToken(ctx, open); l.AcknowledgedAt.IsZero() {
			t.Fatalf("acknowledging on the restored service: status %d, not recorded", res.StatusCode)
		}
	})
}

// noEnv is an empty environment.
func noEnv(string) string { return "" }

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
