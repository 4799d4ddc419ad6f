package cli

import (
	"context"
	"flag"
	"fmt"
	"os"

	"jiashu/app/config"
	"jiashu/roster"
)

// cmdRosterTemplate: app roster-template FILE
func cmdRosterTemplate(_ context.Context, e *env, args []string) int {
	var cfg config.Config
	fs := flag.NewFlagSet("roster-template", flag.ContinueOnError)
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "usage: app roster-template FILE")
		return exitUnusable
	}
	f, err := os.Create(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(e.stderr, "app roster-template:", err)
		return exitUnusable
	}
	if err := roster.WriteTemplate(f); err != nil {
		f.Close()
		fmt.Fprintln(e.stderr, "app roster-template:", err)
		return exitUnusable
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(e.stderr, "app roster-template:", err)
		return exitUnusable
	}
	fmt.Fprintf(e.stdout, "已写入名册模板 %s\n", fs.Arg(0))
	return exitOK
}
