package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"jiashu/app/account"
	"jiashu/store"
)

func TestUserCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "JIASHU_DATA_DIR" {
			return dir
		}
		return ""
	}
	app := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := Run(context.Background(), args, getenv, &out, &errOut)
		return code, out.String(), errOut.String()
	}
	pwRE := regexp.MustCompile(`一次性密码：(\S+)`)
	code, out, errOut := app("user", "add", "--username", "wang", "--role", "班主任", "--name", "王老师", "--school", "阳光小学", "--class", "五年级（3）班", "--class", "三年级2班")
	t.Run("adding a teacher prints a one-time password and assigns the classes", func(t *testing.T) {
		if code != exitOK || pwRE.FindStringSubmatch(out) == nil || !strings.Contains(out, "五年级3班、三年级2班") {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
	})
	st, err := store.Open(context.Background(), filepath.Join(dir, "jiashu.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByUsername(context.Background(), "wang")
	if err != nil || !u.MustChangePassword || u.Role != store.RoleTeacher || !account.Check(u.PasswordHash, pwRE.FindStringSubmatch(out)[1]) {
		t.Fatalf("stored user %+v, %v", u, err)
	}
	t.Run("bad invocations say what is wrong and write nothing", func(t *testing.T) {
		for _, args := range [][]string{
			{"user", "add", "--username", "x", "--role", "boss"},
			{"user", "add", "--username", "x", "--role", "teacher"},
			{"user", "add", "--username", "x", "--role", "teacher", "--school", "阳光小学", "--class", "三年级"},
			{"user", "add", "--username", "wang", "--role", "teacher", "--school", "阳光小学"},
			{"user", "add", "--username", "x", "--role", "district_admin", "--school", "阳光小学"},
		} {
			if code, _, errOut := app(args...); code != exitUnusable || errOut == "" {
				t.Errorf("%v: exit %d %q", args, code, errOut)
			}
		}
		if users, _ := st.Users(context.Background()); len(users) != 1 {
			t.Errorf("%d users after bad invocations", len(users))
		}
	})
	t.Run("usernames follow the web's rule and ignore case", func(t *testing.T) {
		for _, c := range []struct{ username, want string }{
			{"WANG", "已被使用"},
			{"ｗａｎｇ２", "英文字母、数字和 . _ -"},
			{"wаng", "英文字母、数字和 . _ -"}, // a Cyrillic а
			{"王老师", "英文字母、数字和 . _ -"},
		} {
			code, _, errOut := app("user", "add", "--username", c.username, "--role", "teacher", "--school", "阳光小学")
			if code != exitUnusable || !strings.Contains(errOut, c.want) {
				t.Errorf("%q: exit %d, want a refusal with %q: %s", c.username, code, c.want, errOut)
			}
		}
		if users, _ := st.Users(context.Background()); len(users) != 1 {
			t.Errorf("%d users after refused names", len(users))
		}
	})
	t.Run("a reset gives a new one-time password and signs the user out", func(t *testing.T) {
		tok, _ := st.CreateSession(context.Background(), u.ID, time.Hour)
		code, out, errOut := app("user", "reset-password", "wang")
		m := pwRE.FindStringSubmatch(out)
		if code != exitOK || m == nil {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
		u2, _ := st.UserByUsername(context.Background(), "wang")
		if !account.Check(u2.PasswordHash, m[1]) || !u2.MustChangePassword {
			t.Fatal("the new password is not stored as a one-time password")
		}
		if _, _, err := st.SessionUser(context.Background(), tok); err == nil {
			t.Fatal("the old session survived the reset")
		}
	})
	t.Run("list shows the account with school and classes", func(t *testing.T) {
		code, out, _ := app("user", "list")
		if code != exitOK || !strings.Contains(out, "wang") || !strings.Contains(out, "阳光小学") || !strings.Contains(out, "三年级2班") {
			t.Fatalf("exit %d\n%s", code, out)
		}
	})
}
