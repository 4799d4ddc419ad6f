package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEnvFileGivesCommandsTheServicesSettings: `app --env-file FILE
// COMMAND` (or the flag after the command) reads the service's settings
// from the file as systemd does — comment lines, quotes — over the
// process's environment; a flag still wins; a file that cannot be read or
// parsed stops the command with the reason.
func TestEnvFileGivesCommandsTheServicesSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "env")
	writeFile(t, file, "# the service's settings\nJIASHU_DATA_DIR='"+dir+"'\nJIASHU_BASE_URL=https://jx.example.edu.cn\n")
	other := t.TempDir()
	processEnv := map[string]string{"JIASHU_DATA_DIR": other}
	for _, args := range [][]string{
		{"--env-file", file, "user", "list"},
		{"user", "list", "--env-file=" + file},
	} {
		code, out, errs := runEnv(t, processEnv, args...)
		if code != exitOK || !strings.Contains(out, "USERNAME") {
			t.Fatalf("%v: exit %d %s%s", args, code, out, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "jiashu.db")); err != nil {
		t.Errorf("the file's data folder was not used: %v", err)
	}
	if _, err := os.Stat(filepath.Join(other, "jiashu.db")); err == nil {
		t.Error("the process's data folder was used over the file's")
	}
	flagDir := t.TempDir()
	if code, _, errs := runEnv(t, nil, "--env-file", file, "user", "list", "--data-dir", flagDir); code != exitOK {
		t.Fatalf("with --data-dir: exit %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(flagDir, "jiashu.db")); err != nil {
		t.Errorf("the flag did not win over the file: %v", err)
	}

	writeFile(t, filepath.Join(dir, "bad"), "JIASHU_DATA_DIR=/srv\nNOT A KEY=1\n")
	for name, args := range map[string][]string{
		"a missing file":          {"--env-file", filepath.Join(dir, "missing"), "user", "list"},
		"a file with a bad line":  {"--env-file", filepath.Join(dir, "bad"), "user", "list"},
		"the flag without a file": {"user", "list", "--env-file"},
	} {
		code, _, errs := runEnv(t, nil, args...)
		if code != exitUnusable || !strings.Contains(errs, "env") {
			t.Errorf("%s: exit %d %q", name, code, errs)
		}
	}
}
