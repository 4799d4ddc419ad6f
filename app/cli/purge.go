package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"jiashu/app/campaign"
	"jiashu/app/config"
	"jiashu/store"
)

// cmdPurge: app purge --campaign NAME [--dry-run] [--yes] removes the
// personal data of a finished campaign and keeps its figures (see
// store.PurgeCampaign for what goes and what stays).
func cmdPurge(ctx context.Context, e *env, args []string) int {
	var cfg config.Config
	fs := flag.NewFlagSet("purge", flag.ContinueOnError)
	campaignName := fs.String("campaign", "", "the campaign to purge")
	dryRun := fs.Bool("dry-run", false, "only count what would be removed")
	yes := fs.Bool("yes", false, "purge even though the acknowledgement deadline has not passed (or there is none)")
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(e.stderr, "app purge: "+format+"\n", a...)
		return code
	}
	if *campaignName == "" || fs.NArg() != 0 {
		return fail(exitUnusable, "usage: app purge --campaign NAME [--dry-run] [--yes]")
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return fail(exitUnusable, "%v", err)
	}
	defer st.Close()
	camp, err := st.CampaignByName(ctx, *campaignName)
	if errors.Is(err, store.ErrNotFound) {
		return fail(exitUnusable, "没有名为“%s”的宣传活动", *campaignName)
	}
	if err != nil {
		return fail(exitUnusable, "%v", err)
	}
	if p, ok, err := st.CampaignPurge(ctx, camp.ID); err != nil {
		return fail(exitUnusable, "%v", err)
	} else if ok {
		// Run again after a compaction that failed: compact now.
		if !*dryRun {
			if err := st.Compact(ctx); err != nil {
				return fail(exitProblems, "宣传活动“%s”已清除过个人信息，但数据库文件仍未能压缩，请稍后再试（%v）", camp.Name, err)
			}
		}
		return fail(exitProblems, "宣传活动“%s”已于 %s 清除过个人信息，无需再次清除（数据库文件已重新压缩）",
			camp.Name, p.PurgedAt.In(campaign.ChinaTime).Format("2006-01-02 15:04"))
	}
	res, err := st.PurgeCampaign(ctx, store.PurgeOptions{CampaignID: camp.ID, DryRun: *dryRun, Force: *yes})
	switch {
	case errors.Is(err, store.ErrPurgeDeadline):
		if camp.AckDeadline == "" {
			return fail(exitProblems, "宣传活动“%s”没有设回执截止日期，无法判断是否已结束；确认要清除请加 --yes（可先用 --dry-run 查看）", camp.Name)
		}
		return fail(exitProblems, "宣传活动“%s”的回执截止日期 %s 还没过，家长可能仍在回执；确认要清除请加 --yes（可先用 --dry-run 查看）",
			camp.Name, camp.AckDeadline)
	case errors.Is(err, store.ErrPurgeJobsPending):
		return fail(exitProblems, "宣传活动“%s”还有排队或进行中的后台任务（生成家书或发送提醒），请等任务结束后再清除", camp.Name)
	case errors.Is(err, store.ErrAlreadyPurged):
		return fail(exitProblems, "宣传活动“%s”已清除过个人信息", camp.Name)
	case errors.Is(err, store.ErrNotCompacted):
		// The purge is committed; only overwriting the freed pages failed
		// (a long reader held the file). Say both, and how to finish.
		printPurge(e.stdout, res)
		return fail(exitProblems, "清除已完成并记入审计日志，但数据库文件尚未压缩，已删除的内容可能仍留在空闲页中：请稍后运行 app retention --compact（或再运行一次 app purge --campaign %q）完成压缩（%v）", camp.Name, err)
	case err != nil:
		return fail(exitUnusable, "%v", err)
	}
	printPurge(e.stdout, res)
	return exitOK
}

// printPurge writes the summary of a purge or a dry run.
func printPurge(w io.Writer, res store.PurgeResult) {
	c := res.Counts
	deadline := "未设回执截止日期"
	if res.Campaign.AckDeadline != "" {
		state := "尚未过"
		if res.DeadlinePassed {
			state = "已过"
		}
		deadline = fmt.Sprintf("回执截止 %s，%s", res.Campaign.AckDeadline, state)
	}
	verb := "已删除"
	if res.DryRun {
		verb = "将删除"
	}
	fmt.Fprintf(w, "宣传活动“%s”（%s）\n%s：\n", res.Campaign.Name, deadline, verb)
	fmt.Fprintf(w, "  家书及其二维码/确认码  %d 封（其中已回执 %d 封，含家长关系 %d 条，含答题 %d 份）\n",
		c.Letters, c.Acknowledged, c.Relations, c.QuizAnswers)
	fmt.Fprintf(w, "  提醒短信记录          %d 条\n", c.Reminders)
	fmt.Fprintf(w, "  后台任务及结果文件    %d 个（%.1f MB）\n", c.Jobs, float64(c.JobBytes)/(1<<20))
	fmt.Fprintf(w, "  过期的名册上传        %d 个\n", c.Uploads)
	fmt.Fprintf(w, "保留：%d 个班级的汇总数字（学生数、发放、打开、按渠道的回执、答题、提醒），活动本身，以及学校的学生和家长名册（其他活动仍在使用）\n",
		c.ClassFigures)
	if res.DryRun {
		fmt.Fprintln(w, "这是试运行（--dry-run），没有做任何更改。")
		return
	}
	fmt.Fprintln(w, "已完成，并已记入审计日志。家长再打开这些家书的链接或确认码会显示“没有找到”。")
}
