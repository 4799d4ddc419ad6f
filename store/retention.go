package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
)

// Erasing families (PIPL: personal data kept no longer than needed, and
// erased on request). Two entry points share one erasure:
//
//   - EraseFormerStudents, the retention rule: students no longer on any
//     roster (marked transferred by a re-import) whose every campaign
//     closed at least Days days ago (its acknowledgement deadline passed,
//     or it was purged), and who left at least Days days ago;
//   - EraseFamily, on request: a student and everyone sharing a guardian
//     with them (siblings), with those guardians.
//
// An erased student is anonymised in place rather than deleted: the row
// keeps its class, its active flag and its letters' statuses, channels,
// times and quiz scores, so every figure of every campaign (live ones read
// from letters, purged ones from campaign_class_figures) stays exact. What
// goes: the student's name (now 已删除), number, gender and birth date; the
// guardians' names, relations and mobiles (a guardian still linked to a
// student who is not erased is kept); the relation on each link; the
// letters' tokens (replaced by random ones nobody holds, so QR codes and
// typed codes stop working), the relation a parent chose, quiz answers and
// who entered a paper slip; reminder errors of those guardians (a gateway
// may quote the number); the stored letters ZIPs of their school's jobs
// (erase_jobs.go). Then Compact erases the old contents from the file. Not
// reached: roster uploads awaiting confirmation (they expire within hours).

// ErasedName replaces an erased student's name.
const ErasedName = "已删除"

// ErasureCounts is what an erasure anonymised (or, in a dry run, would).
type ErasureCounts struct {
	Students  int `json:"students"`
	Guardians int `json:"guardians"`
	Letters   int `json:"letters"`
	Reminders int `json:"reminders"`
	Jobs      int `json:"jobs"` // letters jobs whose stored ZIP (or ZIP in the making) holds them
}

// ErasureResult is the outcome of EraseFormerStudents or EraseFamily.
type ErasureResult struct {
	Counts     ErasureCounts
	StudentIDs []int64 // the students erased (or to be), by id
	// Jobs are the letters jobs whose output held them: deleted (done),
	// started again (running), or in a dry run, to be.
	Jobs   []Job
	DryRun bool
}

// RetentionOptions are the settings of EraseFormerStudents.
type RetentionOptions struct {
	Days   int   // how long after leaving and after their last campaign closed
	DryRun bool  // count only
	UserID int64 // who runs it, for the audit log; 0 for the CLI or a timer
}

// EraseFormerStudents applies the retention rule (see the top of this file).
func (s *Store) EraseFormerStudents(ctx context.Context, opt RetentionOptions) (ErasureResult, error) {
	if opt.Days < 0 {
		return ErasureResult{}, fmt.Errorf("store: retention of %d days", opt.Days)
	}
	now := s.Now()
	cutoff := now.AddDate(0, 0, -opt.Days)
	// A deadline (a China-time day, inclusive) has closed Days days ago when
	// it is before the China-time date of cutoff.
	cutoffDay := cutoff.In(ChinaTime).Format("2006-01-02")
	var res ErasureResult
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.Rebind(`SELECT st.id FROM students st
			WHERE st.active = FALSE AND st.erased_at IS NULL AND st.updated_at <= ?
			AND NOT EXISTS (SELECT 1 FROM letters l JOIN campaigns c ON c.id = l.campaign_id
				LEFT JOIN campaign_purges p ON p.campaign_id = c.id
				WHERE l.student_id = st.id
				AND NOT ((c.ack_deadline <> '' AND c.ack_deadline < ?) OR (p.purged_at IS NOT NULL AND p.purged_at <= ?)))
			ORDER BY st.id`), cutoff, cutoffDay, cutoff)
		if err != nil {
			return err
		}
		ids, err := scanIDs(rows)
		if err != nil {
			return err
		}
		res, err = s.erase(ctx, tx, ids, opt.DryRun, opt.UserID, fmt.Sprintf("retention %d days", opt.Days))
		return err
	})
	return s.afterErasure(ctx, res, err, "erase former students")
}

// EraseOptions are the settings of EraseFamily.
type EraseOptions struct {
	DryRun bool
	UserID int64
}

// EraseFamily erases a student, the siblings who share a guardian with
// them, and those guardians (see the top of this file). An erased or
// unknown student is ErrNotFound.
func (s *Store) EraseFamily(ctx context.Context, studentID int64, opt EraseOptions) (ErasureResult, error) {
	var res ErasureResult
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT 1 FROM students WHERE id = ? AND erased_at IS NULL`), studentID).Scan(&one); err != nil {
			return notFound(err, fmt.Sprintf("student %d", studentID))
		}
		ids, err := s.family(ctx, tx, studentID)
		if err != nil {
			return err
		}
		res, err = s.erase(ctx, tx, ids, opt.DryRun, opt.UserID, fmt.Sprintf("family of student %d", studentID))
		return err
	})
	return s.afterErasure(ctx, res, err, fmt.Sprintf("erase family of student %d", studentID))
}

// afterErasure wraps the error and, after a real erasure, compacts.
func (s *Store) afterErasure(ctx context.Context, res ErasureResult, err error, what string) (ErasureResult, error) {
	if err != nil {
		return ErasureResult{DryRun: res.DryRun}, fmt.Errorf("store: %s: %w", what, err)
	}
	if !res.DryRun && res.Counts.Students > 0 {
		if err := s.Compact(ctx); err != nil {
			return res, fmt.Errorf("store: %s: %w", what, err)
		}
	}
	return res, nil
}

// family is the student and everyone reachable through shared guardians.
func (s *Store) family(ctx context.Context, tx *sql.Tx, studentID int64) ([]int64, error) {
	seen := map[int64]bool{studentID: true}
	frontier := []int64{studentID}
	for len(frontier) > 0 {
		found, err := s.queryIDsIn(ctx, tx, `SELECT DISTINCT o.student_id FROM student_guardians sg
			JOIN student_guardians o ON o.guardian_id = sg.guardian_id
			JOIN students st ON st.id = o.student_id AND st.erased_at IS NULL
			WHERE sg.student_id IN (…)`, frontier)
		if err != nil {
			return nil, err
		}
		frontier = frontier[:0]
		for _, id := range found {
			if !seen[id] {
				seen[id] = true
				frontier = append(frontier, id)
			}
		}
	}
	ids := make([]int64, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	return ids, nil
}

// erase anonymises the students ids and what belongs to them only, and
// audits it; a dry run only counts.
func (s *Store) erase(ctx context.Context, tx *sql.Tx, ids []int64, dryRun bool, userID int64, why string) (ErasureResult, error) {
	res := ErasureResult{StudentIDs: ids, DryRun: dryRun}
	if len(ids) == 0 {
		return res, nil
	}
	in := map[int64]bool{}
	for _, id := range ids {
		in[id] = true
	}
	// Guardians of these students not linked to anyone else still on file.
	candidates, err := s.queryIDsIn(ctx, tx, `SELECT DISTINCT guardian_id FROM student_guardians WHERE student_id IN (…)`, ids)
	if err != nil {
		return res, err
	}
	var guardians []int64
	for _, g := range candidates {
		others, err := s.queryIDsIn(ctx, tx, `SELECT sg.student_id FROM student_guardians sg JOIN students st ON st.id = sg.student_id
			WHERE st.erased_at IS NULL AND sg.guardian_id IN (…)`, []int64{g})
		if err != nil {
			return res, err
		}
		shared := false
		for _, o := range others {
			shared = shared || !in[o]
		}
		if !shared {
			guardians = append(guardians, g)
		}
	}
	letters, err := s.queryIDsIn(ctx, tx, `SELECT id FROM letters WHERE student_id IN (…)`, ids)
	if err != nil {
		return res, err
	}
	reminders, err := s.queryIDsIn(ctx, tx, `SELECT id FROM reminders WHERE guardian_id IN (…)`, guardians)
	if err != nil {
		return res, err
	}
	if res.Jobs, err = s.jobsHolding(ctx, tx, ids); err != nil {
		return res, err
	}
	res.Counts = ErasureCounts{Students: len(ids), Guardians: len(guardians), Letters: len(letters), Reminders: len(reminders), Jobs: len(res.Jobs)}
	if dryRun {
		return res, nil
	}
	if err := s.dropJobOutputs(ctx, tx, res.Jobs); err != nil {
		return res, err
	}
	newToken := map[Dialect]string{
		SQLite:   `'erased-' || lower(hex(randomblob(16)))`,
		Postgres: `'erased-' || md5(random()::text || clock_timestamp()::text || id::text)`,
	}[s.dialect]
	now := s.Now()
	steps := []struct {
		q      string
		before []any
		ids    []int64
	}{
		{`UPDATE students SET name = ?, number = 'erased-' || CAST(id AS TEXT), gender = '', birth_date = '', erased_at = ? WHERE id IN (…)`, []any{ErasedName, now}, ids},
		{`UPDATE student_guardians SET relation = '' WHERE student_id IN (…)`, nil, ids},
		{`UPDATE guardians SET name = '', relation = '', mobile = '' WHERE id IN (…)`, nil, guardians},
		{`UPDATE letters SET token = ` + newToken + `, ack_relation = '', quiz_answers = '', ack_entered_by = NULL WHERE student_id IN (…)`, nil, ids},
		{`UPDATE reminders SET error = '' WHERE id IN (…)`, nil, reminders},
	}
	for _, st := range steps {
		if err := s.execIn(ctx, tx, st.q, st.before, st.ids); err != nil {
			return res, fmt.Errorf("%s: %w", strings.Fields(st.q)[1], err)
		}
	}
	detail, err := json.Marshal(res.Counts)
	if err != nil {
		return res, err
	}
	if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)`),
		now, nullID(userID), "personal_data_erased", why+": "+string(detail)); err != nil {
		return res, fmt.Errorf("audit: %w", err)
	}
	return res, nil
}

// queryIDsIn runs a query of one id column whose "(…)" is filled with ids,
// in batches, and returns the ids read.
func (s *Store) queryIDsIn(ctx context.Context, tx *sql.Tx, query string, ids []int64) ([]int64, error) {
	var out []int64
	for start := 0; start < len(ids); start += maxBatchParams {
		chunk := ids[start:min(start+maxBatchParams, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		q := strings.Replace(query, "(…)", "("+strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",")+")", 1)
		rows, err := tx.QueryContext(ctx, s.Rebind(q), args...)
		if err != nil {
			return nil, err
		}
		got, err := scanIDs(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// scanIDs reads and closes rows of one id column.
func scanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
