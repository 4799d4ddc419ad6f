package store

import (
	"context"
	"fmt"
	"time"
)

// Student is a student of a school. Transferred students (Active false) are
// kept with their letters and history; they are never deleted.
type Student struct {
	ID        int64
	SchoolID  int64
	ClassID   int64
	Number    string // 学号, unique within the school
	Name      string
	Gender    string // "男", "女" or ""
	BirthDate string // "2010-01-05" or ""
	Active    bool
	UpdatedAt time.Time
	Guardians []Guardian // in the order of the roster
}

// Guardian is a parent or other guardian. Siblings at the same school with
// the same guardian name and mobile share one Guardian (same ID).
type Guardian struct {
	ID       int64
	SchoolID int64
	Name     string
	Relation string // as this child's roster wrote it: 父亲, 母亲, 爷爷 …
	Mobile   string // 11 digits, or "" when none is known
}

const studentCols = `st.id, st.school_id, st.class_id, st.number, st.name, st.gender, st.birth_date, st.active, st.updated_at`

func scanStudent(row interface{ Scan(...any) error }) (Student, error) {
	var st Student
	err := row.Scan(&st.ID, &st.SchoolID, &st.ClassID, &st.Number, &st.Name, &st.Gender, &st.BirthDate, &st.Active, &st.UpdatedAt)
	st.UpdatedAt = st.UpdatedAt.UTC()
	return st, err
}

// Students lists the active students of a class by student number, each
// with their guardians.
func (s *Store) Students(ctx context.Context, classID int64) ([]Student, error) {
	return s.classStudents(ctx, classID, false)
}

// StudentsWithTransferred lists all students of a class by student number,
// including those marked transferred (Active false).
func (s *Store) StudentsWithTransferred(ctx context.Context, classID int64) ([]Student, error) {
	return s.classStudents(ctx, classID, true)
}

func (s *Store) classStudents(ctx context.Context, classID int64, all bool) ([]Student, error) {
	where := `st.class_id = ? AND st.active = TRUE`
	if all {
		where = `st.class_id = ?`
	}
	out, err := s.studentsWhere(ctx, s.db, where, []any{classID})
	if err != nil {
		return nil, fmt.Errorf("store: students of class %d: %w", classID, err)
	}
	return out, nil
}

// studentsWhere lists the students matching where (a condition on students
// aliased st) by student number, each with their guardians, in two queries
// through q.
func (s *Store) studentsWhere(ctx context.Context, q queryer, where string, args []any) ([]Student, error) {
	rows, err := q.QueryContext(ctx, s.Rebind(`SELECT `+studentCols+` FROM students st WHERE `+where+` ORDER BY st.number, st.id`), args...)
	if err != nil {
		return nil, err
	}
	var out []Student
	index := map[int64]int{}
	for rows.Next() {
		st, err := scanStudent(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		index[st.ID] = len(out)
		out = append(out, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	err = s.eachGuardian(ctx, q, where, args, func(studentID int64, g Guardian) {
		if i, ok := index[studentID]; ok {
			out[i].Guardians = append(out[i].Guardians, g)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("guardians: %w", err)
	}
	return out, nil
}

// Student returns the student with id and their guardians.
func (s *Store) Student(ctx context.Context, id int64) (Student, error) {
	st, err := scanStudent(s.db.QueryRowContext(ctx, s.Rebind(`SELECT `+studentCols+` FROM students st WHERE st.id = ?`), id))
	if err != nil {
		return Student{}, notFound(err, fmt.Sprintf("student %d", id))
	}
	err = s.eachGuardian(ctx, s.db, `st.id = ?`, []any{id}, func(_ int64, g Guardian) {
		st.Guardians = append(st.Guardians, g)
	})
	if err != nil {
		return Student{}, fmt.Errorf("store: guardians of student %d: %w", id, err)
	}
	return st, nil
}

// eachGuardian calls fn for every guardian link of the students matching
// where (a condition on students aliased st), in student and roster order.
func (s *Store) eachGuardian(ctx context.Context, q queryer, where string, args []any, fn func(studentID int64, g Guardian)) error {
	rows, err := q.QueryContext(ctx, s.Rebind(`SELECT sg.student_id, g.id, g.school_id, g.name, `+linkRelation+`, g.mobile
		FROM student_guardians sg
		JOIN students st ON st.id = sg.student_id
		JOIN guardians g ON g.id = sg.guardian_id
		WHERE `+where+` ORDER BY sg.student_id, sg.position`), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sid int64
		var g Guardian
		if err := rows.Scan(&sid, &g.ID, &g.SchoolID, &g.Name, &g.Relation, &g.Mobile); err != nil {
			return err
		}
		fn(sid, g)
	}
	return rows.Err()
}
