package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SchoolDetails are what a school's letters may print about it: the phone
// for checking fee notices ({学校电话}), its real fee rule ({收费说明}), the
// partner police station and its phone ({派出所}, {派出所电话}). Empty
// means not filled in.
type SchoolDetails struct {
	SchoolID      int64
	Phone         string
	FeeRule       string
	PoliceStation string
	PolicePhone   string
	UpdatedAt     time.Time // zero when never saved
	UpdatedBy     int64
}

// SchoolDetails returns a school's details (empty ones when never saved).
func (s *Store) SchoolDetails(ctx context.Context, schoolID int64) (SchoolDetails, error) {
	return s.schoolDetails(ctx, s.db, schoolID)
}

func (s *Store) schoolDetails(ctx context.Context, q queryer, schoolID int64) (SchoolDetails, error) {
	d := SchoolDetails{SchoolID: schoolID}
	var by sql.NullInt64
	err := q.QueryRowContext(ctx, s.Rebind(`SELECT phone, fee_rule, police_station, police_phone, updated_at, updated_by
		FROM school_details WHERE school_id = ?`), schoolID).Scan(&d.Phone, &d.FeeRule, &d.PoliceStation, &d.PolicePhone, &d.UpdatedAt, &by)
	if errors.Is(err, sql.ErrNoRows) {
		return d, nil
	}
	if err != nil {
		return d, fmt.Errorf("store: details of school %d: %w", schoolID, err)
	}
	d.UpdatedAt, d.UpdatedBy = d.UpdatedAt.UTC(), by.Int64
	return d, nil
}

// SetSchoolDetails saves a school's details, audited as userID in the same
// transaction. The caller validates formats; the store refuses control
// characters.
func (s *Store) SetSchoolDetails(ctx context.Context, d SchoolDetails, userID int64) error {
	if err := checkTexts("school_phone", d.Phone, "police_station", d.PoliceStation, "police_phone", d.PolicePhone); err != nil {
		return err
	}
	if err := CheckText("fee_rule", d.FeeRule, false); err != nil {
		return err
	}
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO school_details (school_id, phone, fee_rule, police_station, police_phone, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (school_id) DO UPDATE SET phone = excluded.phone, fee_rule = excluded.fee_rule,
			police_station = excluded.police_station, police_phone = excluded.police_phone, updated_at = excluded.updated_at, updated_by = excluded.updated_by`),
			d.SchoolID, d.Phone, d.FeeRule, d.PoliceStation, d.PolicePhone, s.Now(), nullID(userID)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)`),
			s.Now(), nullID(userID), "school_details_saved", cleanLogText(fmt.Sprintf("school %d: 电话 %s, 收费说明 %s, 派出所 %s %s",
				d.SchoolID, d.Phone, d.FeeRule, d.PoliceStation, d.PolicePhone)))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: save details of school %d: %w", d.SchoolID, err)
	}
	return nil
}

// AllSchoolDetails returns the details of every school that saved some,
// by school: the campaign page and the overview flag the schools whose
// letters lack details in one read.
func (s *Store) AllSchoolDetails(ctx context.Context) (map[int64]SchoolDetails, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT school_id, phone, fee_rule, police_station, police_phone, updated_at FROM school_details`)
	if err != nil {
		return nil, fmt.Errorf("store: school details: %w", err)
	}
	defer rows.Close()
	out := map[int64]SchoolDetails{}
	for rows.Next() {
		var d SchoolDetails
		if err := rows.Scan(&d.SchoolID, &d.Phone, &d.FeeRule, &d.PoliceStation, &d.PolicePhone, &d.UpdatedAt); err != nil {
			return nil, fmt.Errorf("store: school details: %w", err)
		}
		d.UpdatedAt = d.UpdatedAt.UTC()
		out[d.SchoolID] = d
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: school details: %w", err)
	}
	return out, nil
}
