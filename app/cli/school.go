package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"jiashu/app/campaign"
	"jiashu/app/config"
	"jiashu/app/content"
	"jiashu/letters"
	"jiashu/store"
)

const schoolUsage = `usage: app school details --school NAME [--phone TEL] [--fee-rule TEXT] [--police-station NAME] [--police-phone TEL]`

// cmdSchool: app school details --school NAME [--phone …] [--fee-rule …]
// [--police-station …] [--police-phone …] sets the details a school's
// letters print (the flags given; the others are kept), checked as the
// school's page checks them and audited by the store; without any it only
// shows them. Either way it says which details the letters of the school's
// current campaign use and the school lacks (they print a write-in blank,
// or no line).
func cmdSchool(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] != "details" {
		fmt.Fprintln(e.stderr, schoolUsage)
		return exitUnusable
	}
	var cfg config.Config
	fs := flag.NewFlagSet("school details", flag.ContinueOnError)
	name := fs.String("school", "", "school name")
	fields := map[string]*string{
		"phone":          fs.String("phone", "", "the school's phone for checking fee notices ({学校电话})"),
		"fee-rule":       fs.String("fee-rule", "", "the school's fee rule ({收费说明}), at most 60 characters"),
		"police-station": fs.String("police-station", "", "the partner police station ({派出所})"),
		"police-phone":   fs.String("police-phone", "", "the police station's phone ({派出所电话})"),
	}
	if !parseFlags(e, fs, args[1:], &cfg) {
		return exitUnusable
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(e.stderr, "app school details: "+format+"\n", a...)
		return code
	}
	if *name == "" || fs.NArg() != 0 {
		return fail(exitUnusable, "需要 --school\n%s", schoolUsage)
	}
	st, sc, code, err := openSchool(ctx, cfg, *name)
	if err != nil {
		return fail(code, "%v", err)
	}
	defer st.Close()
	d, err := st.SchoolDetails(ctx, sc.ID)
	if err != nil {
		return fail(exitUnusable, "%v", err)
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if changed := pick(&d, fields, given); changed {
		if d, err = content.CheckDetails(d); err != nil {
			return fail(exitProblems, "%v", err)
		}
		if err := st.SetSchoolDetails(ctx, d, 0); err != nil {
			return fail(exitUnusable, "%v", err)
		}
	}
	if err := printDetails(ctx, e.stdout, st, sc, d); err != nil {
		return fail(exitUnusable, "%v", err)
	}
	return exitOK
}

// openSchool opens the store and finds the school named name; on an
// error, code is the exit status (a school that does not exist: the
// caller's to correct) and nothing is left open.
func openSchool(ctx context.Context, cfg config.Config, name string) (*store.Store, store.School, int, error) {
	st, err := openStore(ctx, cfg)
	if err != nil {
		return nil, store.School{}, exitUnusable, err
	}
	sc, err := st.SchoolByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		st.Close()
		return nil, sc, exitProblems, fmt.Errorf("没有名为“%s”的学校", name)
	} else if err != nil {
		st.Close()
		return nil, sc, exitUnusable, err
	}
	return st, sc, exitOK, nil
}

// pick copies the given flags' values into d; false when none was given.
func pick(d *store.SchoolDetails, fields map[string]*string, given map[string]bool) bool {
	targets := map[string]*string{"phone": &d.Phone, "fee-rule": &d.FeeRule, "police-station": &d.PoliceStation, "police-phone": &d.PolicePhone}
	changed := false
	for flagName, v := range fields {
		if given[flagName] {
			*targets[flagName], changed = *v, true
		}
	}
	return changed
}

// printDetails shows a school's details and what its current campaign's
// letters lack.
func printDetails(ctx context.Context, w io.Writer, st *store.Store, sc store.School, d store.SchoolDetails) error {
	show := func(v string) string {
		if v == "" {
			return "（未填）"
		}
		return v
	}
	fmt.Fprintf(w, "%s\n  学校电话：%s\n  收费说明：%s\n  派出所：%s\n  派出所电话：%s\n", sc.Name,
		show(d.Phone), show(d.FeeRule), show(d.PoliceStation), show(d.PolicePhone))
	camp, ok, err := campaign.Current(ctx, st, sc.ID)
	if err != nil || !ok {
		return err
	}
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		return err
	}
	gaps, err := campaign.SchoolGaps(ctx, st, content.NewEngines(st, eng), camp.ID, sc.ID)
	if err != nil {
		return err
	}
	if msg := content.GapsMessage(gaps); msg != "" {
		fmt.Fprintf(w, "%s的家书：%s\n", camp.Name, msg)
	} else {
		fmt.Fprintf(w, "%s的家书用到的学校信息都已填写。\n", camp.Name)
	}
	return nil
}
