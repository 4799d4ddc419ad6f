package cli

import (
	"context"
	"flag"
	"fmt"

	"jiashu/app/campaign"
	"jiashu/app/config"
	"jiashu/problem"
)

const classUsage = `usage: app class head-teacher --school NAME --class NAME [--name NAME | --clear]`

// cmdClass: app class head-teacher --school NAME --class NAME [--name NAME
// | --clear] sets (or shows) the head teacher the class's letters sign
// with, its parents' page shows and its reminder texts name: the one the
// school controls, which a roster import never switches. Audited by the
// store (no user: the command line).
func cmdClass(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] != "head-teacher" {
		fmt.Fprintln(e.stderr, classUsage)
		return exitUnusable
	}
	var cfg config.Config
	fs := flag.NewFlagSet("class head-teacher", flag.ContinueOnError)
	schoolName := fs.String("school", "", "school name")
	className := fs.String("class", "", "class, e.g. 三年级2班")
	name := fs.String("name", "", "the head teacher's name as letters print it, e.g. 王老师")
	clear := fs.Bool("clear", false, "the class has no head teacher (the letters print no line naming one)")
	if !parseFlags(e, fs, args[1:], &cfg) {
		return exitUnusable
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(e.stderr, "app class head-teacher: "+format+"\n", a...)
		return code
	}
	if *schoolName == "" || *className == "" || fs.NArg() != 0 || (*clear && *name != "") {
		return fail(exitUnusable, "需要 --school 和 --class，--name 与 --clear 只能选一个\n%s", classUsage)
	}
	st, sc, code, err := openSchool(ctx, cfg, *schoolName)
	if err != nil {
		return fail(code, "%v", err)
	}
	defer st.Close()
	all, err := st.Classes(ctx, sc.ID)
	if err != nil {
		return fail(exitUnusable, "%v", err)
	}
	cl, err := findClass(sc, all, *className)
	if err != nil {
		return fail(exitProblems, "%v", err)
	}
	if *name != "" || *clear {
		if cl, err = campaign.SetHeadTeacher(ctx, st, cl.ID, *name, 0); err != nil {
			if p := problem.As(err); p != nil {
				return fail(exitProblems, "%s", p.Message)
			}
			return fail(exitUnusable, "%v", err)
		}
	}
	if cl.HeadTeacher == "" {
		fmt.Fprintf(e.stdout, "%s %s：没有班主任（家书不印署名班主任的一行，提醒短信写“班主任”）\n", sc.Name, cl.Name)
	} else {
		fmt.Fprintf(e.stdout, "%s %s：班主任 %s（家书落款、家长页面和提醒短信都署这个名字）\n", sc.Name, cl.Name, cl.HeadTeacher)
	}
	return exitOK
}
