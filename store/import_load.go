package store

import (
	"context"
	"fmt"

	"jiashu/roster"
)

// defaultSmallImport is the number of students up to which an import reads
// only the stored rows it can touch (its classes, its numbers, its mobiles)
// instead of the whole school: a teacher's class upload into a school of
// thousands then holds the write lock for milliseconds, not a second.
const defaultSmallImport = 2000

// linkRelation is a child's relation to a guardian: the link's own, or the
// guardian's for links written without one.
const linkRelation = `CASE WHEN sg.relation <> '' THEN sg.relation ELSE g.relation END`

// loadImportState reads what importing file into the school can change: the
// school's classes, the stored students the file can touch with their
// guardians, and the guardians siblings may share. Every read goes through
// q, the import's transaction, so the plan sees one state.
func (s *Store) loadImportState(ctx context.Context, q queryer, schoolID int64, file []roster.Class) (importState, error) {
	classes, err := s.loadClasses(ctx, q, schoolID)
	if err != nil {
		return importState{}, err
	}
	state := importState{classes: classes, students: map[string]*storedStudent{}}
	if cond, args, ok := s.importScope(schoolID, file, classes); ok {
		if state.students, err = s.loadStudents(ctx, q, cond, args); err != nil {
			return importState{}, err
		}
	}
	if state.shared, err = s.loadSharedGuardians(ctx, q, schoolID, file); err != nil {
		return importState{}, err
	}
	return state, nil
}

// loadClasses reads every class of the school by grade and number.
func (s *Store) loadClasses(ctx context.Context, q queryer, schoolID int64) (map[classKey]storedClass, error) {
	rows, err := q.QueryContext(ctx, s.Rebind(`SELECT id, grade, number, name, head_teacher FROM classes WHERE school_id = ?`), schoolID)
	if err != nil {
		return nil, fmt.Errorf("load classes: %w", err)
	}
	defer rows.Close()
	out := map[classKey]storedClass{}
	for rows.Next() {
		var c storedClass
		var k classKey
		if err := rows.Scan(&c.id, &k.grade, &k.number, &c.name, &c.head); err != nil {
			return nil, fmt.Errorf("load classes: %w", err)
		}
		out[k] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load classes: %w", err)
	}
	return out, nil
}

// importScope returns the condition (on students aliased st) selecting the
// stored students an import can touch, and its arguments: the whole school
// for a large import; for a small one, the students of the file's stored
// classes and those with the file's numbers (who may be moving class). ok
// is false when no stored student can be touched.
func (s *Store) importScope(schoolID int64, file []roster.Class, classes map[classKey]storedClass) (cond string, args []any, ok bool) {
	var numbers []any
	for _, c := range file {
		for _, st := range c.Students {
			numbers = append(numbers, st.Number)
		}
	}
	if len(numbers) > s.smallImport {
		return `st.school_id = ?`, []any{schoolID}, true
	}
	// The classes are the school's, so the class branch needs no school_id
	// term; without one SQLite answers each branch from its own index.
	var branches []string
	var classIDs []any
	for _, c := range file {
		if sc, ok := classes[classKey{c.Grade, c.Number}]; ok {
			classIDs = append(classIDs, sc.id)
		}
	}
	if len(classIDs) > 0 {
		branches = append(branches, `st.class_id IN `+placeholders(1, len(classIDs)))
		args = append(args, classIDs...)
	}
	if len(numbers) > 0 {
		branches = append(branches, `(st.school_id = ? AND st.number IN `+placeholders(1, len(numbers))+`)`)
		args = append(args, schoolID)
		args = append(args, numbers...)
	}
	switch len(branches) {
	case 0:
		return "", nil, false
	case 1:
		return branches[0], args, true
	default:
		return `(` + branches[0] + ` OR ` + branches[1] + `)`, args, true
	}
}

// loadStudents reads the stored students matching cond with their
// guardians in two queries: the plan then compares in memory, with no
// per-row SELECT.
func (s *Store) loadStudents(ctx context.Context, q queryer, cond string, args []any) (map[string]*storedStudent, error) {
	rows, err := q.QueryContext(ctx, s.Rebind(`SELECT st.id, st.class_id, st.number, st.name, st.gender, st.birth_date, st.active
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
	rows, err = q.QueryContext(ctx, s.Rebind(`SELECT sg.student_id, g.id, g.name, `+linkRelation+`, g.mobile
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
func (s *Store) loadSharedGuardians(ctx context.Context, q queryer, schoolID int64, file []roster.Class) (map[string]storedGuardian, error) {
	query := `SELECT id, name, relation, mobile FROM guardians WHERE school_id = ? AND mobile <> ''`
	args := []any{schoolID}
	var mobiles []any
	seen := map[string]bool{}
	for _, c := range file {
		for _, st := range c.Students {
			for _, g := range st.Guardians {
				if g.Mobile != "" && !seen[g.Mobile] {
					seen[g.Mobile] = true
					mobiles = append(mobiles, g.Mobile)
				}
			}
		}
	}
	if len(mobiles) <= 2*s.smallImport {
		if len(mobiles) == 0 {
			return map[string]storedGuardian{}, nil
		}
		query += ` AND mobile IN ` + placeholders(1, len(mobiles))
		args = append(args, mobiles...)
	}
	rows, err := q.QueryContext(ctx, s.Rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("load guardians: %w", err)
	}
	defer rows.Close()
	out := map[string]storedGuardian{}
	for rows.Next() {
		var g storedGuardian
		var name, mobile string
		if err := rows.Scan(&g.id, &name, &g.relation, &mobile); err != nil {
			return nil, fmt.Errorf("load guardians: %w", err)
		}
		out[sharedKey(name, mobile)] = g
	}
	return out, rows.Err()
}
