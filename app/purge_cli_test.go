package main

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jiashu/store"
)

func TestPurgeCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	f := newParentFixture(t, filepath.Join(dir, "jiashu.db"))
	if _, err := f.st.Acknowledge(ctx, store.Ack{LetterID: letterID(t, f, f.tokens[0]), Channel: store.ChannelQR, Relation: "母亲"}); err != nil {
		t.Fatal(err)
	}
	setDeadline := func(d time.Time) {
		t.Helper()
		if _, err := f.st.DB().ExecContext(ctx, f.st.Rebind(`UPDATE campaigns SET ack_deadline = ? WHERE id = ?`),
			d.In(chinaTime).Format("2006-01-02"), f.campaignID); err != nil {
			t.Fatal(err)
		}
	}
	const name = "2026年秋季防诈家书"
	opens := func() int { return f.do(t, "GET", "/a/"+f.tokens[0], nil, nil).Code }
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
		for _, tok := range f.tokens {
			if c := f.do(t, "GET", "/a/"+tok, nil, nil).Code; c != http.StatusNotFound {
				t.Fatalf("letter page %d after the purge, want 404", c)
			}
		}
		log, err := f.st.AuditLog(ctx, 1)
		if err != nil || len(log) != 1 || log[0].Action != "campaign_purge" {
			t.Fatalf("audit %+v %v", log, err)
		}
		rows, total, err := f.st.ReachBySchool(ctx, f.campaignID)
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
func letterID(t *testing.T, f *parentFixture, token string) int64 {
	t.Helper()
	p, err := f.st.ParentLetterByToken(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return p.LetterID
}
