package store

import (
	"context"
	"fmt"
	"strings"
)

// StudentByNumber returns the student of a school with a student number
// (学号), with their guardians: how an administrator names a family on
// request. An erased student has no number and is not found.
func (s *Store) StudentByNumber(ctx context.Context, schoolID int64, number string) (Student, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT id FROM students WHERE school_id = ? AND number = ? AND erased_at IS NULL`),
		schoolID, strings.TrimSpace(number)).Scan(&id)
	if err != nil {
		return Student{}, notFound(err, fmt.Sprintf("student %q of school %d", number, schoolID))
	}
	return s.Student(ctx, id)
}
