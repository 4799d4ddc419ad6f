package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestContentCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, u := range [][]string{{"center", "district_admin"}, {"reviewer", "reviewer"}, {"reviewer2", "reviewer"}} {
		if code, _, errOut := cli(t, dir, "user", "add", "--username", u[0], "--role", u[1]); code != 0 {
			t.Fatalf("user add %s: %s", u[0], errOut)
		}
	}
	if code, _, errOut := cli(t, dir, "user", "add", "--username", "teacher", "--role", "teacher", "--school", "实验小学", "--class", "三年级2班"); code != 0 {
		t.Fatal(errOut)
	}
	out := filepath.Join(dir, "export")
	if code, stdout, errOut := cli(t, dir, "content", "export", "--out", out); code != 0 || !strings.Contains(stdout, "version 1") {
		t.Fatalf("export: %d %s %s", code, stdout, errOut)
	}
	methods := filepath.Join(out, "methods.txt")
	b, err := os.ReadFile(methods)
	if err != nil || !strings.Contains(string(b), "【fake-teacher】") {
		t.Fatalf("exported methods.txt: %v", err)
	}
	os.WriteFile(methods, []byte(strings.Replace(string(b), "名称: 冒充老师在班级群收费", "名称: 冒充班主任在班级群收费", 1)), 0o600)

	code, stdout, errOut := cli(t, dir, "content", "import", "--from", out, "--author", "center")
	if code != 0 || strings.TrimSpace(stdout) != "version 2" {
		t.Fatalf("import: %d %q %s", code, stdout, errOut)
	}
	t.Run("a teacher cannot import a draft", func(t *testing.T) {
		if code, _, errOut := cli(t, dir, "content", "import", "--from", out, "--author", "teacher"); code != 1 || !strings.Contains(errOut, "只有教管中心") {
			t.Errorf("%d %s", code, errOut)
		}
	})
	if code, _, errOut := cli(t, dir, "content", "submit", "--version", "2", "--as", "center"); code != 0 {
		t.Fatal(errOut)
	}
	t.Run("the author and a non-reviewer are refused with the reason on stderr", func(t *testing.T) {
		for _, who := range []string{"center", "teacher"} {
			if code, _, errOut := cli(t, dir, "content", "approve", "--version", "2", "--as", who); code != 1 || !strings.Contains(errOut, "只有审核员") {
				t.Errorf("%s: %d %s", who, code, errOut)
			}
		}
	})
	t.Run("a return needs a comment", func(t *testing.T) {
		if code, _, errOut := cli(t, dir, "content", "return", "--version", "2", "--as", "reviewer"); code != 1 || !strings.Contains(errOut, "修改意见") {
			t.Errorf("%d %s", code, errOut)
		}
	})
	if code, stdout, errOut := cli(t, dir, "content", "approve", "--version", "2", "--as", "reviewer2", "--comment", "同意"); code != 0 || !strings.Contains(stdout, "已审核") {
		t.Fatalf("approve: %d %s %s", code, stdout, errOut)
	}
	t.Run("list shows both versions", func(t *testing.T) {
		_, stdout, _ := cli(t, dir, "content", "list")
		if !strings.Contains(stdout, "reviewer2") || strings.Count(stdout, "已审核") != 2 {
			t.Errorf("%s", stdout)
		}
	})
	t.Run("a new campaign pins the newest approved version; --content-version pins another", func(t *testing.T) {
		if code, stdout, errOut := cli(t, dir, "campaign", "create", "--name", "寒假前", "--schools", "实验小学,明德中学", "--deadline", "2027-01-10"); code != 0 || !strings.Contains(stdout, "content version 2") {
			t.Errorf("%d %s %s", code, stdout, errOut)
		}
		if code, stdout, errOut := cli(t, dir, "campaign", "create", "--name", "旧版", "--schools", "实验小学", "--content-version", "1"); code != 0 || !strings.Contains(stdout, "content version 1") {
			t.Errorf("%d %s %s", code, stdout, errOut)
		}
		if code, _, errOut := cli(t, dir, "campaign", "create", "--name", "寒假前", "--schools", "实验小学"); code != 1 || !strings.Contains(errOut, "已有") {
			t.Errorf("duplicate: %d %s", code, errOut)
		}
		_, stdout, _ := cli(t, dir, "campaign", "list")
		if !strings.Contains(stdout, "寒假前") || !strings.Contains(stdout, "旧版") {
			t.Errorf("%s", stdout)
		}
	})
	t.Run("an export of a version writes its own text", func(t *testing.T) {
		out2 := filepath.Join(dir, "v2")
		cli(t, dir, "content", "export", "--version", "2", "--out", out2)
		b, _ := os.ReadFile(filepath.Join(out2, "methods.txt"))
		if !strings.Contains(string(b), "冒充班主任在班级群收费") {
			t.Error("version 2's export lacks its edit")
		}
	})
}
