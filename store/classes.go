package store

import (
	"context"
	"fmt"
)

// Class is a class of a school, such as 三年级2班.
type Class struct {
	ID          int64
	SchoolID    int64
	Grade       int // 1–12 (0 is allowed for a class without a grade)
	Number      int // class number within the grade
	Name        string
	HeadTeacher string
	// ActiveStudents counts the class's students who have not transferred.
	// Filled by Classes and Class.
	ActiveStudents int
}

const classSelect = `SELECT c.id, c.school_id, c.grade, c.number, c.name, c.head_teacher,
	(SELECT COUNT(*) FROM students st WHERE st.class_id = c.id AND st.active = TRUE)
	FROM classes c`

func scanClass(row interface{ Scan(...any) error }) (Class, error) {
	var c Class
	err := row.Scan(&c.ID, &c.SchoolID, &c.Grade, &c.Number, &c.Name, &c.HeadTeacher, &c.ActiveStudents)
	return c, err
}

// Classes lists the classes of a school by grade and number, with their
// active student counts.
func (s *Store) Classes(ctx context.Context, schoolID int64) ([]Class, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(classSelect+` WHERE c.school_id = ? ORDER BY c.grade, c.number`), schoolID)
	if err != nil {
		return nil, fmt.Errorf("store: classes of school %d: %w", schoolID, err)
	}
	defer rows.Close()
	var out []Class
	for rows.Next() {
		c, err := scanClass(rows)
		if err != nil {
			return nil, fmt.Errorf("store: classes of school %d: %w", schoolID, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: classes of school %d: %w", schoolID, err)
	}
	return out, nil
}

// Class returns the class with id.
func (s *Store) Class(ctx context.Context, id int64) (Class, error) {
	c, err := scanClass(s.db.QueryRowContext(ctx, s.Rebind(classSelect+` WHERE c.id = ?`), id))
	if err != nil {
		return Class{}, notFound(err, fmt.Sprintf("class %d", id))
	}
	return c, nil
}

// ClassByName returns the class of a school whose display name is name,
// e.g. 三年级2班.
func (s *Store) ClassByName(ctx context.Context, schoolID int64, name string) (Class, error) {
	c, err := scanClass(s.db.QueryRowContext(ctx, s.Rebind(classSelect+` WHERE c.school_id = ? AND c.name = ? ORDER BY c.id LIMIT 1`), schoolID, name))
	if err != nil {
		return Class{}, notFound(err, fmt.Sprintf("class %q of school %d", name, schoolID))
	}
	return c, nil
}

// ClassByGrade returns the class of a school with the given grade and number.
func (s *Store) ClassByGrade(ctx context.Context, schoolID int64, grade, number int) (Class, error) {
	c, err := scanClass(s.db.QueryRowContext(ctx, s.Rebind(classSelect+` WHERE c.school_id = ? AND c.grade = ? AND c.number = ?`), schoolID, grade, number))
	if err != nil {
		return Class{}, notFound(err, fmt.Sprintf("class %d-%d of school %d", grade, number, schoolID))
	}
	return c, nil
}

// EnsureClass returns the school's class of grade and number, creating it
// (named name) when it does not exist yet: a teacher's account may be made
// before the class's roster is imported.
func (s *Store) EnsureClass(ctx context.Context, schoolID int64, grade, number int, name string) (Class, error) {
	if _, err := s.db.ExecContext(ctx, s.Rebind(`INSERT INTO classes (school_id, grade, number, name) VALUES (?, ?, ?, ?)
		ON CONFLICT (school_id, grade, number) DO NOTHING`), schoolID, grade, number, name); err != nil {
		return Class{}, fmt.Errorf("store: create class %q of school %d: %w", name, schoolID, err)
	}
	return s.ClassByGrade(ctx, schoolID, grade, number)
}
