package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"jiashu/app/config"
	"jiashu/store"
)

// cmdRetention: app retention [--days N] [--dry-run] applies the retention
// rule (store.EraseFormerStudents): students no longer on any roster who
// left N days ago and whose every campaign closed N days ago are
// anonymised, their guardians with them; the figures stay exact. N defaults
// to --retention-days (JIASHU_RETENTION_DAYS). Run it daily (docs/deploy.md).
func cmdRetention(ctx context.Context, e *env, args []string) int {
	var cfg config.Config
	fs := flag.NewFlagSet("retention", flag.ContinueOnError)
	days := fs.Int("days", -1, "days after leaving and after the last campaign closed (default --retention-days)")
	dryRun := fs.Bool("dry-run", false, "only count what would be erased")
	compact := fs.Bool("compact", false, "only compact the database file (after an erasure or purge whose compaction failed)")
	full := fs.Bool("full", false, "with --compact on PostgreSQL: VACUUM FULL (rewrites the tables, locking each meanwhile), not a plain VACUUM")
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	if fs.NArg() != 0 || *days < -1 || (*full && !*compact) {
		fmt.Fprintln(e.stderr, "usage: app retention [--days N] [--dry-run] | --compact [--full]")
		return exitUnusable
	}
	if *days == -1 {
		*days = cfg.RetentionDays
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "app retention: %v\n", err)
		return exitUnusable
	}
	defer st.Close()
	if *compact {
		return compactNow(ctx, e, st, *full)
	}
	res, err := st.EraseFormerStudents(ctx, store.RetentionOptions{Days: *days, DryRun: *dryRun})
	return reportErasure(e, "retention", fmt.Sprintf("离校且所有宣传活动结束已满 %d 天的学生", *days), res, err)
}

// reportErasure prints an erasure's counts, or why it failed; a compaction
// that failed after the erasure is committed is said as such.
func reportErasure(e *env, cmd, what string, res store.ErasureResult, err error) int {
	compactErr := error(nil)
	if err != nil && !isNotCompacted(err) {
		fmt.Fprintf(e.stderr, "app %s: %v\n", cmd, err)
		return exitUnusable
	} else if err != nil {
		compactErr = err
	}
	printErasure(e.stdout, what, res)
	if compactErr != nil {
		fmt.Fprintf(e.stderr, "app %s: 已删除并记入审计日志，但数据库文件尚未压缩，删除的内容可能仍在空闲页中：请稍后运行 app retention --compact（%v）\n", cmd, compactErr)
		return exitProblems
	}
	return exitOK
}

// printErasure writes the counts of an erasure or a dry run.
func printErasure(w io.Writer, what string, res store.ErasureResult) {
	verb := "已删除"
	if res.DryRun {
		verb = "将删除"
	}
	c := res.Counts
	fmt.Fprintf(w, "%s：%s个人信息\n", what, verb)
	fmt.Fprintf(w, "  学生     %d 名（姓名、学号、性别、出生日期）\n", c.Students)
	fmt.Fprintf(w, "  家长     %d 位（姓名、关系、手机号）\n", c.Guardians)
	fmt.Fprintf(w, "  家书     %d 封（二维码和确认码作废，家长关系和答题删除）\n", c.Letters)
	fmt.Fprintf(w, "  提醒记录 %d 条\n", c.Reminders)
	fmt.Fprintln(w, "保留：各班级和宣传活动的统计数字（发放、打开、回执、答题）不变。")
	if res.DryRun {
		fmt.Fprintln(w, "这是试运行（--dry-run），没有做任何更改。")
		return
	}
	fmt.Fprintln(w, "已完成，并已记入审计日志。")
}
