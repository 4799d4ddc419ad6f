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
	cc := &contentCmd{ctx: ctx, e: e, action: args[0]}
	fs := flag.NewFlagSet("content "+args[0], flag.ContinueOnError)
	fs.Int64Var(&cc.version, "version", 0, "content version number")
	fs.StringVar(&cc.out, "out", "", "folder to write methods.txt, templates/ and lessons/ into")
	fs.StringVar(&cc.from, "from", "", "folder holding methods.txt and templates/ (lessons/ optional)")
	fs.StringVar(&cc.author, "author", "", "username of the education-center account writing the draft")
	fs.StringVar(&cc.as, "as", "", "username acting")
	fs.StringVar(&cc.comment, "comment", "", "review comment")
	fs.StringVar(&cc.title, "title", "", "what the draft changes")
	if !parseFlags(e, fs, args[1:], &cfg) {
		return exitUnusable
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return cc.fail(exitUnusable, "%v", err)
	}
	defer st.Close()
	if cc.base, err = letters.NewDefaultEngine(); err != nil {
		return cc.fail(exitUnusable, "%v", err)
	}
	cc.st, cc.w = st, content.Workflow{Store: st, Engines: content.NewEngines(st, cc.base)}
	switch cc.action {
	case "list":
		return cc.list()
	case "export":
		return cc.export()
	case "import":
		return cc.importDraft()
	case "submit", "approve", "return":
		return cc.review()
	}
	return cc.fail(exitUnusable, "unknown action\n%s", contentUsage)
}

// contentCmd is one run of "app content ACTION" with its flags.
type contentCmd struct {
	ctx    context.Context
	e      *env
	action string
	st     *store.Store
	w      content.Workflow
	base   *letters.Engine

	version                               int64
	out, from, author, as, comment, title string
}

// fail says what went wrong on stderr and returns code.
func (cc *contentCmd) fail(code int, format string, a ...any) int {
	fmt.Fprintf(cc.e.stderr, "app content %s: "+format+"\n", append([]any{cc.action}, a...)...)
	return code
}

// user is the account named (--as, --author).
func (cc *contentCmd) user(name string) (store.User, int) {
	if name == "" {
		return store.User{}, cc.fail(exitUnusable, "需要 --as USERNAME\n%s", contentUsage)
	}
	u, err := cc.st.UserByUsername(cc.ctx, name)
	if err != nil {
		return u, cc.fail(exitProblems, "没有用户 %s", name)
	}
	return u, exitOK
}

// refused reports a refusal of the workflow (with the lint findings of a
// draft refused for them), a version that does not exist, or an error.
func (cc *contentCmd) refused(err error) int {
	if msg := content.Refusal(err); msg != "" {
		var le *content.LintError
		if errors.As(err, &le) {
			printLint(cc.e, le.Problems)
		}
		return cc.fail(exitProblems, "%s", msg)
	}
	if errors.Is(err, store.ErrNotFound) {
		return cc.fail(exitProblems, "没有第 %d 版", cc.version)
	}
	return cc.fail(exitUnusable, "%v", err)
}

// list: the content versions and their review state.
func (cc *contentCmd) list() int {
	vs, err := cc.st.ContentVersions(cc.ctx)
	if err != nil {
		return cc.fail(exitUnusable, "%v", err)
	}
	tw := tabwriter.NewWriter(cc.e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "version\tstate\tauthor\treviewer\tupdated\ttitle")
	for _, v := range vs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", v.ID, contentStateNames[v.State], v.AuthorName, v.ReviewerName,
			v.UpdatedAt.Format("2006-01-02 15:04"), v.Title)
	}
	tw.Flush()
	return exitOK
}

// export: a version (the newest approved by default) as files, audited.
func (cc *contentCmd) export() int {
	if cc.out == "" {
		return cc.fail(exitUnusable, "需要 --out DIR\n%s", contentUsage)
	}
	id := cc.version
	if id == 0 {
		v, err := cc.st.LatestApprovedContent(cc.ctx)
		if err != nil {
			return cc.fail(exitUnusable, "%v", err)
		}
		id = v.ID
	}
	files, err := cc.w.Files(cc.ctx, id)
	if err != nil {
		return cc.refused(err)
	}
	if err := content.WriteDir(cc.out, files); err != nil {
		return cc.fail(exitUnusable, "%v", err)
	}
	if err := cc.st.Audit(cc.ctx, 0, "content_exported", fmt.Sprintf("content version %d to %s (CLI)", id, cc.out)); err != nil {
		return cc.fail(exitUnusable, "%v", err)
	}
	fmt.Fprintf(cc.e.stdout, "version %d: %d files in %s\n", id, len(files), cc.out)
	return exitOK
}

// importDraft: a new draft from a folder, with its lint findings.
func (cc *contentCmd) importDraft() int {
	if cc.from == "" || cc.author == "" {
		return cc.fail(exitUnusable, "需要 --from DIR 和 --author USERNAME\n%s", contentUsage)
	}
	u, code := cc.user(cc.author)
	if code != exitOK {
		return code
	}
	files, err := content.ReadDir(cc.from)
	if err != nil {
		return cc.refused(err)
	}
	v, err := cc.w.NewDraft(cc.ctx, u.ID, 0, cc.title, files)
	if err != nil {
		return cc.refused(err)
	}
	printLint(cc.e, content.Lint(files, cc.base))
	fmt.Fprintf(cc.e.stdout, "version %d\n", v.ID)
	return exitOK
}

// review: submit, approve or return a version as --as.
func (cc *contentCmd) review() int {
	if cc.version == 0 {
		return cc.fail(exitUnusable, "需要 --version N\n%s", contentUsage)
	}
	u, code := cc.user(cc.as)
	if code != exitOK {
		return code
	}
	var err error
	switch cc.action {
	case "submit":
		err = cc.w.Submit(cc.ctx, cc.version, u.ID)
	case "approve":
		err = cc.w.Approve(cc.ctx, cc.version, u.ID, cc.comment)
	default:
		err = cc.w.Return(cc.ctx, cc.version, u.ID, cc.comment)
	}
	if err != nil {
		return cc.refused(err)
	}
	v, _ := cc.st.ContentVersion(cc.ctx, cc.version)
	fmt.Fprintf(cc.e.stdout, "version %d: %s\n", v.ID, contentStateNames[v.State])
	return exitOK
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
