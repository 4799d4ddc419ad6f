package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"jiashu/app/campaign"
	"jiashu/app/config"
	"jiashu/app/content"
	"jiashu/store"
)

const campaignUsage = `usage: app campaign create --name NAME --schools A,B [--deadline YYYY-MM-DD] [--content-version N]
       app campaign list`

// cmdCampaign: app campaign create|list. A new campaign pins the newest
// approved content version unless --content-version names another approved
// one; the creation is audited.
func cmdCampaign(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || (args[0] != "create" && args[0] != "list") {
		fmt.Fprintln(e.stderr, campaignUsage)
		return exitUnusable
	}
	var cfg config.Config
	fs := flag.NewFlagSet("campaign "+args[0], flag.ContinueOnError)
	name := fs.String("name", "", "campaign name (unique)")
	schools := fs.String("schools", "", "participating schools, comma-separated (created if new)")
	deadline := fs.String("deadline", "", "acknowledgement deadline, YYYY-MM-DD")
	version := fs.Int64("content-version", 0, "approved content version to pin (default: the newest approved)")
	if !parseFlags(e, fs, args[1:], &cfg) {
		return exitUnusable
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(e.stderr, "app campaign %s: "+format+"\n", append([]any{args[0]}, a...)...)
		return code
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return fail(exitUnusable, "%v", err)
	}
	defer st.Close()
	if args[0] == "list" {
		list, err := st.Campaigns(ctx)
		if err != nil {
			return fail(exitUnusable, "%v", err)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "id\tname\tdeadline\tschools\tcontent version\tcreated")
		for _, c := range list {
			full, err := st.Campaign(ctx, c.ID)
			if err != nil {
				return fail(exitUnusable, "%v", err)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%s\n", c.ID, c.Name, c.AckDeadline, len(full.SchoolIDs), full.ContentVersionID, c.CreatedAt.Format("2006-01-02"))
		}
		tw.Flush()
		return exitOK
	}
	if strings.TrimSpace(*name) == "" || strings.TrimSpace(*schools) == "" {
		return fail(exitUnusable, "需要 --name 和 --schools\n%s", campaignUsage)
	}
	if *deadline != "" {
		if _, err := time.Parse("2006-01-02", *deadline); err != nil {
			return fail(exitUnusable, "--deadline 要写成 YYYY-MM-DD，如 2026-10-15")
		}
	}
	c := store.Campaign{Name: *name, Term: campaign.TermOf(*name, time.Now()), AckDeadline: *deadline, QuizEnabled: true, ContentVersionID: *version}
	for _, s := range strings.Split(*schools, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		sc, _, err := st.EnsureSchool(ctx, s)
		if err != nil {
			return fail(exitUnusable, "%v", err)
		}
		c.SchoolIDs = append(c.SchoolIDs, sc.ID)
	}
	if _, err := st.CampaignByName(ctx, *name); err == nil {
		return fail(exitProblems, "已有名为“%s”的宣传活动", *name)
	}
	made, err := st.CreateCampaign(ctx, c)
	if err != nil {
		if msg := content.Refusal(err); msg != "" {
			return fail(exitProblems, "%s", msg)
		}
		if errors.Is(err, store.ErrNotFound) {
			return fail(exitProblems, "没有第 %d 版内容", *version)
		}
		return fail(exitUnusable, "%v", err)
	}
	if err := st.Audit(ctx, 0, "campaign_created", fmt.Sprintf("campaign %s (CLI), content version %d", made.Name, made.ContentVersionID)); err != nil {
		return fail(exitUnusable, "%v", err)
	}
	fmt.Fprintf(e.stdout, "campaign %d %s: %d schools, content version %d\n", made.ID, made.Name, len(made.SchoolIDs), made.ContentVersionID)
	return exitOK
}
