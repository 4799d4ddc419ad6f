package cli

import (
	"context"
	"flag"
	"fmt"

	"jiashu/app/account"
	"jiashu/app/config"
)

// cmdUserUnlock: app user unlock USERNAME. Lifts the sign-in lock of any
// account, the district administrator's included (nobody above it can do
// it on a page), and forgets the failures counted against it; audited, and
// told to the owner on their account page as lifted "from the command
// line" by the system user who ran it.
func cmdUserUnlock(ctx context.Context, e *env, args []string) int {
	var cfg config.Config
	fs := flag.NewFlagSet("user unlock", flag.ContinueOnError)
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "usage: app user unlock USERNAME")
		return exitUnusable
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "app user unlock: %v\n", err)
		return exitUnusable
	}
	defer st.Close()
	u, err := st.UserByUsername(ctx, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(e.stderr, "app user unlock: no user %q\n", fs.Arg(0))
		return exitUnusable
	}
	locked, err := account.Unlock(ctx, st, account.Actor{By: "CLI (" + osUser(e) + ")"}, u, fmt.Sprintf("系统管理员（命令行，%s）", osUser(e)))
	if err != nil {
		fmt.Fprintf(e.stderr, "app user unlock: %v\n", err)
		return exitUnusable
	}
	if locked {
		fmt.Fprintf(e.stdout, "已解除 %s 的登录锁定，各设备输错密码的记录已清除；已记入审计日志，本人会在“我的账号”页看到。\n", u.Username)
	} else {
		fmt.Fprintf(e.stdout, "%s 现在没有被锁定；各设备输错密码的记录已清除（已记入审计日志）。\n", u.Username)
	}
	return exitOK
}
