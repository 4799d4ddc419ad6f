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
	"jiashu/letters"
	"jiashu/problem"
	"jiashu/store"
)

const campaignUsage = `usage: app campaign create --name NAME --schools A,B [--deadline YYYY-MM-DD] [--content-version N] [--opening NAME]
       app campaign opening --name NAME [--opening NAME | --none]
       app campaign content --name NAME --content-version N
       app campaign list`

// campaignCmd is one run of "app campaign ACTION" with its flags.
type campaignCmd struct {
	ctx     context.Context
	e       *env
	action  string
	st      *store.Store
	name    string
	schools string
	dead    string
	version int64
	opening string
	none    bool
}

// fail says what went wrong on stderr and returns code.
func (cc *campaignCmd) fail(code int, format string, a ...any) int {
	fmt.Fprintf(cc.e.stderr, "app campaign %s: "+format+"\n", append([]any{cc.action}, a...)...)
	return code
}

// cmdCampaign: app campaign create|opening|content|list. A new campaign
// pins the newest approved content version unless --content-version names
// another approved one, and may open its letters with one of that
// version's reviewed opening lines (--opening 寒假); `opening` shows or
// changes a campaign's; `content` moves a campaign to another approved
// version (the API's PUT /campaigns/{id}/content). Every change is audited.
func cmdCampaign(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || (args[0] != "create" && args[0] != "list" && args[0] != "opening" && args[0] != "content") {
		fmt.Fprintln(e.stderr, campaignUsage)
		return exitUnusable
	}
	var cfg config.Config
	cc := &campaignCmd{ctx: ctx, e: e, action: args[0]}
	fs := flag.NewFlagSet("campaign "+args[0], flag.ContinueOnError)
	fs.StringVar(&cc.name, "name", "", "campaign name (unique)")
	fs.StringVar(&cc.schools, "schools", "", "participating schools, comma-separated (created if new)")
	fs.StringVar(&cc.dead, "deadline", "", "acknowledgement deadline, YYYY-MM-DD")
	fs.Int64Var(&cc.version, "content-version", 0, "approved content version to pin (default: the newest approved)")
	fs.StringVar(&cc.opening, "opening", "", "opening line by name (开学, 寒假 …), one of the content version's reviewed openings.txt")
	fs.BoolVar(&cc.none, "none", false, "the campaign's letters open with no opening line")
	if !parseFlags(e, fs, args[1:], &cfg) {
		return exitUnusable
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return cc.fail(exitUnusable, "%v", err)
	}
	defer st.Close()
	cc.st = st
	switch cc.action {
	case "list":
		return cc.list()
	case "opening":
		return cc.setOpening()
	case "content":
		return cc.moveContent()
	}
	return cc.create()
}

// list: the campaigns with their deadline, schools, content version and
// opening line.
func (cc *campaignCmd) list() int {
	list, err := cc.st.Campaigns(cc.ctx)
	if err != nil {
		return cc.fail(exitUnusable, "%v", err)
	}
	tw := tabwriter.NewWriter(cc.e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "id\tname\tdeadline\tschools\tcontent version\topening\tcreated")
	for _, c := range list {
		full, err := cc.st.Campaign(cc.ctx, c.ID)
		if err != nil {
			return cc.fail(exitUnusable, "%v", err)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%s\t%s\n", c.ID, c.Name, c.AckDeadline, len(full.SchoolIDs), full.ContentVersionID,
			c.OpeningName, c.CreatedAt.Format("2006-01-02"))
	}
	tw.Flush()
	return exitOK
}

// engines are the content engines of the store's versions.
func (cc *campaignCmd) engines() (*content.Engines, error) {
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		return nil, err
	}
	return content.NewEngines(cc.st, eng), nil
}

// refused reports a use case's refusal (exit 1) or an error (exit 2).
func (cc *campaignCmd) refused(err error) int {
	if errors.Is(err, store.ErrNotFound) { // a problem without a message
		return cc.fail(exitProblems, "没有第 %d 版内容", cc.version)
	}
	if p := problem.As(err); p != nil && p.Message != "" {
		return cc.fail(exitProblems, "%s", p.Message)
	}
	if msg := content.Refusal(err); msg != "" {
		return cc.fail(exitProblems, "%s", msg)
	}
	return cc.fail(exitUnusable, "%v", err)
}

// create: a new campaign, audited.
func (cc *campaignCmd) create() int {
	if strings.TrimSpace(cc.name) == "" || strings.TrimSpace(cc.schools) == "" {
		return cc.fail(exitUnusable, "需要 --name 和 --schools\n%s", campaignUsage)
	}
	if cc.dead != "" {
		if _, err := time.Parse("2006-01-02", cc.dead); err != nil {
			return cc.fail(exitUnusable, "--deadline 要写成 YYYY-MM-DD，如 2026-10-15")
		}
	}
	c := store.Campaign{Name: cc.name, Term: campaign.TermOf(cc.name, time.Now()), AckDeadline: cc.dead, QuizEnabled: true, ContentVersionID: cc.version}
	if cc.opening != "" {
		eng, err := cc.engines()
		if err != nil {
			return cc.fail(exitUnusable, "%v", err)
		}
		o, err := campaign.ResolveOpening(cc.ctx, eng, cc.version, cc.opening)
		if err != nil {
			return cc.refused(err)
		}
		c.OpeningName, c.Opening, c.ContentVersionID = o.Name, o.Text, o.Version
	}
	for _, s := range strings.Split(cc.schools, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		sc, _, err := cc.st.EnsureSchool(cc.ctx, s)
		if err != nil {
			return cc.fail(exitUnusable, "%v", err)
		}
		c.SchoolIDs = append(c.SchoolIDs, sc.ID)
	}
	if _, err := cc.st.CampaignByName(cc.ctx, cc.name); err == nil {
		return cc.fail(exitProblems, "已有名为“%s”的宣传活动", cc.name)
	}
	made, err := cc.st.CreateCampaign(cc.ctx, c)
	if err != nil {
		return cc.refused(err)
	}
	if err := cc.st.Audit(cc.ctx, 0, "campaign_created", fmt.Sprintf("campaign %s (CLI), content version %d, opening %q",
		made.Name, made.ContentVersionID, made.OpeningName)); err != nil {
		return cc.fail(exitUnusable, "%v", err)
	}
	fmt.Fprintf(cc.e.stdout, "campaign %d %s: %d schools, content version %d\n", made.ID, made.Name, len(made.SchoolIDs), made.ContentVersionID)
	if made.Opening != "" {
		fmt.Fprintf(cc.e.stdout, "开头语“%s”：%s\n", made.OpeningName, made.Opening)
	}
	return exitOK
}

// setOpening shows a campaign's opening line and the openings of its
// content version, or changes it (--opening NAME, --none).
func (cc *campaignCmd) setOpening() int {
	if strings.TrimSpace(cc.name) == "" || (cc.none && cc.opening != "") {
		return cc.fail(exitUnusable, "需要 --name，--opening 与 --none 只能选一个\n%s", campaignUsage)
	}
	c, code := cc.named()
	if code != exitOK {
		return code
	}
	eng, err := cc.engines()
	if err != nil {
		return cc.fail(exitUnusable, "%v", err)
	}
	if cc.opening != "" || cc.none {
		if c, err = campaign.SetOpening(cc.ctx, cc.st, eng, c, cc.opening, 0); err != nil {
			return cc.refused(err)
		}
	}
	if c.Opening == "" {
		fmt.Fprintf(cc.e.stdout, "%s：没有开头语\n", c.Name)
	} else {
		fmt.Fprintf(cc.e.stdout, "%s：开头语“%s”：%s\n", c.Name, c.OpeningName, c.Opening)
	}
	list, err := eng.Openings(cc.ctx, c.ContentVersionID)
	if err != nil {
		return cc.fail(exitUnusable, "%v", err)
	}
	fmt.Fprintf(cc.e.stdout, "内容第%d版的开头语（--opening 名称）：\n", c.ContentVersionID)
	for _, o := range list {
		fmt.Fprintf(cc.e.stdout, "  %s\t%s\n", o.Name, o.Text)
	}
	return exitOK
}

// named is the campaign --name names, in full; a code other than exitOK
// when there is none (said on stderr).
func (cc *campaignCmd) named() (store.Campaign, int) {
	c, err := cc.st.CampaignByName(cc.ctx, cc.name)
	if errors.Is(err, store.ErrNotFound) {
		return c, cc.fail(exitProblems, "没有名为“%s”的宣传活动", cc.name)
	} else if err == nil {
		c, err = cc.st.Campaign(cc.ctx, c.ID)
	}
	if err != nil {
		return c, cc.fail(exitUnusable, "%v", err)
	}
	return c, exitOK
}

// moveContent moves a campaign to another approved content version, as
// the center does on upgrading to new content: letters already produced
// keep the version they were printed with (their parents' pages too);
// letters produced from now on follow the new one. Audited by the store.
func (cc *campaignCmd) moveContent() int {
	if strings.TrimSpace(cc.name) == "" || cc.version <= 0 {
		return cc.fail(exitUnusable, "需要 --name 和 --content-version\n%s", campaignUsage)
	}
	c, code := cc.named()
	if code != exitOK {
		return code
	}
	if err := cc.st.MoveCampaignContent(cc.ctx, c.ID, cc.version, 0); err != nil {
		return cc.refused(err)
	}
	counts, err := cc.st.CampaignContentCounts(cc.ctx, c.ID)
	if err != nil {
		return cc.fail(exitUnusable, "%v", err)
	}
	fmt.Fprintf(cc.e.stdout, "%s：此后生成的家书用内容第%d版\n", c.Name, cc.version)
	for _, n := range counts {
		fmt.Fprintf(cc.e.stdout, "  已生成的 %d 封信用第%d版\n", n.Letters, n.VersionID)
	}
	return exitOK
}
