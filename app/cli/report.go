package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"time"

	"jiashu/app/config"
	"jiashu/app/locale"
	"jiashu/app/reach"
	"jiashu/app/report"
	"jiashu/assets"
	"jiashu/letters"
	"jiashu/store"
)

// cmdReport: app report --campaign NAME [--school NAME] --out FILE.xlsx
// writes the campaign's Excel report (report.XLSX) for the district
// or one school, and records it in the audit log.
func cmdReport(ctx context.Context, e *env, args []string) int {
	var cfg config.Config
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	campaignName := fs.String("campaign", "", "campaign name")
	schoolName := fs.String("school", "", "only this school (default: the whole district)")
	out := fs.String("out", "", "the .xlsx file to write")
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "app report: "+format+"\n", a...)
		return exitUnusable
	}
	if *campaignName == "" || *out == "" || fs.NArg() != 0 {
		return fail("usage: app report --campaign NAME [--school NAME] --out FILE.xlsx")
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	camp, err := st.CampaignByName(ctx, *campaignName)
	if errors.Is(err, store.ErrNotFound) {
		return fail("没有名为“%s”的宣传活动", *campaignName)
	}
	if err != nil {
		return fail("%v", err)
	}
	var school store.School
	if *schoolName != "" {
		if school, err = st.SchoolByName(ctx, *schoolName); errors.Is(err, store.ErrNotFound) {
			return fail("没有名为“%s”的学校", *schoolName)
		} else if err != nil {
			return fail("%v", err)
		}
		if !slices.Contains(camp.SchoolIDs, school.ID) {
			return fail("“%s”没有参加宣传活动“%s”", school.Name, camp.Name)
		}
	}
	// The report needs the letters library (each age group's quiz key) and
	// the catalogue, not the web server.
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		return fail("%v", err)
	}
	cat, err := locale.Load(assets.Web)
	if err != nil {
		return fail("%v", err)
	}
	b := reach.Breakdowns{Store: st, Library: eng.Library(), AgeGroups: cfg.AgeGroups}
	in, err := report.Load(ctx, b, cat.Zh, camp, school, time.Now())
	if err != nil {
		return fail("%v", err)
	}
	body, err := report.XLSX(in, cat.Zh)
	if err != nil {
		return fail("%v", err)
	}
	label := fmt.Sprintf("campaign %d", camp.ID)
	if school.ID != 0 {
		label = fmt.Sprintf("school %d campaign %d", school.ID, camp.ID)
	}
	if err := st.Audit(ctx, 0, "reach_report", label+" xlsx (aggregates, CLI)"); err != nil {
		return fail("%v", err)
	}
	if err := os.WriteFile(*out, body, 0o600); err != nil {
		return fail("%v", err)
	}
	fmt.Fprintf(e.stdout, "回执报表已写入 %s：在读学生 %d，已回执 %d（%d%%）\n", *out, in.Total.Students, in.Total.Acknowledged, in.Total.Percent())
	return exitOK
}
