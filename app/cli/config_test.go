package cli

import (
	"bytes"
	"context"
	"flag"
	"jiashu/app/config"
	"strings"
	"testing"
)

func parseConfig(t *testing.T, vars map[string]string, args ...string) (config.Config, string, bool) {
	t.Helper()
	var cfg config.Config
	var stderr bytes.Buffer
	e := &env{getenv: func(k string) string { return vars[k] }, stdout: &bytes.Buffer{}, stderr: &stderr}
	ok := parseFlags(e, flag.NewFlagSet("serve", flag.ContinueOnError), args, &cfg)
	return cfg, stderr.String(), ok
}

func TestConfig(t *testing.T) {
	t.Parallel()
	t.Run("defaults put the SQLite database under ./data", func(t *testing.T) {
		cfg, msg, ok := parseConfig(t, nil)
		if !ok {
			t.Fatal(msg)
		}
		if cfg.DB != "data/jiashu.db" || cfg.Addr != ":8080" || cfg.BaseURL != "http://localhost:8080" {
			t.Fatalf("defaults: %+v", cfg)
		}
		if got := cfg.AgeGroups.Of(5); got != "primary-upper" {
			t.Fatalf("grade 5 is in %q", got)
		}
	})
	t.Run("environment variables with the prefix are read", func(t *testing.T) {
		cfg, msg, ok := parseConfig(t, map[string]string{"JIASHU_DATA_DIR": "/srv/jiashu", "JIASHU_BASE_URL": "https://jx.example.cn/"})
		if !ok {
			t.Fatal(msg)
		}
		if cfg.DB != "/srv/jiashu/jiashu.db" || cfg.BaseURL != "https://jx.example.cn" {
			t.Fatalf("from env: %+v", cfg)
		}
	})
	t.Run("the default public URL follows the listen port", func(t *testing.T) {
		cfg, msg, ok := parseConfig(t, nil, "--addr", ":9090")
		if !ok || cfg.BaseURL != "http://localhost:9090" {
			t.Fatalf("base URL %q (%s)", cfg.BaseURL, msg)
		}
	})
	t.Run("a flag wins over its variable", func(t *testing.T) {
		cfg, msg, ok := parseConfig(t, map[string]string{"JIASHU_ADDR": ":9000"}, "--addr", "127.0.0.1:7000")
		if !ok || cfg.Addr != "127.0.0.1:7000" {
			t.Fatalf("addr %q (%s)", cfg.Addr, msg)
		}
	})
	t.Run("bad values are refused with the setting named", func(t *testing.T) {
		_, msg, ok := parseConfig(t, map[string]string{"JIASHU_BASE_URL": "jx.example.cn", "JIASHU_MAX_UPLOAD": "lots"}, "--age-groups", "1-3:toddlers")
		if ok {
			t.Fatal("accepted bad configuration")
		}
		for _, want := range []string{"--base-url (JIASHU_BASE_URL)", "--max-upload (JIASHU_MAX_UPLOAD)", "--age-groups (JIASHU_AGE_GROUPS)"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message does not name %s:\n%s", want, msg)
			}
		}
	})
}

// TestConfigRefusals: each setting that used to be accepted silently (or
// to fail later) stops the program at start, naming the flag and its
// variable, and its good forms still pass.
func TestConfigRefusals(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	long := "https://" + strings.Repeat("x", 60) + ".example.edu.cn"
	cases := []struct {
		name string
		vars map[string]string
		args []string
		want []string // in the message; none: accepted
	}{
		{"a trusted proxy that is not an address", nil, []string{"--trusted-proxies", "abc"}, []string{"--trusted-proxies (JIASHU_TRUSTED_PROXIES)", `"abc"`}},
		{"a network with a /33 mask", map[string]string{"JIASHU_TRUSTED_PROXIES": "10.0.0.1/33"}, nil, []string{"--trusted-proxies (JIASHU_TRUSTED_PROXIES)", "10.0.0.1/33"}},
		{"addresses and networks of both families", nil, []string{"--trusted-proxies", "10.0.0.2, 192.168.0.0/16,::1,fd00::/8"}, nil},
		{"a MySQL URL", nil, []string{"--db", "mysql://u:p@db/jiashu"}, []string{"--db (JIASHU_DB)", "mysql: is not supported", "postgres://"}},
		{"an sqlite:// URL", map[string]string{"JIASHU_DB": "sqlite:///srv/x.db"}, nil, []string{"--db (JIASHU_DB)", "sqlite: is not supported"}},
		{"an SQLite file in a missing folder", nil, []string{"--db", dir + "/missing/jiashu.db"}, []string{"--db (JIASHU_DB)", "does not exist"}},
		{"a folder instead of a file", nil, []string{"--db", dir}, []string{"--db (JIASHU_DB)", "is a folder"}},
		{"an SQLite file in an existing folder", nil, []string{"--db", dir + "/jiashu.db"}, nil},
		{"an SQLite URI", nil, []string{"--db", "file:" + dir + "/jiashu.db?_pragma=busy_timeout(9000)"}, nil},
		{"a PostgreSQL URL", nil, []string{"--db", "postgresql://u:p@db.internal:5432/jiashu?sslmode=require"}, nil},
		{"a PostgreSQL URL without a host", nil, []string{"--db", "postgres:jiashu"}, []string{"--db (JIASHU_DB)", "not a PostgreSQL URL"}},
		{"a base URL with a path", nil, []string{"--base-url", "https://edu.example.cn/anti-fraud"}, []string{"--base-url (JIASHU_BASE_URL)", "path", "host name of its own"}},
		{"a base URL with a query", nil, []string{"--base-url", "https://edu.example.cn/?x=1"}, []string{"--base-url (JIASHU_BASE_URL)", "scheme://host"}},
		{"a base URL too long for a reminder SMS", nil, []string{"--base-url", long}, []string{"--base-url (JIASHU_BASE_URL)", "too long for reminder text messages", "at most"}},
		{"a metrics client that is not an address", nil, []string{"--metrics-allow", "prometheus.internal"}, []string{"--metrics-allow (JIASHU_METRICS_ALLOW)", "prometheus.internal"}},
		{"metrics for a monitoring network", map[string]string{"JIASHU_METRICS_ALLOW": "10.20.0.0/16,127.0.0.1"}, nil, nil},
		{"metrics for nobody", nil, []string{"--metrics-allow", "none"}, nil},
		{"negative retention days", nil, []string{"--retention-days", "-1"}, []string{"--retention-days (JIASHU_RETENTION_DAYS)"}},
		{"an import cap of no students", nil, []string{"--max-import-students", "0"}, []string{"--max-import-students (JIASHU_MAX_IMPORT_STUDENTS)", "from 1 to 1000000"}},
		{"an import cap that is no number", map[string]string{"JIASHU_MAX_IMPORT_STUDENTS": "5k"}, nil, []string{"--max-import-students (JIASHU_MAX_IMPORT_STUDENTS)", `"5k"`}},
		{"a district's import cap", nil, []string{"--max-import-students", "60000"}, nil},
		{"a base URL with a trailing slash", nil, []string{"--base-url", "https://edu.example.cn/"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, msg, ok := parseConfig(t, c.vars, c.args...)
			if len(c.want) == 0 {
				if !ok {
					t.Fatalf("refused: %s", msg)
				}
				return
			}
			if ok {
				t.Fatal("accepted")
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
		})
	}
	t.Run("the demo refuses a configured database", func(t *testing.T) {
		var stderr bytes.Buffer
		code := Run(context.Background(), []string{"serve", "--demo", "--data-dir", dir}, func(k string) string {
			return map[string]string{"JIASHU_DB": "postgres://u:p@db/jiashu"}[k]
		}, &bytes.Buffer{}, &stderr)
		if code != exitUnusable || !strings.Contains(stderr.String(), "--db (JIASHU_DB)") || !strings.Contains(stderr.String(), "--demo") {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
	})
}
