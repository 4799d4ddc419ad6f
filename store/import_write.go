package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// importer applies an import plan inside the import's transaction, which
// holds the school (see ImportRoster).
type importer struct {
	s        *Store
	tx       *sql.Tx
	schoolID int64
	now      time.Time
}

// apply writes p and returns the ids of the file's classes.
func (im *importer) apply(ctx context.Context, p importPlan) (map[classKey]int64, error) {
	classIDs, err := im.writeClasses(ctx, p.classes)
	if err != nil {
		return nil, err
	}
	added, err := im.addStudents(ctx, p.add, classIDs)
	if err != nil {
		return nil, err
	}
	if err := im.updateStudents(ctx, p.update, classIDs); err != nil {
		return nil, err
	}
	if err := im.relinkGuardians(ctx, p, added); err != nil {
		return nil, err
	}
	// Guardians nobody links to any more (a corrected phone number) would
	// otherwise linger as personal data without a purpose.
	if err := im.s.execIn(ctx, im.tx, `DELETE FROM guardians WHERE id IN (…)
		AND NOT EXISTS (SELECT 1 FROM student_guardians sg WHERE sg.guardian_id = guardians.id)`, nil, p.tidy); err != nil {
		return nil, fmt.Errorf("remove unlinked guardians: %w", err)
	}
	if err := im.s.execIn(ctx, im.tx, `UPDATE students SET active = FALSE, updated_at = ? WHERE id IN (…)`, []any{im.now}, p.transfer); err != nil {
		return nil, fmt.Errorf("mark transferred: %w", err)
	}
	return classIDs, nil
}

// writeClasses updates the names and head teachers of changed classes and
// creates the new ones.
func (im *importer) writeClasses(ctx context.Context, classes []plannedClass) (map[classKey]int64, error) {
	s, tx := im.s, im.tx
	ids := make(map[classKey]int64, len(classes))
	var missing []plannedClass
	for _, c := range classes {
		if c.id == 0 {
			missing = append(missing, c)
			continue
		}
		ids[c.key] = c.id
		if c.changed {
			if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE classes SET name = ?, head_teacher = ? WHERE id = ?`), c.name, c.head, c.id); err != nil {
				return nil, fmt.Errorf("update class %s: %w", c.name, err)
			}
		}
	}
	newIDs, err := s.allocIDs(ctx, tx, "classes", len(missing))
	if err != nil {
		return nil, err
	}
	args := make([]any, 0, len(missing)*6)
	for i, c := range missing {
		ids[c.key] = newIDs[i]
		args = append(args, newIDs[i], im.schoolID, c.key.grade, c.key.number, c.name, c.head)
	}
	if err := s.insertRows(ctx, tx, "classes", `id bigint, school_id bigint, grade int, number int, name text, head_teacher text`, "", args); err != nil {
		return nil, fmt.Errorf("add classes: %w", err)
	}
	return ids, nil
}

// addStudents inserts the new students with ids reserved up front, so
// their guardians are linked without reading them back; it returns those
// ids in the order of add.
func (im *importer) addStudents(ctx context.Context, add []plannedStudent, classIDs map[classKey]int64) ([]int64, error) {
	ids, err := im.s.allocIDs(ctx, im.tx, "students", len(add))
	if err != nil {
		return nil, err
	}
	args := make([]any, 0, len(add)*9)
	for i, a := range add {
		st := a.st
		args = append(args, ids[i], im.schoolID, classIDs[a.class], st.Number, st.Name, st.Gender, st.BirthDate, true, im.now)
	}
	if err := im.s.insertRows(ctx, im.tx, "students", `id bigint, school_id bigint, class_id bigint, number text, name text,
		gender text, birth_date text, active boolean, updated_at timestamptz`, "", args); err != nil {
		return nil, fmt.Errorf("add students: %w", err)
	}
	return ids, nil
}

// updateStudents writes the changed students, reactivating transferred ones.
func (im *importer) updateStudents(ctx context.Context, update []plannedStudent, classIDs map[classKey]int64) error {
	if len(update) == 0 {
		return nil
	}
	upd, err := im.tx.PrepareContext(ctx, im.s.Rebind(`UPDATE students SET class_id = ?, name = ?, gender = ?, birth_date = ?, active = TRUE, updated_at = ? WHERE id = ?`))
	if err != nil {
		return fmt.Errorf("update students: %w", err)
	}
	defer upd.Close()
	for _, u := range update {
		if _, err := upd.ExecContext(ctx, classIDs[u.class], u.st.Name, u.st.Gender, u.st.BirthDate, im.now, u.id); err != nil {
			return fmt.Errorf("update student %q: %w", u.st.Number, err)
		}
	}
	return nil
}

// relinkGuardians drops the links the plan replaces, creates the new
// guardian rows, fills blank relations of shared ones and writes the links.
// addedStudents are the ids of the plan's new students.
func (im *importer) relinkGuardians(ctx context.Context, p importPlan, addedStudents []int64) error {
	s, tx := im.s, im.tx
	if err := s.execIn(ctx, tx, `DELETE FROM student_guardians WHERE student_id IN (…)`, nil, p.unlink); err != nil {
		return fmt.Errorf("unlink guardians: %w", err)
	}
	gids, err := s.allocIDs(ctx, tx, "guardians", len(p.guardians))
	if err != nil {
		return err
	}
	rows := make([]any, 0, 5*len(p.guardians))
	for i, g := range p.guardians {
		rows = append(rows, gids[i], im.schoolID, g.name, g.relation, g.mobile)
	}
	if err := s.insertRows(ctx, tx, "guardians", `id bigint, school_id bigint, name text, relation text, mobile text`, "", rows); err != nil {
		return fmt.Errorf("add guardians: %w", err)
	}
	if len(p.fixRelations) > 0 {
		fix, err := tx.PrepareContext(ctx, s.Rebind(`UPDATE guardians SET relation = ? WHERE id = ?`))
		if err != nil {
			return fmt.Errorf("update guardians: %w", err)
		}
		defer fix.Close()
		for _, f := range p.fixRelations {
			if _, err := fix.ExecContext(ctx, f.relation, f.guardianID); err != nil {
				return fmt.Errorf("update guardian: %w", err)
			}
		}
	}
	links := make([]any, 0, 4*len(p.links))
	for _, l := range p.links {
		links = append(links, l.student.resolve(addedStudents), l.guardian.resolve(gids), l.position, l.relation)
	}
	if err := s.insertRows(ctx, tx, "student_guardians", `student_id bigint, guardian_id bigint, position int, relation text`, "", links); err != nil {
		return fmt.Errorf("link guardians: %w", err)
	}
	return nil
}
