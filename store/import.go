package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"jiashu/problem"
	"jiashu/roster"
)

// ErrDuplicateStudent is returned (wrapped) when one import names the same
// student number twice; nothing is written.
var ErrDuplicateStudent = errors.New("store: student number appears twice in the import")

// ImportOptions adjusts ImportRoster.
type ImportOptions struct {
	// DryRun computes the full result and writes nothing: the preview a
	// teacher sees before confirming. It reads one snapshot without taking
	// the write lock, so a preview neither waits for an import nor holds
	// one up.
	DryRun bool
	// KeepMissing leaves the students of the imported classes who are not in
	// the file as they are instead of marking them transferred. Use it when
	// rows with errors were left out ("import the valid rows only"), so
	// those students are not taken for transferred.
	KeepMissing bool
	// MaxClassStudents refuses an import after which a class would hold
	// more active students (ClassTooLargeError); 0 sets no limit. The app
	// passes roster.MaxClassStudents: an import of the valid rows only
	// keeps the students missing from the file, so repeated ones could
	// otherwise grow a class past the cap the roster reader holds a file to.
	MaxClassStudents int
}

// ImportResult reports what an import did (or, in a dry run, would do).
// Its JSON form is the report of the import CLI and API.
type ImportResult struct {
	Classes     []ImportedClass `json:"classes"`
	Students    int             `json:"students"`    // students in the file
	Added       int             `json:"added"`       // new student numbers
	Updated     int             `json:"updated"`     // changed or reactivated
	Unchanged   int             `json:"unchanged"`   // exactly as stored
	Deactivated int             `json:"deactivated"` // marked transferred
	DryRun      bool            `json:"dry_run,omitempty"`
	// Transferred names the students marked transferred (or, in a dry
	// run, who would be): "王小明（A0001）", by student id.
	Transferred []string `json:"transferred,omitempty"`
	// HeadTeachers are the classes whose roster names another head teacher
	// than the one recorded: the recorded one is kept (and printed).
	HeadTeachers []HeadTeacherNote `json:"head_teachers,omitempty"`
}

// HeadTeacherNote is a class whose roster's 班主任 differs from the head
// teacher it has recorded. The import keeps the recorded name: letters,
// the parents' page and reminders sign with it until someone changes it on
// the class page.
type HeadTeacherNote struct {
	Grade    int    `json:"-"`
	Number   int    `json:"-"`
	Class    string `json:"class"`
	Recorded string `json:"recorded"` // kept, and printed
	Roster   string `json:"roster"`   // what the file says
}

// Message says it for the teacher, in Chinese.
func (n HeadTeacherNote) Message() string {
	return fmt.Sprintf("%s：名册中的班主任是“%s”，本班记录的班主任是“%s”。家书、家长页面和提醒短信仍署名“%s”；如需改为“%s”，请在班级页修改班主任。",
		n.Class, n.Roster, n.Recorded, n.Recorded, n.Roster)
}

// ImportedClass is one class of an import.
type ImportedClass struct {
	ID       int64  `json:"-"`
	Grade    int    `json:"grade"`
	Number   int    `json:"class"`
	Name     string `json:"name"`
	Students int    `json:"students"` // students of this class in the file
	Created  bool   `json:"-"`        // the class did not exist before
}

// ImportRoster writes the classes of a roster into a school in one
// transaction. Students are matched by student number within the school:
// new numbers are added; changed name, gender, birth date, class or
// guardians are updated; a transferred student who appears again is
// reactivated (counted as updated); students of the imported classes who
// are missing from the file are marked transferred (never deleted, so their
// letters are kept) unless opt.KeepMissing. Classes are created as needed;
// a class's name is updated when the file gives one, its head teacher only
// while it has none (a different one is reported in HeadTeachers).
// Guardians with the same name and mobile are shared among the school's
// students (siblings).
//
// Two imports into the same school run one after the other (SQLite's write
// lock; PostgreSQL locks the school row), so the data stays consistent. On
// any error nothing is written. The work is split in three: read the state
// the file can change (import_load.go), decide in memory what changes
// (planImport, import_plan.go) and write that (import_write.go).
func (s *Store) ImportRoster(ctx context.Context, schoolID int64, classes []roster.Class, opt ImportOptions) (ImportResult, error) {
	file, err := groupClasses(classes)
	if err != nil {
		return ImportResult{DryRun: opt.DryRun}, err
	}
	if len(file) == 0 {
		// Nothing to write, and no class to mark anyone transferred in.
		return ImportResult{DryRun: opt.DryRun}, nil
	}
	if opt.DryRun {
		return s.previewImport(ctx, schoolID, file, opt)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return ImportResult{}, fmt.Errorf("store: import: begin: %w", err)
	}
	defer tx.Rollback()
	res, err := s.importInTx(ctx, tx, schoolID, file, opt)
	if err != nil {
		return ImportResult{}, fmt.Errorf("store: import into school %d: %w", schoolID, err)
	}
	if err := tx.Commit(); err != nil {
		return ImportResult{}, fmt.Errorf("store: import: commit: %w", err)
	}
	return res, nil
}

// importInTx holds the school, reads its state, plans and writes.
func (s *Store) importInTx(ctx context.Context, tx *sql.Tx, schoolID int64, file []roster.Class, opt ImportOptions) (ImportResult, error) {
	// Serialise imports into this school. SQLite's BEGIN IMMEDIATE already
	// holds the database's write lock; PostgreSQL locks the school's row.
	// NO KEY UPDATE excludes a second import but not the key-share locks of
	// foreign-key checks, so enrolling the school in a campaign or creating
	// its users does not wait for a long import.
	if err := s.checkSchool(ctx, tx, schoolID, s.dialect == Postgres); err != nil {
		return ImportResult{}, err
	}
	state, err := s.loadImportState(ctx, tx, schoolID, file)
	if err != nil {
		return ImportResult{}, err
	}
	plan := planImport(file, state, opt.KeepMissing, opt.MaxClassStudents)
	if len(plan.oversize) > 0 {
		return ImportResult{}, &ClassTooLargeError{Classes: plan.oversize, Max: opt.MaxClassStudents}
	}
	im := importer{s: s, tx: tx, schoolID: schoolID, now: s.Now()}
	classIDs, err := im.apply(ctx, plan)
	if err != nil {
		return ImportResult{}, err
	}
	return plan.result(classIDs, false), nil
}

// previewImport is a dry run: the plan computed from one read-only
// snapshot, without the write lock (SQLite) or the school's row lock
// (PostgreSQL), so previews neither wait for an import nor hold one up.
// Classes the import would create have ID 0 in the result.
func (s *Store) previewImport(ctx context.Context, schoolID int64, file []roster.Class, opt ImportOptions) (ImportResult, error) {
	var res ImportResult
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := s.checkSchool(ctx, tx, schoolID, false); err != nil {
			return err
		}
		state, err := s.loadImportState(ctx, tx, schoolID, file)
		if err != nil {
			return err
		}
		plan := planImport(file, state, opt.KeepMissing, opt.MaxClassStudents)
		if len(plan.oversize) > 0 {
			return &ClassTooLargeError{Classes: plan.oversize, Max: opt.MaxClassStudents}
		}
		res = plan.result(nil, true)
		return nil
	})
	if err != nil {
		return ImportResult{DryRun: true}, fmt.Errorf("store: import into school %d: %w", schoolID, err)
	}
	return res, nil
}

// checkSchool fails with ErrNotFound when the school does not exist; lock
// also takes its row for the rest of the transaction (PostgreSQL).
func (s *Store) checkSchool(ctx context.Context, q queryer, schoolID int64, lock bool) error {
	query := `SELECT id FROM schools WHERE id = ?`
	if lock {
		query += ` FOR NO KEY UPDATE`
	}
	var id int64
	if err := q.QueryRowContext(ctx, s.Rebind(query), schoolID).Scan(&id); err != nil {
		return notFound(err, fmt.Sprintf("school %d", schoolID))
	}
	return nil
}

// groupClasses merges the classes of a roster by grade and number (two
// sheets may hold one class; a later non-blank name or head teacher wins)
// in order of first appearance, and refuses a student number given twice
// or a control character in any text before anything touches the
// database.
func groupClasses(classes []roster.Class) ([]roster.Class, error) {
	var out []roster.Class
	index := map[classKey]int{}
	seen := map[string]bool{}
	for _, c := range classes {
		k := classKey{c.Grade, c.Number}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, roster.Class{Grade: c.Grade, Number: c.Number, Name: c.Name, HeadTeacher: c.HeadTeacher})
		}
		g := &out[i]
		if c.Name != "" {
			g.Name = c.Name
		}
		if c.HeadTeacher != "" {
			g.HeadTeacher = c.HeadTeacher
		}
		if err := checkTexts("class_name", c.Name, "head_teacher", c.HeadTeacher); err != nil {
			return nil, err
		}
		for _, st := range c.Students {
			if err := checkStudentText(st); err != nil {
				return nil, err
			}
			if seen[st.Number] {
				return nil, fmt.Errorf("%w: %q (%s)", ErrDuplicateStudent, st.Number, st.Name)
			}
			seen[st.Number] = true
			g.Students = append(g.Students, st)
		}
	}
	return out, nil
}

// checkStudentText refuses control characters in a roster row; the error's
// Field names the sheet and row as Excel shows them.
func checkStudentText(st roster.Student) error {
	fields := []string{"number", st.Number, "name", st.Name, "gender", st.Gender, "birth_date", st.BirthDate}
	for _, g := range st.Guardians {
		fields = append(fields, "guardian_name", g.Name, "guardian_relation", g.Relation, "guardian_mobile", g.Mobile)
	}
	err := checkTexts(fields...)
	var te *TextError
	if errors.As(err, &te) {
		te.Field = fmt.Sprintf("%s!%d %s", st.Sheet, st.Row, te.Field)
	}
	return err
}

// ClassTooLargeError refuses an import after which a class would hold more
// active students than ImportOptions.MaxClassStudents; nothing is written.
// Its message is for the teacher.
type ClassTooLargeError struct {
	Classes []ClassSize
	Max     int
}

// Unwrap makes the error a failure people can act on (problem.Invalid,
// reason "class_too_large"), its message for the teacher.
func (e *ClassTooLargeError) Unwrap() error {
	return &problem.Error{Code: problem.Invalid, Reason: "class_too_large", Message: e.Error()}
}

func (e *ClassTooLargeError) Error() string {
	var b strings.Builder
	for i, c := range e.Classes {
		if i > 0 {
			b.WriteString("、")
		}
		fmt.Fprintf(&b, "%s（%d 人）", c.Name, c.Students)
	}
	return fmt.Sprintf("导入后%s超过每班 %d 人的上限：只导入无误的行时，名册里没有的学生仍留在班上。请先改正名册中的错误，导入完整名册（没有的学生会标记为转出），或把多出的学生分到正确的班级。",
		b.String(), e.Max)
}
