package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"jiashu/app/config"
	"jiashu/store"
)

// cmdBackup: app backup FILE, or app backup --dir DIR [--keep N], writes a
// consistent copy of the database, also while the server runs and writes:
// SQLite through store.Backup (VACUUM INTO, one read transaction),
// PostgreSQL through pg_dump's custom format (backup_files.go). With --dir
// the copy is named for the second it was taken (jiashu-20261128-023000.db,
// or .dump), so several a day coexist and none is ever overwritten, and
// only the newest N of them are kept. Every copy is 0600.
func cmdBackup(ctx context.Context, e *env, args []string) int {
	var cfg config.Config
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	dir := fs.String("dir", "", "folder to write a backup named for the time into (created 0700 if missing)")
	keep := fs.Int("keep", 0, "with --dir: keep only the newest N backups in the folder (0: keep all)")
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	if (fs.NArg() == 1) == (*dir != "") || fs.NArg() > 1 || *keep < 0 || (*keep > 0 && *dir == "") {
		fmt.Fprintln(e.stderr, "usage: app backup FILE | app backup --dir DIR [--keep N]")
		return exitUnusable
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "app backup: %v\n", err)
		return exitUnusable
	}
	defer st.Close()
	ext := backupExt(st.Dialect())
	path := fs.Arg(0)
	if *dir != "" {
		if path, err = newBackupName(*dir, ext, time.Now()); err != nil {
			fmt.Fprintf(e.stderr, "app backup: %v\n", err)
			return exitUnusable
		}
	}
	if st.Dialect() == store.Postgres {
		err = pgDump(ctx, cfg.DB, path)
	} else {
		err = st.Backup(ctx, path)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "app backup: %v\n", err)
		return exitUnusable
	}
	st.Audit(ctx, 0, "backup", fmt.Sprintf("to %s by CLI (%s)", path, osUser(e)))
	fmt.Fprintf(e.stdout, "已备份到 %s\n", path)
	if *keep > 0 {
		removed, err := pruneBackups(*dir, ext, *keep)
		for _, r := range removed {
			fmt.Fprintf(e.stdout, "已删除较早的备份 %s（保留最新 %d 份）\n", r, *keep)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "app backup: 备份已完成，但删除较早的备份时出错：%v\n", err)
			return exitProblems
		}
	}
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
