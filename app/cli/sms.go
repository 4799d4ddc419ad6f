package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"jiashu/app/config"
	"jiashu/app/locale"
	"jiashu/app/reminders"
	"jiashu/assets"
	"jiashu/problem"
	"jiashu/sms"
)

const smsUsage = `usage: app sms template --kind reminder|alert [--code CODE] --text TEXT [--bind 1=school,2=student]
       app sms template --kind reminder|alert      (shows the template entered and a family's text)`

// cmdSMS: app sms template. The education center enters a template as the
// provider approved it (its code and text, and for numbered variables what
// each carries), the same way as on the SMS settings page: it is checked
// under the provider's rules, must lead families to their letter, and the
// text a sample family would receive is printed with its segments.
// Refused: exit 1 with the reason.
func cmdSMS(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] != "template" {
		fmt.Fprintln(e.stderr, smsUsage)
		return exitUnusable
	}
	var cfg config.Config
	fs := flag.NewFlagSet("sms template", flag.ContinueOnError)
	kind := fs.String("kind", "", "reminder or alert")
	code := fs.String("code", "", "the template's code (default: the one --sms-template-reminder or --sms-template-alert gives)")
	text := fs.String("text", "", "the template's text exactly as the provider approved it")
	bind := fs.String("bind", "", "what each numbered variable carries: 1=school,2=student,3=code")
	if !parseFlags(e, fs, args[1:], &cfg) {
		return exitUnusable
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(e.stderr, "app sms template: "+format+"\n", a...)
		return code
	}
	if *kind != reminders.KindReminder && *kind != reminders.KindAlert {
		return fail(exitUnusable, "需要 --kind reminder 或 --kind alert\n%s", smsUsage)
	}
	cat, err := locale.Load(assets.Web)
	if err != nil {
		return fail(exitUnusable, "%v", err)
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return fail(exitUnusable, "%v", err)
	}
	defer st.Close()
	texts := reminders.Texts{Lists: reminders.Lists{Store: st, BaseURL: cfg.BaseURL, Text: cat.Zh}, Config: cfg}
	var tpl *sms.Template
	if strings.TrimSpace(*text) == "" {
		tpl, err = texts.Template(ctx, *kind)
	} else {
		var binding map[string]string
		if binding, err = reminders.ParseBind(*bind); err == nil {
			tpl, _, err = texts.SaveTemplate(ctx, *kind, *code, *text, binding, 0)
		}
	}
	if msg := problem.Message(err); msg != "" {
		return fail(exitProblems, "%s", msg)
	}
	if err != nil {
		return fail(exitUnusable, "%v", err)
	}
	sample, _ := texts.Sample(tpl)
	if strings.TrimSpace(*text) != "" {
		fmt.Fprintf(e.stdout, "已保存 %s 模板 %s。\n", *kind, tpl.Code)
	}
	fmt.Fprintf(e.stdout, "家长将收到（样例）：\n%s\n%d 字，计费 %d 条\n", sample.Body, sms.Length(sample.Body), sms.Segments(sample.Body))
	return exitOK
}
