package cli

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Readers of the deployment's files (deploy/, written verbatim by
// docs/deploy.md) the way systemd reads them, for deploy_test.go. Only what
// the files use is supported; anything else fails the test, so a change to
// a unit that these readers would misread is noticed.

// repoRoot is the repository, from app/cli.
const repoRoot = "../.."

// deployPath is where a file of the server (/etc/jiashu/env) is in the
// repository (deploy/etc/jiashu/env).
func deployPath(serverPath string) string {
	return filepath.Join(repoRoot, "deploy", filepath.FromSlash(strings.TrimPrefix(serverPath, "/")))
}

// unitFile is a systemd unit: section → key → values, in order (a key may
// be given more than once).
type unitFile map[string]map[string][]string

func (u unitFile) get(section, key string) string {
	vs := u[section][key]
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// readUnit parses a unit file as systemd does: [Section] headers, Key=Value
// lines with blanks around the = dropped, comment lines starting with # or
// ;, a backslash at the end of a line joining it with the next.
func readUnit(t *testing.T, path string) unitFile {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u := unitFile{}
	section := ""
	sc := bufio.NewScanner(f)
	n, pending := 0, ""
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if pending == "" && (line == "" || line[0] == '#' || line[0] == ';') {
			continue
		}
		if strings.HasSuffix(line, `\`) {
			pending += strings.TrimSuffix(line, `\`) + " "
			continue
		}
		line, pending = pending+line, ""
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = line[1 : len(line)-1]
			if u[section] == nil {
				u[section] = map[string][]string{}
			}
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok || section == "" {
			t.Fatalf("%s:%d: not a setting in a section: %q", path, n, line)
		}
		key = strings.TrimSpace(key)
		u[section][key] = append(u[section][key], strings.TrimSpace(value))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return u
}

// expandSpecifiers replaces the unit specifiers in s for an instance of
// a template (%i, %I) and %%; any other specifier fails the test.
func expandSpecifiers(t *testing.T, s, instance string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 == len(s) {
			t.Fatalf("%q ends with a lone %%", s)
		}
		i++
		switch s[i] {
		case '%':
			b.WriteByte('%')
		case 'i', 'I':
			if instance == "" {
				t.Fatalf("%q: %%%c in a unit that is not a template", s, s[i])
			}
			b.WriteString(instance)
		default:
			t.Fatalf("%q: specifier %%%c is not read by this test; teach expandSpecifiers", s, s[i])
		}
	}
	return b.String()
}

var envReference = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// splitExecStart splits a command line as systemd does: words separated by
// blanks, "double" and 'single' quoted words; then ${VAR} is replaced
// inside a word, and a word that is only $VAR by the value's own words.
// Prefixes (@ - : + !) and backslash escapes fail the test.
func splitExecStart(t *testing.T, line string, env map[string]string) []string {
	t.Helper()
	var words []string
	var w strings.Builder
	inWord := false
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote, inWord = c, true
		case c == '\\':
			t.Fatalf("ExecStart %q: a backslash escape, which this test does not read", line)
		case quote == 0 && (c == ' ' || c == '\t'):
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if quote != 0 {
		t.Fatalf("ExecStart %q: unterminated quote", line)
	}
	if inWord {
		words = append(words, w.String())
	}
	if len(words) == 0 || strings.ContainsAny(words[0][:1], "@-:+!") {
		t.Fatalf("ExecStart %q: no command, or a prefix this test does not read", line)
	}
	var out []string
	for _, word := range words {
		if m := envReference.FindStringSubmatch(word); m != nil && m[0] == word && m[2] != "" {
			out = append(out, strings.Fields(env[m[2]])...)
			continue
		}
		out = append(out, envReference.ReplaceAllStringFunc(word, func(ref string) string {
			if !strings.HasPrefix(ref, "${") {
				t.Fatalf("ExecStart %q: $VAR inside a word stays as written in systemd; use ${VAR}", line)
			}
			return env[strings.Trim(ref, "${}")]
		}))
	}
	return out
}

// serviceCommand is what systemd would run for a service unit: its user,
// its environment (Environment= lines, then the EnvironmentFile=s, which
// win) and its command line.
type serviceCommand struct {
	unit, user, umask string
	envFiles          []string
	env               map[string]string
	argv              []string
}

func readService(t *testing.T, path, instance string, readEnvFile func(string) map[string]string) serviceCommand {
	t.Helper()
	u := readUnit(t, path)
	s := u["Service"]
	if s == nil {
		t.Fatalf("%s: no [Service]", path)
	}
	sc := serviceCommand{unit: filepath.Base(path), user: u.get("Service", "User"), umask: u.get("Service", "UMask"), env: map[string]string{}}
	for _, line := range s["Environment"] {
		for _, kv := range splitExecStart(t, "x "+expandSpecifiers(t, line, instance), nil)[1:] {
			k, v, _ := strings.Cut(kv, "=")
			sc.env[k] = v
		}
	}
	for _, f := range s["EnvironmentFile"] {
		f = expandSpecifiers(t, strings.TrimPrefix(f, "-"), instance)
		sc.envFiles = append(sc.envFiles, f)
		for k, v := range readEnvFile(f) {
			sc.env[k] = v
		}
	}
	if n := len(s["ExecStart"]); n != 1 {
		t.Fatalf("%s: %d ExecStart lines; this test runs one", path, n)
	}
	sc.argv = splitExecStart(t, expandSpecifiers(t, s["ExecStart"][0], instance), sc.env)
	return sc
}

func (sc serviceCommand) String() string {
	return fmt.Sprintf("%s: %q as %s", sc.unit, sc.argv, sc.user)
}
