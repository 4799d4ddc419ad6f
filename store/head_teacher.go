package store

import (
	"context"
	"database/sql"
	"fmt"
)

// The head teacher (班主任) a class's letters, parents' page and reminder
// texts name has one source: classes.head_teacher, which the school
// controls (issue 19). The class page, the API and `app class
// head-teacher` change it here, audited in the same transaction; a roster
// import fills it only while it is empty and otherwise reports a
// different name (import_plan.go), never switching it silently.

// SetHeadTeacher records name (already checked; "" for none) as the head
// teacher of class classID, audited as userID (0: the command line), and
// returns the class as stored. The old name is kept in the audit entry.
func (s *Store) SetHeadTeacher(ctx context.Context, classID int64, name string, userID int64) (Class, error) {
	if err := checkTexts("head_teacher", name); err != nil {
		return Class{}, err
	}
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var old string
		if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT head_teacher FROM classes WHERE id = ?`), classID).Scan(&old); err != nil {
			return notFound(err, fmt.Sprintf("class %d", classID))
		}
		if old == name {
			return nil
		}
		if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE classes SET head_teacher = ? WHERE id = ?`), name, classID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)`),
			s.Now(), nullID(userID), "head_teacher_set", cleanLogText(fmt.Sprintf("class %d: 班主任 “%s” → “%s”", classID, old, name)))
		return err
	})
	if err != nil {
		return Class{}, fmt.Errorf("store: set head teacher of class %d: %w", classID, err)
	}
	return s.Class(ctx, classID)
}
