package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"jiashu/app/campaign"
	"jiashu/app/config"
	"jiashu/letters"
	"jiashu/problem"
	"jiashu/roster"
	"jiashu/store"
)

// cmdImport: app import --school NAME [--class NAME] [--dry-run] [--valid-only] [--max-students N] [--json] FILE
func cmdImport(ctx context.Context, e *env, args []string) (code int) {
	var cfg config.Config
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	school := fs.String("school", "", "school name (created when new)")
	class := fs.String("class", "", "class for files that name none, e.g. 三年级2班")
	dryRun := fs.Bool("dry-run", false, "check and report, write nothing")
	validOnly := fs.Bool("valid-only", false, "import the valid rows even when other rows have errors")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	maxStudents := fs.Int("max-students", 0, "most students the file may hold (default --max-import-students, 5000): a district's registry export needs more")
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	fail := func(msg string) int {
		if *asJSON {
			json.NewEncoder(e.stdout).Encode(map[string]string{"error": msg})
		}
		fmt.Fprintln(e.stderr, "app import:", msg)
		return exitUnusable
	}
	// A failure that is not the file's exits exitInternal, never as a
	// refused file.
	internal := func(err any) int {
		fail(fmt.Sprintf("内部错误（与文件无关）：%v", err))
		return exitInternal
	}
	defer func() {
		if v := recover(); v != nil {
			code = internal(fmt.Sprintf("panic: %v", v))
		}
	}()
	if *school == "" || fs.NArg() != 1 || *maxStudents < 0 {
		return fail("usage: app import --school NAME [--class NAME] [--dry-run] [--valid-only] [--max-students N] [--json] FILE")
	}
	if *maxStudents == 0 {
		*maxStudents = cfg.MaxImportStudents
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fail(fmt.Sprintf("无法打开文件：%v", err))
	}
	defer f.Close()

	st, err := openStore(ctx, cfg)
	if err != nil {
		return internal(err)
	}
	defer st.Close()
	sch, _, err := st.EnsureSchool(ctx, *school)
	if err != nil {
		return internal(err)
	}
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		return internal(err)
	}
	rep, err := campaign.ImportRoster(ctx, st, f, campaign.ImportRequest{
		SchoolID: sch.ID, Class: *class, Name: filepath.Base(fs.Arg(0)), DryRun: *dryRun, ValidOnly: *validOnly,
		MaxBytes: cfg.MaxUploadBytes, MaxStudents: *maxStudents, Printable: eng.Printable,
	})
	switch p := problem.As(err); {
	case p != nil && p.Reason == roster.CodeTooManyStudents:
		return fail(p.Message + fmt.Sprintf("（命令行可用 --max-students 提高上限，现在是 %d）", *maxStudents))
	case p != nil && p.Code == problem.Invalid && p != campaign.ErrRosterHasErrors: // an unusable file, a class too large
		return fail(p.Message)
	case err != nil && !errors.Is(err, campaign.ErrRosterHasErrors):
		return internal(err)
	}
	if rep.Written {
		auditImport(ctx, e, st, sch, filepath.Base(fs.Arg(0)), rep)
	}
	return reportImport(e, rep, err, *asJSON, *dryRun)
}

// reportImport prints an import's report, as JSON or for people, and
// answers its exit status: exitProblems when rows have errors.
func reportImport(e *env, rep campaign.ImportReport, err error, asJSON, dryRun bool) int {
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.Encode(rep)
	} else {
		printImportReport(e, rep, dryRun)
	}
	if errors.Is(err, campaign.ErrRosterHasErrors) {
		return exitProblems
	}
	return exitOK
}

// auditImport records an import like the web's (roster_import_api.go),
// naming the system account that ran the command.
func auditImport(ctx context.Context, e *env, st *store.Store, sch store.School, file string, rep campaign.ImportReport) {
	detail := fmt.Sprintf("school %d %s by CLI (%s): %s, added %d, updated %d, unchanged %d, transferred %d",
		sch.ID, sch.Name, osUser(e), file, rep.Added, rep.Updated, rep.Unchanged, rep.Deactivated)
	if err := st.Audit(ctx, 0, "roster_imported", detail); err != nil {
		fmt.Fprintln(e.stderr, "app import: audit:", err)
	}
}

func printImportReport(e *env, rep campaign.ImportReport, dryRun bool) {
	w := e.stdout
	for _, c := range rep.Classes {
		fmt.Fprintf(w, "%s\t%d 名学生\n", c.Name, c.Students)
	}
	fmt.Fprintf(w, "共 %d 名学生：新增 %d，更新 %d，未变 %d，转出 %d\n", rep.Students, rep.Added, rep.Updated, rep.Unchanged, rep.Deactivated)
	for _, p := range rep.Problems {
		sev := "警告"
		if p.Severity == roster.Error {
			sev = "错误"
		}
		where := p.Sheet // a problem of the whole sheet or class has no row
		if p.Row > 0 {
			where = fmt.Sprintf("%s 第%d行", p.Sheet, p.Row)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", sev, where, p.Column, p.Message)
	}
	switch {
	case rep.Errors > 0 && !rep.Written && !dryRun:
		fmt.Fprintf(w, "有 %d 处错误，未导入任何数据。请修改后重新导入，或使用 --valid-only 只导入无误的行。\n", rep.Errors)
	case dryRun:
		fmt.Fprintln(w, "预检完成，未写入数据。")
	default:
		fmt.Fprintln(w, "导入完成。")
	}
}
