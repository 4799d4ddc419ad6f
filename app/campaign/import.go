package campaign

import (
	"context"
	"errors"
	"fmt"
	"io"

	"jiashu/problem"
	"jiashu/roster"
	"jiashu/store"
)

// ImportRequest is one roster import, from the CLI or the web.
type ImportRequest struct {
	SchoolID  int64
	Class     string // class given by the caller when the file names none
	Name      string // the file's name: a CSV's sheet is named after it, as Excel does
	DryRun    bool   // report only, write nothing
	ValidOnly bool   // import the valid rows even when others have errors
	MaxBytes  int64
	// MaxStudents caps the students of one file (0: roster's default,
	// roster.MaxImportStudents; negative: none, for benchmarks).
	MaxStudents int
	Printable   func(rune) bool // whether the letter font prints a rune
}

// ImportReport is the one report shape of an import, in the CLI's --json and the API.
type ImportReport struct {
	Classes     []ImportClass    `json:"classes"`
	Students    int              `json:"students"`
	Added       int              `json:"added"`
	Updated     int              `json:"updated"`
	Unchanged   int              `json:"unchanged"`
	Deactivated int              `json:"deactivated"`
	Transferred []string         `json:"transferred,omitempty"` // who Deactivated counts: "王小明（A0001）"
	Problems    []roster.Problem `json:"problems"`
	Errors      int              `json:"errors"`   // problems of severity error
	Warnings    int              `json:"warnings"` // problems of severity warning
	Written     bool             `json:"written"`  // whether anything was committed
}

type ImportClass struct {
	Grade    int    `json:"grade"`
	Class    int    `json:"class"`
	Name     string `json:"name"`
	Students int    `json:"students"`
	Source   string `json:"source,omitempty"` // where the class was read from (roster.Class.Source)
}

// CodeNoStudents is the reason of a roster without a student row.
const CodeNoStudents = "no_students"

// ErrRosterHasErrors says the file has error rows and the caller did not
// ask for the valid rows only; it comes with the full report, which says
// what to correct.
var ErrRosterHasErrors = &problem.Error{Code: problem.Invalid, Reason: "roster_has_errors",
	Message: "名册有错误，没有导入任何学生：请按报告改正后重新上传，或只导入无误的行。"}

// ImportRoster reads a roster and, unless it is a dry run or the file has
// errors, commits it in one transaction. A problem.Invalid whose reason is
// a roster.FileError code means the file is unusable; ErrRosterHasErrors
// comes with a full report.
func ImportRoster(ctx context.Context, st *store.Store, r io.Reader, req ImportRequest) (ImportReport, error) {
	f, err := ReadRoster(ctx, r, req)
	if err != nil {
		return ImportReport{}, err
	}
	return f.Apply(ctx, st, req)
}

// RosterFile is a roster read and checked, not yet applied: its classes
// and the report so far (problems, classes, counts of the file).
type RosterFile struct {
	Classes []roster.Class
	Report  ImportReport
}

// ReadRoster parses a roster (no database): a problem.Invalid when the file
// is unusable (its reason the roster.FileError's code), ctx's error when
// ctx ends first.
func ReadRoster(ctx context.Context, r io.Reader, req ImportRequest) (RosterFile, error) {
	res, err := roster.Parse(ctx, r, roster.Options{MaxBytes: req.MaxBytes, Class: req.Class, Name: req.Name, Printable: req.Printable,
		MaxStudents: req.MaxStudents})
	var fe *roster.FileError
	if errors.As(err, &fe) {
		return RosterFile{}, &problem.Error{Code: problem.Invalid, Reason: fe.Code, Message: fe.Message, Err: err}
	}
	if err != nil {
		return RosterFile{}, err
	}
	rep := ImportReport{Problems: res.Problems}
	if rep.Problems == nil {
		rep.Problems = []roster.Problem{}
	}
	for _, p := range res.Problems {
		if p.Severity == roster.Error {
			rep.Errors++
		} else {
			rep.Warnings++
		}
	}
	for _, c := range res.Classes {
		rep.Classes = append(rep.Classes, ImportClass{Grade: c.Grade, Class: c.Number, Name: c.Name, Students: len(c.Students), Source: c.Source})
		rep.Students += len(c.Students)
	}
	// A file with a header and not one student (the unchanged template) is
	// no roster: "checked, 0 students" would read as success.
	if rep.Students == 0 && rep.Errors == 0 {
		return RosterFile{}, &problem.Error{Code: problem.Invalid, Reason: CodeNoStudents,
			Message: "文件里没有学生：表头下面还没有填学生的信息。请在表头下面每行填一名学生（学号、姓名、家长手机……），保存后重新上传。"}
	}
	return RosterFile{Classes: res.Classes, Report: rep}, nil
}

// Apply writes the file into req's school in one transaction (or, in a
// dry run or when the file has errors and req does not ask for the valid
// rows only, computes what it would do without writing).
func (f RosterFile) Apply(ctx context.Context, st *store.Store, req ImportRequest) (ImportReport, error) {
	rep := f.Report
	blocked := rep.Errors > 0 && !req.ValidOnly
	maxClass := roster.MaxClassStudents // the students kept from before count too
	if req.MaxStudents < 0 {
		maxClass = 0 // no caps (benchmarks)
	}
	out, err := st.ImportRoster(ctx, req.SchoolID, f.Classes, store.ImportOptions{
		DryRun: req.DryRun || blocked,
		// Rows left out for errors are not students who left the class.
		KeepMissing:      rep.Errors > 0,
		MaxClassStudents: maxClass,
	})
	if err != nil {
		return rep, fmt.Errorf("campaign: import: %w", err)
	}
	rep.Added, rep.Updated, rep.Unchanged, rep.Deactivated = out.Added, out.Updated, out.Unchanged, out.Deactivated
	rep.Transferred = out.Transferred
	rep.Written = !req.DryRun && !blocked
	if blocked {
		return rep, ErrRosterHasErrors
	}
	return rep, nil
}
