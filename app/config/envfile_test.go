package config

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// envFileCases are files and what systemd's EnvironmentFile= makes of them.
var envFileCases = []struct {
	name, file string
	want       map[string]string
}{
	{"a comment after a value is part of the value", "JIASHU_BASE_URL=https://jx.example.edu.cn   # public name\n",
		map[string]string{"JIASHU_BASE_URL": "https://jx.example.edu.cn   # public name"}},
	{"comment lines start with # or ;, after blanks", "# one\n  ; two\n\tA=1\n",
		map[string]string{"A": "1"}},
	{"blanks around key and value are dropped", "  KEY \t=   spaced value  \n",
		map[string]string{"KEY": "spaced value"}},
	{"single quotes keep everything", "A='x  # y \\n'\n",
		map[string]string{"A": "x  # y \\n"}},
	{"double quotes unescape only \" \\ ` $", "A=\"a \\\"b\\\" \\\\ \\$HOME \\n\"\n",
		map[string]string{"A": "a \"b\" \\ $HOME \\n"}},
	{"quoted and unquoted parts join", "A=\"x\"y\nB='p' 'q'\n",
		map[string]string{"A": "xy", "B": "pq"}},
	{"quotes inside a value are kept", "A=x \"y\"\n",
		map[string]string{"A": "x \"y\""}},
	{"a backslash keeps the next character, or continues the line", "A=a\\ \\#b\nB=one\\\ntwo\n",
		map[string]string{"A": "a #b", "B": "onetwo"}},
	{"an escaped blank at the end stays", "A=a\\ \n",
		map[string]string{"A": "a "}},
	{"quoted values span lines", "A=\"line 1\nline 2\"\n",
		map[string]string{"A": "line 1\nline 2"}},
	{"an empty value is set", "A=\nB=\"\"\n",
		map[string]string{"A": "", "B": ""}},
	{"no variable is expanded", "A=$HOME/x\n",
		map[string]string{"A": "$HOME/x"}},
	{"a line without = is ignored", "JUST WORDS\nA=1\n",
		map[string]string{"A": "1"}},
	{"the last assignment wins", "A=1\nA=2\n",
		map[string]string{"A": "2"}},
	{"CRLF lines", "A=1\r\nB='2'\r\n",
		map[string]string{"A": "1", "B": "2"}},
	{"no newline at the end", "A=1",
		map[string]string{"A": "1"}},
}

func TestParseEnvFileReadsAsSystemdDoes(t *testing.T) {
	for _, c := range envFileCases {
		t.Run(c.name, func(t *testing.T) {
			vars, err := ParseEnvFile(strings.NewReader(c.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := envMap(vars); !sameEnv(got, c.want) {
				t.Errorf("%q:\n got %q\nwant %q", c.file, got, c.want)
			}
		})
	}
}

func TestParseEnvFileRefuses(t *testing.T) {
	for name, file := range map[string]string{
		"a key that is no variable name":  "A=1\nMY KEY=2\n",
		"a key starting with a digit":     "1A=x\n",
		"a comment continued by a \\":     "# note \\\nA=1\n",
		"bytes that are not UTF-8":        "A=\xff\n",
		"a file far larger than settings": strings.Repeat("A=1\n", maxEnvFile/4+1),
	} {
		t.Run(name, func(t *testing.T) {
			if vars, err := ParseEnvFile(strings.NewReader(file)); err == nil {
				t.Errorf("accepted: %v", vars)
			}
		})
	}
	if _, err := ParseEnvFile(strings.NewReader("A=1\nMY KEY=2\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("the line is not named: %v", err)
	}
}

// TestParseEnvFileAgreesWithSystemd feeds the cases to systemd's own reader
// (the environment.d generator parses with the same code as
// EnvironmentFile=, and also expands $VARIABLES, so cases with a $ are left
// out; it prints a newline in a value as \n, so those are left out too) and
// compares.
func TestParseEnvFileAgreesWithSystemd(t *testing.T) {
	gen := "/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator"
	if _, err := os.Stat(gen); err != nil {
		t.Skip("systemd's environment.d generator is not installed: no systemd to compare with")
	}
	for _, c := range envFileCases {
		if strings.Contains(c.file, "$") || strings.Contains(fmt.Sprint(c.want), "\n") {
			continue
		}
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, "environment.d"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "environment.d", "60-case.conf"), []byte(c.file), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(gen)
		cmd.Env = []string{"XDG_CONFIG_HOME=" + dir}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		vars, err := ParseEnvFile(strings.NewReader(string(out)))
		if err != nil {
			t.Fatalf("%s: systemd's output %q: %v", c.name, out, err)
		}
		got := envMap(vars)
		for k, want := range c.want {
			if got[k] != want {
				t.Errorf("%s: systemd reads %s=%q, ParseEnvFile %q", c.name, k, got[k], want)
			}
		}
	}
}

// FuzzParseEnvFile: any input parses or is refused without panicking, and
// what it parses to, written back double-quoted, parses to the same.
func FuzzParseEnvFile(f *testing.F) {
	for _, c := range envFileCases {
		f.Add(c.file)
	}
	f.Fuzz(func(t *testing.T, file string) {
		vars, err := ParseEnvFile(strings.NewReader(file))
		if err != nil {
			return
		}
		var b strings.Builder
		for _, v := range vars {
			b.WriteString(v.Key + "=\"" + escapeDoubleQuoted(v.Value) + "\"\n")
		}
		again, err := ParseEnvFile(strings.NewReader(b.String()))
		if err != nil {
			t.Fatalf("%q written back as %q: %v", file, b.String(), err)
		}
		if !sameEnv(envMap(vars), envMap(again)) || len(vars) != len(again) {
			t.Fatalf("%q: %v, written back: %v", file, vars, again)
		}
	})
}

func escapeDoubleQuoted(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`).Replace(s)
}

func envMap(vars []EnvVar) map[string]string {
	m := map[string]string{}
	for _, v := range vars {
		m[v.Key] = v.Value
	}
	return m
}

func sameEnv(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
