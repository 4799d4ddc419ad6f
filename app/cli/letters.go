package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"

	"jiashu/app/campaign"
	"jiashu/app/config"
	"jiashu/app/content"
	"jiashu/grade"
	"jiashu/letters"
	"jiashu/store"
)

// cmdLetters: app letters --school NAME [--class NAME] [--campaign NAME] [--duplex] [--large-print] --out DIR
// writes a PDF per class into DIR. It refuses to run without a base URL
// (--base-url or JIASHU_BASE_URL): every slip's QR code and link would
// lead to localhost, and the school would reprint them all.
func cmdLetters(ctx context.Context, e *env, args []string) int {
	var cfg config.Config
	fs := flag.NewFlagSet("letters", flag.ContinueOnError)
	schoolName := fs.String("school", "", "school name")
	className := fs.String("class", "", "only this class, e.g. 三年级2班")
	campaignName := fs.String("campaign", "", "campaign (default: the school's current one, created when there is none)")
	out := fs.String("out", "", "folder for the class PDFs")
	duplex := fs.Bool("duplex", false, "start every letter on an odd page, for two-sided printing")
	large := fs.Bool("large-print", false, "every letter in large print (14 pt, two pages); grandparents' letters are large print anyway")
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "app letters: "+format+"\n", a...)
		return exitUnusable
	}
	if *schoolName == "" || *out == "" || fs.NArg() != 0 {
		return fail("usage: app letters --school NAME [--class NAME] [--campaign NAME] [--duplex] [--large-print] --base-url URL --out DIR")
	}
	if !cfg.BaseURLGiven {
		return fail("没有给出本服务的公网地址：信上的二维码和链接会指向 %s，家长的手机打不开。\n"+
			"请用 --base-url（或环境变量 %s）给出家长能打开的地址，例如 --base-url https://jiashu.example.edu.cn",
			cfg.BaseURL, config.EnvName("base-url"))
	}
	if config.LoopbackURL(cfg.BaseURL) {
		fmt.Fprintf(e.stderr, "app letters: 注意：%s 只在本机能打开，这些信只适合试印。\n", cfg.BaseURL)
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	job, err := loadLetterJob(ctx, st, *schoolName, *className, *campaignName)
	if err != nil {
		return fail("%v", err)
	}
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		return fail("%v", err)
	}
	build := campaign.Letters{Store: st, AgeGroups: cfg.AgeGroups, BaseURL: cfg.BaseURL, Content: content.NewEngines(st, eng)}
	batch, err := build.ForClasses(ctx, time.Now(), job.campaign.ID, job.classes)
	if err != nil {
		return fail("%v", err)
	}
	if len(batch) == 0 {
		return fail("%s 没有在读学生，请先导入名册", job.school.Name)
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return fail("%v", err)
	}
	bar := progress(e.stdout, len(batch))
	start := time.Now()
	stats, err := eng.WriteClasses(batch, letters.BatchOptions{
		Options:  letters.Options{Duplex: *duplex, LargePrint: *large},
		Progress: func(done, total int) { bar(done) },
	}, func(name string, pdf []byte) error {
		return os.WriteFile(filepath.Join(*out, name), pdf, 0o600)
	})
	if err != nil {
		return fail("%v", err)
	}
	elapsed := time.Since(start)
	if err := st.Audit(ctx, 0, "letters_cli", fmt.Sprintf("school %d %s, campaign %d, %d letters to %s", job.school.ID, job.school.Name, job.campaign.ID, stats.Letters, *out)); err != nil {
		return fail("%v", err)
	}
	fmt.Fprintf(e.stdout, "%s · %s：%d 个班级，%d 封信（大字版 %d 封），%d 页，%.1f MB，用时 %.2f 秒，已写入 %s\n",
		job.school.Name, job.campaign.Name, stats.Files, stats.Letters, stats.LargePrint, stats.Pages, float64(stats.Bytes)/(1<<20), elapsed.Seconds(), *out)
	fmt.Fprintf(e.stdout, "信上的二维码和链接指向 %s/a/…\n", cfg.BaseURL)
	if len(stats.Attention) > 0 {
		fmt.Fprintf(e.stdout, "%d 处需要老师核对或手写补全：\n", len(stats.Attention))
		for _, a := range stats.Attention {
			fmt.Fprintf(e.stdout, "  %s\t%s\t%s\t%s\n", a.ClassName, a.Ref, a.StudentName, a.Message)
		}
	}
	return exitOK
}

// letterJob is what one run of letters covers.
type letterJob struct {
	school   store.School
	campaign store.Campaign
	classes  []store.Class
}

func loadLetterJob(ctx context.Context, st *store.Store, schoolName, className, campaignName string) (letterJob, error) {
	var j letterJob
	var err error
	if j.school, err = st.SchoolByName(ctx, schoolName); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return j, fmt.Errorf("没有名为“%s”的学校，请先导入名册", schoolName)
		}
		return j, err
	}
	if campaignName == "" {
		j.campaign, err = campaign.CurrentOrDefault(ctx, st, j.school.ID)
	} else if j.campaign, err = st.CampaignByName(ctx, campaignName); errors.Is(err, store.ErrNotFound) {
		return j, fmt.Errorf("没有名为“%s”的宣传活动", campaignName)
	}
	if err != nil {
		return j, err
	}
	all, err := st.Classes(ctx, j.school.ID)
	if err != nil {
		return j, err
	}
	if className == "" {
		j.classes = all
		return j, nil
	}
	g, n, ok := grade.ParseClassName(className)
	for _, c := range all {
		if c.Name == className || (ok && c.Grade == g && c.Number == n) {
			j.classes = []store.Class{c}
			return j, nil
		}
	}
	return j, fmt.Errorf("%s 没有班级“%s”", j.school.Name, className)
}

// progress returns a function reporting done classes: a bar on a terminal, nothing otherwise.
func progress(w io.Writer, total int) func(done int) {
	f, ok := w.(*os.File)
	if !ok {
		return func(int) {}
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return func(int) {}
	}
	bar := progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("生成家书"),
		progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
	return func(done int) { bar.Set(done) }
}
