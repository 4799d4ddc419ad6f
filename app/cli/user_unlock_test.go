package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jiashu/store"
	"jiashu/store/storetest"
)

// TestUserUnlockLiftsAnyLock: `app user unlock` lifts the district
// administrator's lock (nobody above it can, on a page), audits it and
// leaves the owner a record naming the command line.
func TestUserUnlockLiftsAnyLock(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	getenv := func(k string) string {
		switch k {
		case "JIASHU_DATA_DIR":
			return dir
		case "USER":
			return "ops"
		}
		return ""
	}
	app := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := Run(context.Background(), args, getenv, &out, &errOut)
		return code, out.String(), errOut.String()
	}
	if code, out, errOut := app("user", "add", "--username", "center", "--role", "district_admin"); code != exitOK {
		t.Fatalf("add: exit %d %s%s", code, out, errOut)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "jiashu.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	storetest.LockAccount(t, st, "center")
	if until, _ := st.LoginLockedUntil(ctx, "center"); until.IsZero() {
		t.Fatal("center is not locked")
	}
	code, out, errOut := app("user", "unlock", "Center")
	if code != exitOK || !strings.Contains(out, "已解除 center 的登录锁定") {
		t.Fatalf("unlock: exit %d %s%s", code, out, errOut)
	}
	if until, _ := st.LoginLockedUntil(ctx, "center"); !until.IsZero() {
		t.Fatal("center still locked after app user unlock")
	}
	locks, err := st.LoginLocks(ctx, "center", time.Now().Add(-time.Hour))
	if err != nil || len(locks) != 1 || !strings.Contains(locks[0].UnlockedBy, "命令行，ops") {
		t.Fatalf("the owner's record: %+v, %v", locks, err)
	}
	log, _ := st.AuditLog(ctx, 5)
	if len(log) == 0 || log[0].Action != "login_unlocked" || !strings.Contains(log[0].Detail, "center") {
		t.Fatalf("audit: %+v", log)
	}
	if code, _, errOut := app("user", "unlock", "nobody"); code != exitUnusable || !strings.Contains(errOut, "no user") {
		t.Fatalf("unknown user: exit %d %q", code, errOut)
	}
}
