package cli

import (
	"strings"
	"testing"

	"jiashu/store/storetest"
)

// TestCompactSaysWhatItDid: on SQLite `retention --compact` rewrites the
// file and says the deleted content is gone from it; on PostgreSQL a plain
// VACUUM does not overwrite anything, so it says so and offers --full,
// which runs VACUUM FULL and says what that does and does not reach.
func TestCompactSaysWhatItDid(t *testing.T) {
	t.Parallel()
	for kind, dsn := range storetest.DSNs(t) {
		t.Run(kind, func(t *testing.T) {
			storetest.Seed(t, storetest.Open(t, dsn), 1, 3)
			env := map[string]string{"JIASHU_DB": dsn, "JIASHU_DATA_DIR": t.TempDir()}
			code, out, errs := runEnv(t, env, "retention", "--compact")
			if code != exitOK {
				t.Fatalf("--compact: exit %d %s%s", code, out, errs)
			}
			if kind == "sqlite" {
				if !strings.Contains(out, "删除的内容已从数据库文件中抹去") {
					t.Errorf("SQLite: %s", out)
				}
				return
			}
			for _, want := range []string{"VACUUM", "没有被覆盖", "--compact --full"} {
				if !strings.Contains(out, want) || strings.Contains(out, "抹去") {
					t.Errorf("PostgreSQL --compact: %q lacks %q or claims a wipe", out, want)
				}
			}
			code, out, errs = runEnv(t, env, "retention", "--compact", "--full")
			if code != exitOK || !strings.Contains(out, "VACUUM FULL") || !strings.Contains(out, "pg_dump") {
				t.Fatalf("--compact --full: exit %d %s%s", code, out, errs)
			}
		})
	}
	if code, _, _ := runEnv(t, nil, "retention", "--full"); code != exitUnusable {
		t.Errorf("--full without --compact: exit %d", code)
	}
}
