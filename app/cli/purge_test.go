package cli

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jiashu/app/campaign"
	"jiashu/app/web"
	"jiashu/store"
	"jiashu/store/storetest"
)

func TestPurgeCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	st := storetest.Open(t, filepath.Join(dir, "jiashu.db"))
	sc := storetest.Seed(t, st, 1, len(storetest.StudentNames))
	if _, err := st.Acknowledge(ctx, store.Ack{LetterID: letterID(t, st, sc.Tokens[0]), Channel: store.ChannelQR, Relation: "母亲"}); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(testConfig(t), st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	// status is what a parent's browser gets for the letter of token.
	status := func(token string) int {
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/a/"+token, nil))
		return rec.Code
	}
	setDeadline := func(d time.Time) {
		t.Helper()
		if _, err := st.DB().ExecContext(ctx, st.Rebind(`UPDATE campaigns SET ack_deadline = ? WHERE id = ?`),
			d.In(campaign.ChinaTime).Format("2006-01-02"), sc.CampaignID); err != nil {
			t.Fatal(err)
		}
	}
	const name = "2026年秋季防诈家书"
	opens := func() int { return status(sc.Tokens[0]) }
	setDeadline(time.Now().AddDate(0, 0, 10))

	t.Run("a dry run prints the counts and the letter still opens", func(t *testing.T) {
		code, out, errs := cli(t, dir, "purge", "--campaign", name, "--dry-run")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		for _, want := range []string{"将删除", "4 封（其中已回执 1 封", "试运行", "尚未过"} {
			if !strings.Contains(out, want) {
				t.Errorf("summary lacks %q:\n%s", want, out)
			}
		}
		if c := opens(); c != http.StatusOK {
			t.Fatalf("letter page %d after a dry run", c)
		}
	})
	t.Run("before the deadline it refuses without --yes", func(t *testing.T) {
		code, _, errs := cli(t, dir, "purge", "--campaign", name)
		if code != exitProblems || !strings.Contains(errs, "还没过") || !strings.Contains(errs, "--yes") {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if c := opens(); c != http.StatusOK {
			t.Fatalf("letter page %d after a refusal", c)
		}
	})
	t.Run("an unknown campaign is refused", func(t *testing.T) {
		if code, _, errs := cli(t, dir, "purge", "--campaign", "无此活动"); code != exitUnusable || !strings.Contains(errs, "无此活动") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
	t.Run("after the deadline it purges, and the parent's link answers 404", func(t *testing.T) {
		setDeadline(time.Now().AddDate(0, 0, -1))
		code, out, errs := cli(t, dir, "purge", "--campaign", name)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if !strings.Contains(out, "已删除") || !strings.Contains(out, "审计日志") {
			t.Errorf("summary:\n%s", out)
		}
		for _, tok := range sc.Tokens {
			if c := status(tok); c != http.StatusNotFound {
				t.Fatalf("letter page %d after the purge, want 404", c)
			}
		}
		log, err := st.AuditLog(ctx, 1)
		if err != nil || len(log) != 1 || log[0].Action != "campaign_purge" {
			t.Fatalf("audit %+v %v", log, err)
		}
		rows, total, err := st.ReachBySchool(ctx, sc.CampaignID)
		if err != nil || len(rows) != 1 || total.Students != 4 {
			t.Fatalf("overview after the purge: %+v %v", total, err)
		}
	})
	t.Run("a second purge says it was done", func(t *testing.T) {
		if code, _, errs := cli(t, dir, "purge", "--campaign", name, "--yes"); code != exitProblems || !strings.Contains(errs, "已于") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
}

// letterID finds the id of the letter with the token.
func letterID(t *testing.T, st *store.Store, token string) int64 {
	t.Helper()
	p, err := st.ParentLetterByToken(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return p.LetterID
}
