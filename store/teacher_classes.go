package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Which classes a teacher teaches (teacher_classes): what scopes a
// teacher's pages.

// AssignTeacher gives a teacher a class; assigning twice is harmless.
func (s *Store) AssignTeacher(ctx context.Context, userID, classID int64) error {
	if _, err := s.db.ExecContext(ctx, s.Rebind(`INSERT INTO teacher_classes (user_id, class_id) VALUES (?, ?) ON CONFLICT DO NOTHING`), userID, classID); err != nil {
		return fmt.Errorf("store: assign class %d to user %d: %w", classID, userID, err)
	}
	return nil
}

// UnassignTeacher takes a class from a teacher.
func (s *Store) UnassignTeacher(ctx context.Context, userID, classID int64) error {
	if _, err := s.db.ExecContext(ctx, s.Rebind(`DELETE FROM teacher_classes WHERE user_id = ? AND class_id = ?`), userID, classID); err != nil {
		return fmt.Errorf("store: unassign class %d from user %d: %w", classID, userID, err)
	}
	return nil
}

// TeacherClassIDs lists the ids of the classes assigned to a teacher.
func (s *Store) TeacherClassIDs(ctx context.Context, userID int64) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT class_id FROM teacher_classes WHERE user_id = ? ORDER BY class_id`), userID)
	if err != nil {
		return nil, fmt.Errorf("store: classes of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: classes of user %d: %w", userID, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// TeacherClasses lists the classes assigned to a teacher by grade and
// number, with their active student counts.
func (s *Store) TeacherClasses(ctx context.Context, userID int64) ([]Class, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(classSelect+` JOIN teacher_classes tc ON tc.class_id = c.id
		WHERE tc.user_id = ? ORDER BY c.school_id, c.grade, c.number`), userID)
	if err != nil {
		return nil, fmt.Errorf("store: classes of teacher %d: %w", userID, err)
	}
	defer rows.Close()
	var out []Class
	for rows.Next() {
		c, err := scanClass(rows)
		if err != nil {
			return nil, fmt.Errorf("store: classes of teacher %d: %w", userID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// TeachesClass says whether classID is assigned to the teacher userID.
func (s *Store) TeachesClass(ctx context.Context, userID, classID int64) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT 1 FROM teacher_classes WHERE user_id = ? AND class_id = ?`), userID, classID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: teacher %d class %d: %w", userID, classID, err)
	}
	return true, nil
}
