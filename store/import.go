package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"jiashu/roster"
)

// ErrDuplicateStudent is returned (wrapped) when one import names the same
// student number twice; nothing is written.
var ErrDuplicateStudent = errors.New("store: student number appears twice in the import")

// ImportOptions adjusts ImportRoster.
type ImportOptions struct {
	// DryRun computes the full result in a transaction that is then rolled
	// back: the preview a teacher sees before confirming.
	DryRun bool
	// KeepMissing leaves the students of the imported classes who are not in
	// the file as they are instead of marking them transferred. Use it when
	// rows with errors were left out ("import the valid rows only"), so
	// those students are not taken for transferred.
	KeepMissing bool
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

type classKey struct{ grade, number int }

type guardianTuple struct{ name, relation, mobile string }

// linkRelation is a child's relation to a guardian: the link's own, or the
// guardian's for links written without one.
const linkRelation = `CASE WHEN sg.relation <> '' THEN sg.relation ELSE g.relation END`

type storedStudent struct {
	guardianIDs         []int64 // the rows behind guardians, to tidy up after relinking
	id, classID         int64
	name, gender, birth string
	active              bool
	guardians           []guardianTuple
	inFile              bool
}

type storedGuardian struct {
	id       int64
	relation string
}

// ImportRoster writes the classes of a roster into a school in one
// transaction. Students are matched by student number within the school:
// new numbers are added; changed name, gender, birth date, class or
// guardians are updated; a transferred student who appears again is
// reactivated (counted as updated); students of the imported classes who
// are missing from the file are marked transferred (never deleted, so their
// letters are kept) unless opt.KeepMissing. Classes are created as needed;
// a class's name and head teacher are updated when the file gives them.
// Guardians with the same name and mobile are shared among the school's
// students (siblings).
//
// Two imports into the same school run one after the other (SQLite's write
// lock; PostgreSQL locks the school row), so the data stays consistent. On
// any error nothing is written.
func (s *Store) ImportRoster(ctx context.Context, schoolID int64, classes []roster.Class, opt ImportOptions) (ImportResult, error) {
	res := ImportResult{DryRun: opt.DryRun}
	// Group the input by class (two sheets may hold one class) and refuse
	// duplicate numbers before touching the database.
	var order []classKey
	byClass := map[classKey]*roster.Class{}
	seen := map[string]classKey{}
	for i := range classes {
		c := &classes[i]
		k := classKey{c.Grade, c.Number}
		g, ok := byClass[k]
		if !ok {
			cp := roster.Class{Grade: c.Grade, Number: c.Number, Name: c.Name, HeadTeacher: c.HeadTeacher}
			g = &cp
			byClass[k] = g
			order = append(order, k)
		}
		if c.Name != "" {
			g.Name = c.Name
		}
		if c.HeadTeacher != "" {
			g.HeadTeacher = c.HeadTeacher
		}
		if err := checkTexts("class_name", c.Name, "head_teacher", c.HeadTeacher); err != nil {
			return res, err
		}
		for _, st := range c.Students {
			if err := checkStudentText(st); err != nil {
				return res, err
			}
			if _, dup := seen[st.Number]; dup {
				return res, fmt.Errorf("%w: %q (%s)", ErrDuplicateStudent, st.Number, st.Name)
			}
			seen[st.Number] = k
			g.Students = append(g.Students, st)
		}
	}

	if len(order) == 0 {
		return res, nil // nothing to write, and no class to mark anyone transferred in
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("store: import: begin: %w", err)
	}
	defer tx.Rollback()
	imp := importer{s: s, tx: tx, schoolID: schoolID}
	if err := imp.run(ctx, order, byClass, opt, &res); err != nil {
		return ImportResult{DryRun: opt.DryRun}, fmt.Errorf("store: import into school %d: %w", schoolID, err)
	}
	if opt.DryRun {
		return res, nil // the deferred rollback discards everything
	}
	if err := tx.Commit(); err != nil {
		return ImportResult{}, fmt.Errorf("store: import: commit: %w", err)
	}
	return res, nil
}

// importer holds one import's transaction.
type importer struct {
	s        *Store
	tx       *sql.Tx
	schoolID int64
}

func (im *importer) run(ctx context.Context, order []classKey, byClass map[classKey]*roster.Class, opt ImportOptions, res *ImportResult) error {
	s, tx := im.s, im.tx
	now := s.Now()

	// Serialise imports into this school. SQLite's BEGIN IMMEDIATE already
	// holds the database's write lock; PostgreSQL locks the school's row.
	// NO KEY UPDATE excludes a second import but not the key-share locks of
	// foreign-key checks, so enrolling the school in a campaign or creating
	// its users does not wait for a long import.
	lock := `SELECT id FROM schools WHERE id = ?`
	if s.dialect == Postgres {
		lock += ` FOR NO KEY UPDATE`
	}
	var id int64
	if err := tx.QueryRowContext(ctx, s.Rebind(lock), im.schoolID).Scan(&id); err != nil {
		return notFound(err, fmt.Sprintf("school %d", im.schoolID))
	}

	if len(order) == 0 {
		return nil
	}
	classIDs, err := im.ensureClasses(ctx, order, byClass, res)
	if err != nil {
		return err
	}
	stored, err := im.loadStudents(ctx, order, byClass, classIDs)
	if err != nil {
		return err
	}
	shared, err := im.loadSharedGuardians(ctx, order, byClass)
	if err != nil {
		return err
	}

	type pending struct {
		id        int64
		st        *roster.Student
		classID   int64
		guardians []guardianTuple
	}
	total := 0
	for _, k := range order {
		total += len(byClass[k].Students)
	}
	// Sized for the common first import, where every row is new.
	added := make([]pending, 0, total-min(total, len(stored)))
	relink := make([]pending, 0, cap(added))
	var changed []pending
	var relinkExisting, oldGuardians []int64
	for _, k := range order {
		c := byClass[k]
		classID := classIDs[k]
		for i := range c.Students {
			st := &c.Students[i]
			want := wantedGuardians(st.Guardians)
			old := stored[st.Number]
			if old == nil {
				p := pending{st: st, classID: classID, guardians: want}
				added = append(added, p)
				continue
			}
			old.inFile = true
			sameGuardians := equalGuardians(old.guardians, want)
			if old.active && old.classID == classID && old.name == st.Name && old.gender == st.Gender &&
				old.birth == st.BirthDate && sameGuardians {
				res.Unchanged++
				continue
			}
			p := pending{id: old.id, st: st, classID: classID, guardians: want}
			changed = append(changed, p)
			if !sameGuardians {
				relink = append(relink, p)
				relinkExisting = append(relinkExisting, old.id)
				oldGuardians = append(oldGuardians, old.guardianIDs...)
			}
		}
	}
	res.Added = len(added)
	res.Updated = len(changed)

	// New students, with ids reserved so guardians can be linked without
	// reading them back.
	ids, err := s.allocIDs(ctx, tx, "students", len(added))
	if err != nil {
		return err
	}
	args := make([]any, 0, len(added)*9)
	for i := range added {
		added[i].id = ids[i]
		st := added[i].st
		args = append(args, ids[i], im.schoolID, added[i].classID, st.Number, st.Name, st.Gender, st.BirthDate, true, now)
		relink = append(relink, added[i])
	}
	if err := s.insertRows(ctx, tx, "students", `id bigint, school_id bigint, class_id bigint, number text, name text,
		gender text, birth_date text, active boolean, updated_at timestamptz`, "", args); err != nil {
		return fmt.Errorf("add students: %w", err)
	}

	if len(changed) > 0 {
		upd, err := tx.PrepareContext(ctx, s.Rebind(`UPDATE students SET class_id = ?, name = ?, gender = ?, birth_date = ?, active = TRUE, updated_at = ? WHERE id = ?`))
		if err != nil {
			return fmt.Errorf("update students: %w", err)
		}
		defer upd.Close()
		for _, p := range changed {
			if _, err := upd.ExecContext(ctx, p.classID, p.st.Name, p.st.Gender, p.st.BirthDate, now, p.id); err != nil {
				return fmt.Errorf("update student %q: %w", p.st.Number, err)
			}
		}
	}

	// Guardians: drop the links of students whose guardians changed, then
	// link everyone in relink to shared or new guardian rows.
	if err := s.execIn(ctx, tx, `DELETE FROM student_guardians WHERE student_id IN (…)`, nil, relinkExisting); err != nil {
		return fmt.Errorf("unlink guardians: %w", err)
	}
	newGuardians := make([]any, 0, 2*5*len(relink))
	var links []any
	var relationFixes [][2]any
	nNew := 0
	// First pass: decide which guardian rows are new, so their ids can be
	// reserved in one go.
	type linkRef struct {
		student  int64
		ref      int // >0: existing id; <=0: -index into new rows
		pos      int
		relation string
	}
	refs := make([]linkRef, 0, 2*len(relink))
	newIndex := make(map[string]int, 2*len(relink)) // shared key → index of a new row
	for _, p := range relink {
		linked := map[string]bool{}
		for pos, g := range p.guardians {
			key := g.name + "\x00" + g.mobile
			if linked[key] {
				continue
			}
			linked[key] = true
			if g.mobile != "" {
				if sg, ok := shared[key]; ok {
					// The child's own spelling goes on the link; the shared
					// row only fills a blank, so siblings' rosters spelling
					// the relation differently do not overwrite each other.
					if g.relation != "" && sg.relation == "" {
						sg.relation = g.relation
						relationFixes = append(relationFixes, [2]any{g.relation, sg.id})
					}
					refs = append(refs, linkRef{p.id, int(sg.id), pos, g.relation})
					continue
				}
				if i, ok := newIndex[key]; ok {
					refs = append(refs, linkRef{p.id, -i, pos, g.relation})
					continue
				}
				newIndex[key] = nNew
			}
			newGuardians = append(newGuardians, nil, im.schoolID, g.name, g.relation, g.mobile)
			refs = append(refs, linkRef{p.id, -nNew, pos, g.relation})
			nNew++
		}
	}
	gids, err := s.allocIDs(ctx, tx, "guardians", nNew)
	if err != nil {
		return err
	}
	for i := range nNew {
		newGuardians[i*5] = gids[i]
	}
	if err := s.insertRows(ctx, tx, "guardians", `id bigint, school_id bigint, name text, relation text, mobile text`, "", newGuardians); err != nil {
		return fmt.Errorf("add guardians: %w", err)
	}
	if len(relationFixes) > 0 {
		fix, err := tx.PrepareContext(ctx, s.Rebind(`UPDATE guardians SET relation = ? WHERE id = ?`))
		if err != nil {
			return fmt.Errorf("update guardians: %w", err)
		}
		defer fix.Close()
		for _, f := range relationFixes {
			if _, err := fix.ExecContext(ctx, f[0], f[1]); err != nil {
				return fmt.Errorf("update guardian: %w", err)
			}
		}
	}
	links = make([]any, 0, len(refs)*4)
	for _, r := range refs {
		gid := int64(r.ref)
		if r.ref <= 0 {
			gid = gids[-r.ref]
		}
		links = append(links, r.student, gid, r.pos, r.relation)
	}
	if err := s.insertRows(ctx, tx, "student_guardians", `student_id bigint, guardian_id bigint, position int, relation text`, "", links); err != nil {
		return fmt.Errorf("link guardians: %w", err)
	}
	// Guardians nobody links to any more (a corrected phone number) would
	// otherwise linger as personal data without a purpose.
	if err := s.execIn(ctx, tx, `DELETE FROM guardians WHERE id IN (…)
		AND NOT EXISTS (SELECT 1 FROM student_guardians sg WHERE sg.guardian_id = guardians.id)`, nil, oldGuardians); err != nil {
		return fmt.Errorf("remove unlinked guardians: %w", err)
	}

	// Students of the imported classes who are not in the file transferred.
	if !opt.KeepMissing {
		imported := map[int64]bool{}
		for _, id := range classIDs {
			imported[id] = true
		}
		var gone []int64
		for _, old := range stored {
			if old.active && !old.inFile && imported[old.classID] {
				gone = append(gone, old.id)
			}
		}
		res.Deactivated = len(gone)
		if err := s.execIn(ctx, tx, `UPDATE students SET active = FALSE, updated_at = ? WHERE id IN (…)`, []any{now}, gone); err != nil {
			return fmt.Errorf("mark transferred: %w", err)
		}
	}
	for _, c := range res.Classes {
		res.Students += c.Students
	}
	return nil
}

// ensureClasses creates the classes of the import that do not exist yet,
// updates the names and head teachers the file gives, and fills
// res.Classes in input order.
func (im *importer) ensureClasses(ctx context.Context, order []classKey, byClass map[classKey]*roster.Class, res *ImportResult) (map[classKey]int64, error) {
	s, tx := im.s, im.tx
	type have struct {
		id         int64
		name, head string
	}
	existing := map[classKey]have{}
	rows, err := tx.QueryContext(ctx, s.Rebind(`SELECT id, grade, number, name, head_teacher FROM classes WHERE school_id = ?`), im.schoolID)
	if err != nil {
		return nil, fmt.Errorf("load classes: %w", err)
	}
	for rows.Next() {
		var h have
		var k classKey
		if err := rows.Scan(&h.id, &k.grade, &k.number, &h.name, &h.head); err != nil {
			rows.Close()
			return nil, fmt.Errorf("load classes: %w", err)
		}
		existing[k] = h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load classes: %w", err)
	}

	ids := map[classKey]int64{}
	var missing []classKey
	for _, k := range order {
		c := byClass[k]
		h, ok := existing[k]
		if !ok {
			missing = append(missing, k)
			continue
		}
		ids[k] = h.id
		name, head := h.name, h.head
		if c.Name != "" {
			name = c.Name
		}
		if c.HeadTeacher != "" {
			head = c.HeadTeacher
		}
		if name != h.name || head != h.head {
			if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE classes SET name = ?, head_teacher = ? WHERE id = ?`), name, head, h.id); err != nil {
				return nil, fmt.Errorf("update class %s: %w", name, err)
			}
		}
	}
	newIDs, err := s.allocIDs(ctx, tx, "classes", len(missing))
	if err != nil {
		return nil, err
	}
	args := make([]any, 0, len(missing)*6)
	created := map[classKey]bool{}
	for i, k := range missing {
		c := byClass[k]
		ids[k] = newIDs[i]
		created[k] = true
		args = append(args, newIDs[i], im.schoolID, k.grade, k.number, c.Name, c.HeadTeacher)
	}
	if err := s.insertRows(ctx, tx, "classes", `id bigint, school_id bigint, grade int, number int, name text, head_teacher text`, "", args); err != nil {
		return nil, fmt.Errorf("add classes: %w", err)
	}
	for _, k := range order {
		c := byClass[k]
		name := c.Name
		if name == "" {
			name = existing[k].name
		}
		res.Classes = append(res.Classes, ImportedClass{
			ID: ids[k], Grade: k.grade, Number: k.number, Name: name, Students: len(c.Students), Created: created[k],
		})
	}
	return ids, nil
}

// defaultSmallImport is the number of students up to which an import reads
// only the stored rows it can touch (its classes, its numbers, its mobiles)
// instead of the whole school: a teacher's class upload into a school of
// thousands then holds the write lock for milliseconds, not a second.
const defaultSmallImport = 2000

// scope returns the condition (on students aliased st) selecting the stored
// students an import can touch, and its arguments: the whole school for a
// large import; for a small one, the students of the imported classes and
// those with the file's numbers (who may be moving class).
func (im *importer) scope(order []classKey, byClass map[classKey]*roster.Class, classIDs map[classKey]int64) (string, []any) {
	var numbers []any
	for _, k := range order {
		for _, st := range byClass[k].Students {
			numbers = append(numbers, st.Number)
		}
	}
	if len(numbers) > im.s.smallImport {
		return `st.school_id = ?`, []any{im.schoolID}
	}
	// The classes are the school's, so the class branch needs no school_id
	// term; without one SQLite answers each branch from its own index.
	var args []any
	for _, k := range order {
		args = append(args, classIDs[k])
	}
	cond := `(st.class_id IN ` + placeholders(1, len(order))
	if len(numbers) > 0 {
		cond += ` OR (st.school_id = ? AND st.number IN ` + placeholders(1, len(numbers)) + `)`
		args = append(args, im.schoolID)
		args = append(args, numbers...)
	}
	return cond + `)`, args
}

// loadStudents reads the stored students the import can touch with their
// guardians in two queries: the import then compares in memory, with no
// per-row SELECT.
func (im *importer) loadStudents(ctx context.Context, order []classKey, byClass map[classKey]*roster.Class, classIDs map[classKey]int64) (map[string]*storedStudent, error) {
	s, tx := im.s, im.tx
	cond, args := im.scope(order, byClass, classIDs)
	rows, err := tx.QueryContext(ctx, s.Rebind(`SELECT st.id, st.class_id, st.number, st.name, st.gender, st.birth_date, st.active
		FROM students st WHERE `+cond), args...)
	if err != nil {
		return nil, fmt.Errorf("load students: %w", err)
	}
	byNumber := map[string]*storedStudent{}
	byID := map[int64]*storedStudent{}
	for rows.Next() {
		st := &storedStudent{}
		var number string
		if err := rows.Scan(&st.id, &st.classID, &number, &st.name, &st.gender, &st.birth, &st.active); err != nil {
			rows.Close()
			return nil, fmt.Errorf("load students: %w", err)
		}
		byNumber[number] = st
		byID[st.id] = st
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load students: %w", err)
	}
	rows, err = tx.QueryContext(ctx, s.Rebind(`SELECT sg.student_id, g.id, g.name, `+linkRelation+`, g.mobile
		FROM student_guardians sg
		JOIN students st ON st.id = sg.student_id
		JOIN guardians g ON g.id = sg.guardian_id
		WHERE `+cond+` ORDER BY sg.student_id, sg.position`), args...)
	if err != nil {
		return nil, fmt.Errorf("load guardians: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sid, gid int64
		var g guardianTuple
		if err := rows.Scan(&sid, &gid, &g.name, &g.relation, &g.mobile); err != nil {
			return nil, fmt.Errorf("load guardians: %w", err)
		}
		if st := byID[sid]; st != nil {
			st.guardians = append(st.guardians, g)
			st.guardianIDs = append(st.guardianIDs, gid)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load guardians: %w", err)
	}
	return byNumber, nil
}

// loadSharedGuardians reads the school's guardians that have a mobile, by
// name and mobile, the key under which siblings share them; for a small
// import only those with the file's mobiles.
func (im *importer) loadSharedGuardians(ctx context.Context, order []classKey, byClass map[classKey]*roster.Class) (map[string]*storedGuardian, error) {
	query := `SELECT id, name, relation, mobile FROM guardians WHERE school_id = ? AND mobile <> ''`
	args := []any{im.schoolID}
	var mobiles []any
	seen := map[string]bool{}
	for _, k := range order {
		for _, st := range byClass[k].Students {
			for _, g := range st.Guardians {
				if g.Mobile != "" && !seen[g.Mobile] {
					seen[g.Mobile] = true
					mobiles = append(mobiles, g.Mobile)
				}
			}
		}
	}
	if len(mobiles) <= 2*im.s.smallImport {
		if len(mobiles) == 0 {
			return map[string]*storedGuardian{}, nil
		}
		query += ` AND mobile IN ` + placeholders(1, len(mobiles))
		args = append(args, mobiles...)
	}
	rows, err := im.tx.QueryContext(ctx, im.s.Rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("load guardians: %w", err)
	}
	defer rows.Close()
	out := map[string]*storedGuardian{}
	for rows.Next() {
		var g storedGuardian
		var name, mobile string
		if err := rows.Scan(&g.id, &name, &g.relation, &mobile); err != nil {
			return nil, fmt.Errorf("load guardians: %w", err)
		}
		out[name+"\x00"+mobile] = &g
	}
	return out, rows.Err()
}

// wantedGuardians is the guardian list a roster row asks for: rows with
// neither name nor mobile dropped, repeats of the same person dropped.
func wantedGuardians(gs []roster.Guardian) []guardianTuple {
	out := make([]guardianTuple, 0, len(gs))
	seen := map[string]bool{}
	for _, g := range gs {
		if g.Name == "" && g.Mobile == "" {
			continue
		}
		key := g.Name + "\x00" + g.Mobile
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, guardianTuple{g.Name, g.Relation, g.Mobile})
	}
	return out
}

func equalGuardians(a, b []guardianTuple) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
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
