package cli

import (
	"bytes"
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
