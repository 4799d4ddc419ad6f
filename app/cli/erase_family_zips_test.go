package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"jiashu/app/config"
	"jiashu/app/jobs"
	"jiashu/grade"
	"jiashu/letters"
	"jiashu/store"
	"jiashu/store/storetest"
)

// TestEraseFamilyAndCompactReachStoredZIPs: app erase-family lists and
// deletes the stored letters ZIP that holds the family, a ZIP made again
// leaves them out, and app retention --compact deletes a copy an older
// erasure left behind; each ZIP is read with pdftotext.
func TestEraseFamilyAndCompactReachStoredZIPs(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	dir := t.TempDir()
	ctx := context.Background()
	st := openDir(t, dir)
	seed := storetest.Seed(t, st, 1, 3) // 王小明, 李华, 买买提·艾力
	code := store.FormatToken(seed.Tokens[0])
	job := lettersJob(t, st, seed)
	if text := storedZIPText(t, st, job); !strings.Contains(text, "王小明") || !strings.Contains(text, code) {
		t.Fatalf("the ZIP lacks 王小明 or %s before the erasure: the test would prove nothing", code)
	}
	id := strconv.FormatInt(seed.Students[0], 10)
	mark := "#" + strconv.FormatInt(job, 10)
	if c, out, errs := cli(t, dir, "erase-family", "--student", id, "--dry-run"); c != exitOK || !strings.Contains(out, "家书文件 1 个") || !strings.Contains(out, mark) {
		t.Fatalf("dry run does not list the job: exit %d\n%s%s", c, out, errs)
	}
	var saved [][]byte // what an erasure before this change left behind
	rows, err := st.DB().QueryContext(ctx, st.Rebind(`SELECT data FROM job_chunks WHERE job_id = ? ORDER BY seq`), job)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var b []byte
		rows.Scan(&b)
		saved = append(saved, b)
	}
	rows.Close()
	if c, out, errs := cli(t, dir, "erase-family", "--student", id); c != exitOK || !strings.Contains(out, mark) {
		t.Fatalf("erase: exit %d\n%s%s", c, out, errs)
	}
	if n, _ := st.WriteJobResult(ctx, job, io.Discard); n != 0 {
		t.Fatalf("the job still serves %d bytes after the erasure", n)
	}
	t.Run("a ZIP made again leaves the family out", func(t *testing.T) {
		text := storedZIPText(t, st, lettersJob(t, st, seed))
		if strings.Contains(text, "王小明") || strings.Contains(text, code) || !strings.Contains(text, "李华") {
			t.Fatalf("the new ZIP: has the family %v, has 李华 %v", strings.Contains(text, "王小明") || strings.Contains(text, code), strings.Contains(text, "李华"))
		}
	})
	t.Run("retention --compact deletes a copy an older erasure left", func(t *testing.T) {
		for i, b := range saved {
			if _, err := st.DB().ExecContext(ctx, st.Rebind(`INSERT INTO job_chunks (job_id, seq, data) VALUES (?, ?, ?)`), job, i, b); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.DB().ExecContext(ctx, st.Rebind(`UPDATE jobs SET result_name = 'old.zip' WHERE id = ?`), job); err != nil {
			t.Fatal(err)
		}
		c, out, errs := cli(t, dir, "retention", "--compact")
		if c != exitOK || !strings.Contains(out, "已删除 1 个含有已删除家庭的家书文件："+mark) {
			t.Fatalf("exit %d\n%s%s", c, out, errs)
		}
		if n, _ := st.WriteJobResult(ctx, job, io.Discard); n != 0 {
			t.Fatalf("the old copy still serves %d bytes", n)
		}
	})
}

// lettersJob makes the seeded school's letters ZIP as the server's job
// runner does, and returns the job's id.
func lettersJob(t *testing.T, st *store.Store, seed storetest.School) int64 {
	t.Helper()
	ctx := context.Background()
	j, err := st.CreateJob(ctx, store.Job{Kind: store.JobSchoolLetters, SchoolID: seed.SchoolID, CampaignID: seed.CampaignID})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{BaseURL: "http://jiashu.test", BaseURLGiven: true, AgeGroups: grade.DefaultMapping()}
	r, err := jobs.NewService(jobs.Deps{Config: cfg, Store: st, Engine: eng, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	if ran, err := r.RunOnce(ctx); !ran || err != nil {
		t.Fatalf("run: %v %v", ran, err)
	}
	if j, _ = st.Job(ctx, j.ID); j.Status != store.JobDone {
		t.Fatalf("job %d: %s %s", j.ID, j.Status, j.Error)
	}
	return j.ID
}

// storedZIPText is the text pdftotext reads from every PDF of the job's
// stored ZIP, white space removed.
func storedZIPText(t *testing.T, st *store.Store, job int64) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := st.WriteJobResult(context.Background(), job, &buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("job %d: not a ZIP (%d bytes): %v", job, buf.Len(), err)
	}
	var all strings.Builder
	for i, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), strconv.Itoa(i)+".pdf")
		data, _ := io.ReadAll(rc)
		rc.Close()
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", path, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		all.WriteString(strings.Join(strings.Fields(string(out)), ""))
	}
	return all.String()
}
