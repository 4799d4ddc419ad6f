// Package cli is the program's commands: serve, import, letters, report,
// purge, user, roster-template (and the demo behind serve --demo), each a
// file, all on the same database and settings.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"jiashu/app/config"
	"log/slog"
	"strings"
)

// command is one subcommand of the program.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, e *env, args []string) int
}

// env is what a command gets from the process: no globals, so tests can run commands in-process.
type env struct {
	getenv         func(string) string
	stdout, stderr io.Writer
}

// Exit codes shared by the commands.
const (
	exitOK       = 0
	exitProblems = 1 // the input has problems a person must fix; nothing was written
	exitUnusable = 2 // the input or the invocation is unusable
	// exitInternal is a failure that is not the input's: the database, a
	// bug (a panic). A script must never take it for a refused file.
	exitInternal = 70 // EX_SOFTWARE of sysexits.h
)

func commands() []command {
	return []command{
		{"serve", "[--demo]", "run the web server", cmdServe},
		{"import", "--school NAME [--class NAME] [--dry-run] [--valid-only] [--json] FILE", "import a roster workbook", cmdImport},
		{"letters", "--school NAME [--class NAME] [--campaign NAME] [--duplex] [--large-print] --base-url URL --out DIR", "write the letters of a school or class as a PDF per class", cmdLetters},
		{"roster-template", "FILE", "write the roster template workbook", cmdRosterTemplate},
		{"lesson", "--school NAME [--class NAME] [--campaign NAME] --out DIR", "write the class-meeting kit (lesson sheet and slides) of each age group of a school, or of a class", cmdLesson},
		{"report", "--campaign NAME [--school NAME] --out FILE.xlsx", "write a campaign's Excel report (figures and charts, no personal data)", cmdReport},
		{"purge", "--campaign NAME [--dry-run] [--yes]", "remove a finished campaign's personal data, keeping its figures", cmdPurge},
		{"content", "list | export [--version N] --out DIR | import --from DIR --author U | submit|approve|return --version N --as U [--comment T]", "letter content under review (audited)", cmdContent},
		{"campaign", "create --name NAME --schools A,B [--deadline YYYY-MM-DD] [--content-version N] [--opening NAME] | opening --name NAME [--opening NAME | --none] | content --name NAME --content-version N | list", "create and list campaigns (each pins an approved content version), set their reviewed opening line, move one to another approved version", cmdCampaign},
		{"school", "details --school NAME [--phone TEL] [--fee-rule TEXT] [--police-station NAME] [--police-phone TEL]", "set or show the details a school's letters print, and which of them its letters lack (audited)", cmdSchool},
		{"class", "head-teacher --school NAME --class NAME [--name NAME | --clear]", "set or show the head teacher a class's letters, parents' page and texts name (audited)", cmdClass},
		{"sms", "template --kind reminder|alert [--code CODE] --text TEXT [--bind 1=school,2=student]", "enter an SMS template as the provider approved it (checked, audited; prints a family's text)", cmdSMS},
		{"user", "add --username U --role R [--school NAME] [--class NAME …] | reset-password U | unlock U | list", "manage staff accounts (prints one-time passwords)", cmdUser},
		{"retention", "[--days N] [--dry-run] | --compact", "erase the personal data of students who left N days ago and whose campaigns closed N days ago", cmdRetention},
		{"erase-family", "--student ID [--dry-run]", "erase a student's family (siblings sharing a guardian, and those guardians) on request", cmdEraseFamily},
		{"backup", "FILE", "write a consistent copy of the SQLite database, also while the server runs", cmdBackup},
		{"restore", "FILE", "replace the SQLite database by a backup (the service must be stopped)", cmdRestore},
		{"version", "", "print the version and commit this program was built from", cmdVersion},
		{"healthcheck", "[--url URL]", "exit 0 when the server at --addr (or URL) answers /healthz with 200 (for container health checks)", cmdHealthcheck},
	}
}

// Run is the whole program behind main, so that tests can call it.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	args, getenv, err := withEnvFile(args, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "app: %v\n", err)
		return exitUnusable
	}
	e := &env{getenv: getenv, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		return exitUnusable
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	fmt.Fprintf(stderr, "app: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUnusable
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: app COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-16s %s\n  %-16s   %s\n", c.name, c.summary, "", c.args)
	}
	fmt.Fprintln(w, "\nEvery command takes --db, --data-dir, --base-url … (see `app COMMAND -h`); each flag has a JIASHU_* environment variable.")
	fmt.Fprintln(w, "--env-file FILE (before or after the command) reads those variables from FILE as systemd's EnvironmentFile= does.")
}

// parseFlags parses the shared settings plus the command's own flags. It
// returns false (having printed why) when the invocation is unusable.
func parseFlags(e *env, fs *flag.FlagSet, args []string, cfg *config.Config) bool {
	fs.SetOutput(e.stderr)
	validate := config.Flags(fs, e.getenv, cfg)
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		return false
	}
	err := validate()
	if err == nil {
		err = checkReminderLink(*cfg)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "app %s: configuration:\n  %s\n", fs.Name(), strings.ReplaceAll(err.Error(), "\n", "\n  "))
		return false
	}
	return true
}

// interspersed moves flags after positional arguments to the front, so
// `app import FILE --school X` works as people type it.
func interspersed(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && !isBoolFlag(f) && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return append(flags, pos...)
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// osUser names the system account running a command, for the audit log.
func osUser(e *env) string {
	if u := e.getenv("USER"); u != "" {
		return u
	}
	return "unknown user"
}

func newLogger(w io.Writer, format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
