package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"text/tabwriter"

	"jiashu/app/config"
	"jiashu/app/content"
	"jiashu/letters"
	"jiashu/store"
)

const contentUsage = `usage: app content list
       app content export [--version N] --out DIR
       app content import --from DIR --author USERNAME [--title TEXT]
       app content submit  --version N --as USERNAME
       app content approve --version N --as USERNAME [--comment TEXT]
       app content return  --version N --as USERNAME --comment TEXT`

// contentStateNames are the states as the CLI and the pages say them.
var contentStateNames = map[store.ContentState]string{
	store.ContentDraft: "草稿", store.ContentInReview: "待审核", store.ContentReturned: "已退回",
	store.ContentApproved: "已审核", store.ContentRetired: "已停用",
}

// cmdContent: app content list|export|import|submit|approve|return — the
// letter content under review, for scripts and districts without a
// browser. Every change is audited (by the store, in its transaction).
func cmdContent(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, contentUsage)
		return exitUnusable
	}
	var cfg config.Config
	fs := flag.NewFlagSet("content "+args[0], flag.ContinueOnError)
	version := fs.Int64("version", 0, "content version number")
	out := fs.String("out", "", "folder to write methods.txt, templates/ and lessons/ into")
	from := fs.String("from", "", "folder holding methods.txt and templates/ (lessons/ optional)")
	author := fs.String("author", "", "username of the education-center account writing the draft")
	as := fs.String("as", "", "username acting")
	comment := fs.String("comment", "", "review comment")
	title := fs.String("title", "", "what the draft changes")
	if !parseFlags(e, fs, args[1:], &cfg) {
		return exitUnusable
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(e.stderr, "app content %s: "+format+"\n", append([]any{args[0]}, a...)...)
		return code
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return fail(exitUnusable, "%v", err)
	}
	defer st.Close()
	base, err := letters.NewDefaultEngine()
	if err != nil {
		return fail(exitUnusable, "%v", err)
	}
	w := content.Workflow{Store: st, Engines: content.NewEngines(st, base)}
	user := func(name string) (store.User, int) {
		if name == "" {
			return store.User{}, fail(exitUnusable, "需要 --as USERNAME\n%s", contentUsage)
		}
		u, err := st.UserByUsername(ctx, name)
		if err != nil {
			return u, fail(exitProblems, "没有用户 %s", name)
		}
		return u, exitOK
	}
	refused := func(err error) int {
		if msg := content.Refusal(err); msg != "" {
			var le *content.LintError
			if errors.As(err, &le) {
				printLint(e, le.Problems)
			}
			return fail(exitProblems, "%s", msg)
		}
		if errors.Is(err, store.ErrNotFound) {
			return fail(exitProblems, "没有第 %d 版", *version)
		}
		return fail(exitUnusable, "%v", err)
	}
	switch args[0] {
	case "list":
		vs, err := st.ContentVersions(ctx)
		if err != nil {
			return fail(exitUnusable, "%v", err)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "version\tstate\tauthor\treviewer\tupdated\ttitle")
		for _, v := range vs {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", v.ID, contentStateNames[v.State], v.AuthorName, v.ReviewerName,
				v.UpdatedAt.Format("2006-01-02 15:04"), v.Title)
		}
		tw.Flush()
		return exitOK
	case "export":
		if *out == "" {
			return fail(exitUnusable, "需要 --out DIR\n%s", contentUsage)
		}
		id := *version
		if id == 0 {
			v, err := st.LatestApprovedContent(ctx)
			if err != nil {
				return fail(exitUnusable, "%v", err)
			}
			id = v.ID
		}
		files, err := w.Files(ctx, id)
		if err != nil {
			return refused(err)
		}
		if err := content.WriteDir(*out, files); err != nil {
			return fail(exitUnusable, "%v", err)
		}
		if err := st.Audit(ctx, 0, "content_exported", fmt.Sprintf("content version %d to %s (CLI)", id, *out)); err != nil {
			return fail(exitUnusable, "%v", err)
		}
		fmt.Fprintf(e.stdout, "version %d: %d files in %s\n", id, len(files), *out)
		return exitOK
	case "import":
		if *from == "" || *author == "" {
			return fail(exitUnusable, "需要 --from DIR 和 --author USERNAME\n%s", contentUsage)
		}
		u, code := user(*author)
		if code != exitOK {
			return code
		}
		files, err := content.ReadDir(*from)
		if err != nil {
			return refused(err)
		}
		v, err := w.NewDraft(ctx, u.ID, 0, *title, files)
		if err != nil {
			return refused(err)
		}
		printLint(e, content.Lint(files, base))
		fmt.Fprintf(e.stdout, "version %d\n", v.ID)
		return exitOK
	case "submit", "approve", "return":
		if *version == 0 {
			return fail(exitUnusable, "需要 --version N\n%s", contentUsage)
		}
		u, code := user(*as)
		if code != exitOK {
			return code
		}
		switch args[0] {
		case "submit":
			err = w.Submit(ctx, *version, u.ID)
		case "approve":
			err = w.Approve(ctx, *version, u.ID, *comment)
		default:
			err = w.Return(ctx, *version, u.ID, *comment)
		}
		if err != nil {
			return refused(err)
		}
		v, _ := st.ContentVersion(ctx, *version)
		fmt.Fprintf(e.stdout, "version %d: %s\n", v.ID, contentStateNames[v.State])
		return exitOK
	}
	return fail(exitUnusable, "unknown action\n%s", contentUsage)
}

// printLint writes lint findings to stderr, one a line with file and line.
func printLint(e *env, ps content.Problems) {
	for _, p := range ps {
		sev := "警告"
		if p.Severity == content.SeverityError {
			sev = "错误"
		}
		fmt.Fprintf(e.stderr, "%s:%d: %s: %s\n", p.File, p.Line, sev, p.Message)
	}
}
