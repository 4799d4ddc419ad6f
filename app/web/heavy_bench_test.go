package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"jiashu/roster/rostertest"
	"jiashu/store"
)

// BenchmarkParallelRosterPreviews: eight school administrators preview a
// 5,000-student roster (the import cap) at the same moment, through the
// real router and the API on SQLite; reports the peak heap (HeapInuse sampled every 20
// ms) and the process's peak resident memory (VmHWM), and how many were
// told to retry.
//
//	go test -run XXX -bench ParallelRosterPreviews -benchtime 3x ./app/web/
func BenchmarkParallelRosterPreviews(b *testing.B) {
	var buf bytes.Buffer
	if err := rostertest.Generate(&buf, 5000, rostertest.OneSheet(), rostertest.Seed(13)); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	sc, _, err := st.EnsureSchool(ctx, "实验学校")
	if err != nil {
		b.Fatal(err)
	}
	admin, err := st.CreateUser(ctx, store.User{Username: "admin", DisplayName: "管理员", Role: store.RoleSchoolAdmin, SchoolID: sc.ID, PasswordHash: "x"})
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := st.CreateAPIToken(ctx, admin.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	cfg := testConfig(b)
	cfg.MaxUploadBytes = 10 << 20
	srv, err := New(cfg, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	preview := func() int {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("dry_run", "true")
		fw, _ := mw.CreateFormFile("file", "全校.xlsx")
		fw.Write(data)
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, hs.URL+"/api/v1/schools/"+strconv.FormatInt(sc.ID, 10)+"/imports", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Error(err)
			return 0
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusServiceUnavailable {
			msg, _ := io.ReadAll(res.Body)
			b.Errorf("preview: %d %.300s", res.StatusCode, msg)
		}
		io.Copy(io.Discard, res.Body)
		return res.StatusCode
	}
	if code := preview(); code != http.StatusOK {
		b.Fatalf("a single preview: %d", code)
	}
	// The gate as served, and wide open: what it saves.
	for _, gate := range []struct {
		name string
		g    *heavyGate
	}{{"gated", defaultHeavyGate()}, {"ungated", newHeavyGate(64, 0, 0)}} {
		b.Run(gate.name, func(b *testing.B) {
			srv.gate = gate.g
			benchPreviews(b, preview)
		})
	}
}

// benchPreviews runs eight previews at once per op.
func benchPreviews(b *testing.B, preview func() int) {
	var peak uint64
	busy := 0
	for b.Loop() {
		p := rostertest.PeakHeap(func() {
			var wg sync.WaitGroup
			codes := make([]int, 8)
			for i := range codes {
				wg.Go(func() {
					codes[i] = preview()
				})
			}
			wg.Wait()
			for _, c := range codes {
				switch c {
				case http.StatusOK:
				case http.StatusServiceUnavailable:
					busy++
				default:
					b.Fatalf("a preview answered %d", c)
				}
			}
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(vmHWM()/(1<<20), "VmHWM-MB")
	b.ReportMetric(float64(busy)/float64(b.N), "retry/op")

}

// vmHWM is the process's peak resident set, bytes (Linux; 0 elsewhere).
func vmHWM() float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb * 1024
		}
	}
	return 0
}
