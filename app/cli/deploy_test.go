package cli

import (
	"bufio"
	"bytes"
	"flag"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"jiashu/app/config"
)

// The deployment guide (docs/deploy.md) cannot drift from what works: the
// files it writes are the repository's deploy/ files, byte for byte; those
// files are read here the way systemd reads them (deploy_units_test.go)
// and the program is started with them (deploy_run_test.go).

// heredoc is a file the guide writes: cat > PATH <<'EOF' … EOF.
type heredoc struct {
	path, body string
	line       int
}

var heredocStart = regexp.MustCompile(`^cat > (\S+) <<'EOF'$`)

// guideShell returns the guide's sh code blocks and the files they write.
func guideShell(t *testing.T) (blocks []string, files []heredoc) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "docs", "deploy.md"))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	var block *strings.Builder
	var doc *heredoc
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case block == nil && line == "```sh":
			block = &strings.Builder{}
			continue
		case block == nil:
			continue
		case doc == nil && line == "```":
			blocks = append(blocks, block.String())
			block = nil
			continue
		}
		block.WriteString(line + "\n")
		switch m := heredocStart.FindStringSubmatch(line); {
		case doc != nil && line == "EOF":
			files = append(files, *doc)
			doc = nil
		case doc != nil:
			doc.body += line + "\n"
		case m != nil:
			doc = &heredoc{path: m[1], line: n}
		}
	}
	if block != nil || doc != nil {
		t.Fatal("docs/deploy.md: a code block or a heredoc is not closed")
	}
	return blocks, files
}

// TestGuideWritesTheDeployFilesVerbatim: every file the guide writes to the
// server is the repository's deploy/ file at the same path, and every
// deploy/ file is written by the guide once.
func TestGuideWritesTheDeployFilesVerbatim(t *testing.T) {
	t.Parallel()
	_, files := guideShell(t)
	written := map[string]int{}
	for _, f := range files {
		if !strings.HasPrefix(f.path, "/") {
			continue // a file of the administrator's own (the containers' .env)
		}
		written[f.path]++
		want, err := os.ReadFile(deployPath(f.path))
		if err != nil {
			t.Errorf("docs/deploy.md:%d writes %s, which deploy/ does not have: %v", f.line, f.path, err)
			continue
		}
		if f.body != string(want) {
			t.Errorf("docs/deploy.md:%d: %s differs from deploy%s; paste the file into the guide again", f.line, f.path, f.path)
		}
	}
	root := filepath.Join(repoRoot, "deploy")
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		server := "/" + filepath.ToSlash(strings.TrimPrefix(p, root+string(filepath.Separator)))
		if written[server] != 1 {
			t.Errorf("deploy%s is written %d times by docs/deploy.md, want once", server, written[server])
		}
		return nil
	})
	if len(written) < 10 {
		t.Fatalf("only %d files found in the guide: the heredoc reader is broken", len(written))
	}
}

// TestGuideShellIsValid: each sh block of the guide parses (bash -n), so a
// pasted block does not stop at a quote or a heredoc left open.
func TestGuideShellIsValid(t *testing.T) {
	t.Parallel()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	blocks, _ := guideShell(t)
	for i, b := range blocks {
		cmd := exec.Command(bash, "-n")
		cmd.Stdin = strings.NewReader(b)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sh block %d does not parse: %v %s\n%s", i+1, err, out, b)
		}
	}
}

// TestGuideNamesOnlyRealCommands: every jiashu and jiashu-admin command the
// guide, the units and the container files run is one of the program's.
func TestGuideNamesOnlyRealCommands(t *testing.T) {
	t.Parallel()
	known := map[string]bool{}
	for _, c := range commands() {
		known[c.name] = true
	}
	use := regexp.MustCompile(`(?:jiashu-admin|/usr/local/bin/jiashu|` + "`" + `jiashu|^jiashu|/jiashu"?,?) +"?(?:--env-file \S+ +)?([a-z][a-z-]*)`)
	sources := []string{"docs/deploy.md", "Dockerfile", "compose.yaml"}
	filepath.WalkDir(filepath.Join(repoRoot, "deploy"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(repoRoot, p)
			sources = append(sources, rel)
		}
		return err
	})
	seen := 0
	for _, src := range sources {
		data, err := os.ReadFile(filepath.Join(repoRoot, src))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			for _, m := range use.FindAllStringSubmatch(line, -1) {
				name := m[1]
				seen++
				if !known[name] {
					t.Errorf("%s:%d runs jiashu %q, which is no command: %s", src, i+1, name, strings.TrimSpace(line))
				}
			}
		}
	}
	if seen < 10 {
		t.Fatalf("only %d commands found: the pattern is broken", seen)
	}
}

// knownSettings are the environment variables the program reads.
func knownSettings() map[string]bool {
	var cfg config.Config
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	config.Flags(fs, func(string) string { return "" }, &cfg)
	known := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) { known[config.EnvName(f.Name)] = true })
	return known
}

// TestDeployEnvFileIsValid: the guide's /etc/jiashu/env, read as systemd
// reads it, sets only settings the program has, and the program accepts
// their values as written (the database is not reached here).
func TestDeployEnvFileIsValid(t *testing.T) {
	t.Parallel()
	vars, err := config.ReadEnvFile(deployPath("/etc/jiashu/env"))
	if err != nil {
		t.Fatal(err)
	}
	known := knownSettings()
	env := map[string]string{}
	for _, v := range vars {
		if !known[v.Key] {
			t.Errorf("line %d: %s is not a setting of the program", v.Line, v.Key)
		}
		if strings.Contains(v.Value, "#") {
			t.Errorf("line %d: %s=%q: a # in a value (an inline comment?)", v.Line, v.Key, v.Value)
		}
		env[v.Key] = v.Value
	}
	if env["JIASHU_ADDR"] != "" {
		t.Error("JIASHU_ADDR is set in the shared file: each instance's unit gives its own")
	}
	if _, msg, ok := parseConfig(t, env); !ok {
		t.Fatalf("the program refuses the guide's settings:\n%s", msg)
	}
}

// TestDeployAddressesAgree: the instances listen where nginx's upstream
// sends requests and Prometheus scrapes, and the service believes and
// lets read /metrics the address those connect from.
func TestDeployAddressesAgree(t *testing.T) {
	t.Parallel()
	env := func(path string) map[string]string { return envFileMap(t, path) }
	var listen []string
	for _, i := range []string{"1", "2"} {
		sc := readService(t, deployPath("/etc/systemd/system/jiashu@.service"), i, env)
		addr := flagValue(sc.argv, "--addr")
		if addr == "" {
			t.Fatalf("%v: no --addr", sc)
		}
		listen = append(listen, addr)
	}
	upstream := nginxUpstream(t)
	if !slices.Equal(listen, upstream) {
		t.Errorf("instances listen on %v, nginx sends to %v", listen, upstream)
	}
	var prom struct {
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	data, err := os.ReadFile(deployPath("/etc/prometheus/prometheus.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &prom); err != nil {
		t.Fatalf("prometheus.yml: %v", err)
	}
	var targets []string
	for _, j := range prom.ScrapeConfigs {
		for _, s := range j.StaticConfigs {
			if j.JobName == "jiashu" {
				targets = append(targets, s.Targets...)
			}
		}
	}
	if !slices.Equal(listen, targets) {
		t.Errorf("instances listen on %v, Prometheus scrapes %v", listen, targets)
	}
	settings := envFileMap(t, "/etc/jiashu/env")
	for _, addr := range listen {
		host, _, _ := net.SplitHostPort(addr)
		// nginx and Prometheus run on this server: a connection to a local
		// address comes from that address.
		for _, key := range []string{"JIASHU_TRUSTED_PROXIES", "JIASHU_METRICS_ALLOW"} {
			if !addressListed(settings[key], host) {
				t.Errorf("%s=%q does not include %s, where nginx and Prometheus connect from", key, settings[key], host)
			}
		}
	}
}

// nginxUpstream lists the servers of the upstream block of the guide's nginx configuration.
func nginxUpstream(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(deployPath("/etc/nginx/conf.d/jiashu.conf"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)upstream jiashu \{(.*?)\}`).FindSubmatch(data)
	if block == nil {
		t.Fatal("conf.d/jiashu.conf: no upstream jiashu")
	}
	var servers []string
	for _, m := range regexp.MustCompile(`(?m)^\s*server\s+(\S+)`).FindAllSubmatch(block[1], -1) {
		servers = append(servers, strings.TrimSuffix(string(m[1]), ";"))
	}
	return servers
}

func addressListed(list, host string) bool {
	ip := net.ParseIP(host)
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimSpace(p)
		if _, n, err := net.ParseCIDR(p); err == nil && n.Contains(ip) || net.ParseIP(p).Equal(ip) {
			return true
		}
	}
	return false
}

// envFileMap reads an environment file of the guide (by its server path).
func envFileMap(t *testing.T, serverPath string) map[string]string {
	t.Helper()
	vars, err := config.ReadEnvFile(deployPath(serverPath))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, v := range vars {
		m[v.Key] = v.Value
	}
	return m
}

func flagValue(argv []string, name string) string {
	for i, a := range argv {
		if a == name && i+1 < len(argv) {
			return argv[i+1]
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
	}
	return ""
}

// deployUnits are the unit files of deploy/ and the units systemd would
// start from them (a template's two instances).
func deployUnits(t *testing.T) (files, units []string) {
	t.Helper()
	dir := deployPath("/etc/systemd/system")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		files = append(files, e.Name())
		if base, ok := strings.CutSuffix(e.Name(), "@.service"); ok {
			units = append(units, base+"@1.service", base+"@2.service")
		} else {
			units = append(units, e.Name())
		}
	}
	return files, units
}

// TestDeployUnitsPassSystemdAnalyzeVerify: systemd's own checker finds
// nothing to say about the guide's units (unknown settings, bad calendar
// expressions, a timer without its service, a command that is not there),
// in a root of their own with systemd's units and an executable at
// /usr/local/bin/jiashu.
func TestDeployUnitsPassSystemdAnalyzeVerify(t *testing.T) {
	t.Parallel()
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	systemUnits := "/usr/lib/systemd/system"
	if _, err := os.Stat(filepath.Join(systemUnits, "sysinit.target")); err != nil {
		t.Skip("systemd's units are not installed")
	}
	root := t.TempDir()
	for _, d := range []string{"etc/systemd/system", "usr/local/bin", "usr/lib/systemd"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("cp", "-r", systemUnits, filepath.Join(root, "usr/lib/systemd/")).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	if err := os.WriteFile(filepath.Join(root, "usr/local/bin/jiashu"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	files, units := deployUnits(t)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(deployPath("/etc/systemd/system"), f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "etc/systemd/system", f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(analyze, append([]string{"verify", "--man=no", "--root=" + root}, units...)...)
	out, err := cmd.CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("systemd-analyze verify %v: %v\n%s", units, err, out)
	}
	t.Logf("systemd-analyze verify: %v: no remarks", units)
}

// TestDeployServicesAreTheServicesOwn: every service runs as jiashu with
// UMask=0077 and the guide's settings file; every timer starts a service
// that exists.
func TestDeployServicesAreTheServicesOwn(t *testing.T) {
	t.Parallel()
	env := func(path string) map[string]string { return envFileMap(t, path) }
	files, _ := deployUnits(t)
	for _, f := range files {
		path := filepath.Join(deployPath("/etc/systemd/system"), f)
		if strings.HasSuffix(f, ".timer") {
			u := readUnit(t, path)
			if u.get("Timer", "OnCalendar") == "" || u.get("Install", "WantedBy") != "timers.target" {
				t.Errorf("%s: no OnCalendar, or not wanted by timers.target", f)
			}
			if _, err := os.Stat(strings.TrimSuffix(path, ".timer") + ".service"); err != nil {
				t.Errorf("%s: its service is missing", f)
			}
			continue
		}
		sc := readService(t, path, "1", env)
		if sc.user != "jiashu" || sc.umask != "0077" || !slices.Equal(sc.envFiles, []string{"/etc/jiashu/env"}) || sc.argv[0] != "/usr/local/bin/jiashu" {
			t.Errorf("%v: user %q, umask %q, env files %v", sc, sc.user, sc.umask, sc.envFiles)
		}
	}
	admin, err := os.ReadFile(deployPath("/usr/local/sbin/jiashu-admin"))
	if err != nil {
		t.Fatal(err)
	}
	want := `exec runuser -u jiashu -- /usr/local/bin/jiashu --env-file /etc/jiashu/env "$@"`
	if !strings.Contains(string(admin), "\n"+want+"\n") {
		t.Errorf("jiashu-admin does not run %s", want)
	}
	if fi, err := os.Stat(deployPath("/usr/local/sbin/jiashu-admin")); err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf("deploy/usr/local/sbin/jiashu-admin is not executable (%v)", err)
	}
}

// TestDeployPrometheusConfigIsValid: promtool accepts the guide's
// Prometheus configuration and its alert rules.
func TestDeployPrometheusConfigIsValid(t *testing.T) {
	t.Parallel()
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool is not installed (Debian: prometheus)")
	}
	dir := t.TempDir()
	rules := filepath.Join(dir, "jiashu-rules.yml")
	for src, dst := range map[string]string{"/etc/prometheus/prometheus.yml": filepath.Join(dir, "prometheus.yml"), "/etc/prometheus/jiashu-rules.yml": rules} {
		data, err := os.ReadFile(deployPath(src))
		if err != nil {
			t.Fatal(err)
		}
		data = bytes.ReplaceAll(data, []byte("/etc/prometheus/jiashu-rules.yml"), []byte(rules))
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command(promtool, "check", "config", filepath.Join(dir, "prometheus.yml")).CombinedOutput(); err != nil {
		t.Fatalf("promtool check config: %v\n%s", err, out)
	}
}
