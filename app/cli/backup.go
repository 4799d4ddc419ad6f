package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"jiashu/app/config"
	"jiashu/store"
)

// cmdBackup: app backup FILE writes a consistent copy of the SQLite
// database (store.Backup: VACUUM INTO, one read transaction), also while
// the server runs and writes. PostgreSQL: pg_dump (docs/deploy.md).
func cmdBackup(ctx context.Context, e *env, args []string) int {
	var cfg config.Config
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "usage: app backup FILE")
		return exitUnusable
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "app backup: %v\n", err)
		return exitUnusable
	}
	defer st.Close()
	if err := st.Backup(ctx, fs.Arg(0)); err != nil {
		if errors.Is(err, store.ErrNotSQLite) {
			fmt.Fprintln(e.stderr, "app backup: 数据库是 PostgreSQL：请用 pg_dump 备份（见 docs/deploy.md）")
		} else {
			fmt.Fprintf(e.stderr, "app backup: %v\n", err)
		}
		return exitUnusable
	}
	st.Audit(ctx, 0, "backup", fmt.Sprintf("to %s by CLI (%s)", fs.Arg(0), osUser(e)))
	fmt.Fprintf(e.stdout, "已备份到 %s\n", fs.Arg(0))
	return exitOK
}

// cmdRestore: app restore FILE replaces the SQLite database by a backup.
// It opens no store: the database must not be in use (store.Restore
// refuses while any program has it open).
func cmdRestore(ctx context.Context, e *env, args []string) int {
	var cfg config.Config
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "usage: app restore FILE")
		return exitUnusable
	}
	err := store.Restore(ctx, fs.Arg(0), cfg.DB)
	switch {
	case err == nil:
		fmt.Fprintf(e.stdout, "已从 %s 恢复数据库 %s；启动服务后即可使用\n", fs.Arg(0), cfg.DB)
		return exitOK
	case errors.Is(err, store.ErrDatabaseInUse):
		fmt.Fprintln(e.stderr, "app restore: 数据库正在被使用，请先停止服务（及其他正在运行的 app 命令）")
	case errors.Is(err, store.ErrBadBackup):
		fmt.Fprintf(e.stderr, "app restore: %s 不是本服务可用的备份文件，数据库未改动（%v）\n", fs.Arg(0), err)
	case errors.Is(err, store.ErrNotSQLite):
		fmt.Fprintln(e.stderr, "app restore: 数据库是 PostgreSQL：请用 pg_restore 恢复（见 docs/deploy.md）")
	default:
		fmt.Fprintf(e.stderr, "app restore: %v\n", err)
	}
	return exitUnusable
}
