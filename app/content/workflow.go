package content

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"jiashu/store"
)

// Workflow is the content use cases the CLI, the pages and the API share:
// each checks the files where it must (a version with lint errors is never
// submitted or approved) and leaves roles and states to the store, which
// refuses them in the same transaction as the change.
type Workflow struct {
	Store   *store.Store
	Engines *Engines
}

// ErrLint: the version has lint errors; the Problems say which.
var ErrLint = errors.New("content: the version has problems to fix first")

// LintError carries the findings of a refused submit or approval.
type LintError struct{ Problems Problems }

func (e *LintError) Error() string {
	var b strings.Builder
	b.WriteString("content: the version has problems to fix first:")
	for _, p := range e.Problems {
		if p.Severity == SeverityError {
			fmt.Fprintf(&b, "\n  %s:%d: %s", p.File, p.Line, p.Message)
		}
	}
	return b.String()
}

func (e *LintError) Unwrap() error { return ErrLint }

// Files reads a version's files.
func (w Workflow) Files(ctx context.Context, id int64) (Files, error) {
	f, err := w.Store.ContentFiles(ctx, id)
	return Files(f), err
}

// Lint checks a stored version.
func (w Workflow) Lint(ctx context.Context, id int64) (Problems, error) {
	f, err := w.Files(ctx, id)
	if err != nil {
		return nil, err
	}
	return Lint(f, w.Engines.Base()), nil
}

// NewDraft stores files as a new draft by author, based on version basedOn
// (0: the newest approved); no files (nil) is a copy of that version's, to
// edit. The files must have the known paths (a Problem otherwise); lint
// findings do not stop a draft.
func (w Workflow) NewDraft(ctx context.Context, authorID, basedOn int64, title string, files Files) (store.ContentVersion, error) {
	if basedOn == 0 {
		if v, err := w.Store.LatestApprovedContent(ctx); err == nil {
			basedOn = v.ID
		}
	}
	if files == nil {
		if _, err := w.Store.ContentVersion(ctx, basedOn); err != nil {
			return store.ContentVersion{}, err // a based_on that names no version
		}
		f, err := w.Files(ctx, basedOn)
		if err != nil {
			return store.ContentVersion{}, err
		}
		files = f
	}
	if err := files.Check(); err != nil {
		return store.ContentVersion{}, err
	}
	return w.Store.CreateContentDraft(ctx, authorID, basedOn, title, files)
}

// Save replaces a draft's files.
func (w Workflow) Save(ctx context.Context, id, userID int64, files Files) error {
	if err := files.Check(); err != nil {
		return err
	}
	return w.Store.SaveContentDraft(ctx, id, userID, files)
}

// Submit sends a draft to review when it has no lint errors.
func (w Workflow) Submit(ctx context.Context, id, userID int64) error {
	if err := w.clean(ctx, id); err != nil {
		return err
	}
	return w.Store.SubmitContent(ctx, id, userID)
}

// Approve approves a submitted version when it still has no lint errors.
func (w Workflow) Approve(ctx context.Context, id, reviewerID int64, comment string) error {
	if err := w.clean(ctx, id); err != nil {
		return err
	}
	return w.Store.ApproveContent(ctx, id, reviewerID, comment)
}

// Return sends a submitted version back with a comment.
func (w Workflow) Return(ctx context.Context, id, reviewerID int64, comment string) error {
	return w.Store.ReturnContent(ctx, id, reviewerID, comment)
}

func (w Workflow) clean(ctx context.Context, id int64) error {
	ps, err := w.Lint(ctx, id)
	if err != nil {
		return err
	}
	if ps.Blocking() {
		return &LintError{Problems: ps}
	}
	return nil
}

// Refusal is the Chinese sentence for a refused content action, or "" when
// err is not a refusal (an internal error).
func Refusal(err error) string {
	var p Problem
	var le *LintError
	switch {
	case errors.As(err, &p):
		return p.Message
	case errors.As(err, &le):
		n := 0
		for _, x := range le.Problems {
			if x.Severity == SeverityError {
				n++
			}
		}
		return fmt.Sprintf("这一版还有 %d 处问题要先改正（见检查结果）。", n)
	case errors.Is(err, store.ErrOwnApproval):
		return "不能审核自己编写的版本：请由另一位审核员审核。"
	case errors.Is(err, store.ErrNotReviewer):
		return "只有审核员可以审核内容。"
	case errors.Is(err, store.ErrNotEditor):
		return "只有教管中心可以编辑内容。"
	case errors.Is(err, store.ErrCommentRequired):
		return "退回时请写明修改意见。"
	case errors.Is(err, store.ErrContentState):
		return "这一版现在的状态不允许这样做（已审核的版本不能再修改）。"
	case errors.Is(err, store.ErrContentNotApproved):
		return "只能选用已审核、未停用的内容版本。"
	}
	return ""
}
