package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// TestContainerFilesAgreeWithTheProgram checks the Dockerfile and
// compose.yaml without Docker: the image runs the binary the release build
// makes, as a user that is not root, with its data in the volume; its
// health check is a command the program has; the settings the image and
// the compose file give (with the guide's .env) are accepted by the
// program, and the addresses it believes are the compose network's
// gateway.
func TestContainerFilesAgreeWithTheProgram(t *testing.T) {
	t.Parallel()
	env := checkDockerfile(t)
	checkCompose(t, env)
}

// checkDockerfile checks the image's stages and returns the settings its ENV gives.
func checkDockerfile(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var stages [][][2]string // per stage: instruction, arguments
	for _, line := range strings.Split(strings.ReplaceAll(string(data), "\\\n", " "), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		ins, args, _ := strings.Cut(line, " ")
		if ins == "FROM" {
			stages = append(stages, nil)
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], [2]string{ins, strings.TrimSpace(args)})
	}
	if len(stages) != 2 {
		t.Fatalf("%d stages, want a build stage and the image", len(stages))
	}
	gomod, _ := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	build, image := map[string][]string{}, map[string][]string{}
	for i, st := range stages {
		m := map[int]map[string][]string{0: build, 1: image}[i]
		for _, in := range st {
			m[in[0]] = append(m[in[0]], in[1])
		}
	}
	if goVersion == nil || !strings.HasPrefix(build["FROM"][0], "golang:"+string(goVersion[1])) || !strings.Contains(strings.Join(build["RUN"], " "), "release/build") {
		t.Errorf("the build stage is not Go %s running release/build: %v", goVersion, build)
	}
	if image["FROM"][0] != "scratch" {
		t.Errorf("the image is FROM %s, not scratch", image["FROM"][0])
	}
	if u := image["USER"]; len(u) != 1 || !regexp.MustCompile(`^[1-9]\d*:[1-9]\d*$`).MatchString(u[0]) {
		t.Errorf("USER %v: want a numeric user and group other than root (scratch has no /etc/passwd)", u)
	}
	env := map[string]string{}
	for _, e := range image["ENV"] {
		for _, kv := range strings.Fields(e) {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
	}
	if v := image["VOLUME"]; len(v) != 1 || v[0] != env["JIASHU_DATA_DIR"] {
		t.Errorf("VOLUME %v is not JIASHU_DATA_DIR %q", v, env["JIASHU_DATA_DIR"])
	}
	jsonArgs := func(ins string) []string {
		var argv []string
		vs := image[ins]
		if len(vs) != 1 {
			t.Fatalf("%d %s instructions", len(vs), ins)
		}
		s := vs[0]
		if ins == "HEALTHCHECK" {
			_, s, _ = strings.Cut(s, "CMD ")
		}
		if err := json.Unmarshal([]byte(s), &argv); err != nil {
			t.Fatalf("%s %s: not an exec-form list (scratch has no shell): %v", ins, vs[0], err)
		}
		return argv
	}
	entry, cmd, health := jsonArgs("ENTRYPOINT"), jsonArgs("CMD"), jsonArgs("HEALTHCHECK")
	if len(entry) != 1 || len(health) != 2 || health[0] != entry[0] || health[1] != "healthcheck" || len(cmd) != 1 || cmd[0] != "serve" {
		t.Errorf("ENTRYPOINT %v CMD %v HEALTHCHECK %v: want the binary serving, and the binary's healthcheck", entry, cmd, health)
	}

	return env
}

// checkCompose checks compose.yaml, with the .env the guide writes next
// to it, over the image's settings env.
func checkCompose(t *testing.T, env map[string]string) {
	t.Helper()
	_, files := guideShell(t)
	dotEnv := map[string]string{}
	for _, f := range files {
		if f.path == ".env" {
			for _, l := range strings.Split(strings.TrimSpace(f.body), "\n") {
				k, v, _ := strings.Cut(l, "=")
				dotEnv[k] = v
			}
		}
	}
	if len(dotEnv) == 0 {
		t.Fatal("the guide writes no .env for compose")
	}
	raw, err := os.ReadFile(filepath.Join(repoRoot, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	interpolated := regexp.MustCompile(`\$\{([A-Z_]+)(:\?[^}]*)?\}`).ReplaceAllStringFunc(string(raw), func(ref string) string {
		name := regexp.MustCompile(`[A-Z_]+`).FindString(ref)
		if _, ok := dotEnv[name]; !ok {
			t.Errorf("compose.yaml uses %s, which the guide's .env does not set", name)
		}
		return dotEnv[name]
	})
	var compose struct {
		Services map[string]struct {
			Environment map[string]string `yaml:"environment"`
		} `yaml:"services"`
		Networks map[string]struct {
			IPAM struct {
				Config []struct {
					Gateway string `yaml:"gateway"`
				} `yaml:"config"`
			} `yaml:"ipam"`
		} `yaml:"networks"`
	}
	if err := yaml.Unmarshal([]byte(interpolated), &compose); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	known := knownSettings()
	for k, v := range compose.Services["app"].Environment {
		if !known[k] {
			t.Errorf("compose.yaml sets %s, which is no setting", k)
		}
		env[k] = v
	}
	if _, msg, ok := parseConfig(t, env); !ok {
		t.Errorf("the program refuses the container's settings:\n%s", msg)
	}
	gateway := compose.Networks["jiashu"].IPAM.Config
	if len(gateway) != 1 || env["JIASHU_TRUSTED_PROXIES"] != gateway[0].Gateway || env["JIASHU_METRICS_ALLOW"] != gateway[0].Gateway {
		t.Errorf("trusted proxies %q and metrics clients %q are not the network's gateway %v", env["JIASHU_TRUSTED_PROXIES"], env["JIASHU_METRICS_ALLOW"], gateway)
	}
	if !strings.Contains(env["JIASHU_DB"], "@db/") {
		t.Errorf("JIASHU_DB %q does not name the compose service db", env["JIASHU_DB"])
	}
}
