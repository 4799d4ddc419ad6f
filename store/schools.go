package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// School is one school of the district.
type School struct {
	ID        int64
	Name      string
	CreatedAt time.Time
}

const schoolCols = `id, name, created_at`

func scanSchool(row interface{ Scan(...any) error }) (School, error) {
	var sc School
	err := row.Scan(&sc.ID, &sc.Name, &sc.CreatedAt)
	sc.CreatedAt = sc.CreatedAt.UTC()
	return sc, err
}

// EnsureSchool returns the school called name, creating it when it does
// not exist yet; created says which happened. Surrounding spaces are
// ignored; an empty name is an error.
func (s *Store) EnsureSchool(ctx context.Context, name string) (School, bool, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return School{}, false, fmt.Errorf("store: school name is empty")
	}
	if err := checkTexts("school_name", name); err != nil {
		return School{}, false, err
	}
	sc, err := scanSchool(s.db.QueryRowContext(ctx, s.Rebind(
		`INSERT INTO schools (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING RETURNING `+schoolCols),
		name, s.Now()))
	if err == nil {
		return sc, true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return School{}, false, fmt.Errorf("store: create school %q: %w", name, err)
	}
	sc, err = s.SchoolByName(ctx, name)
	return sc, false, err
}

// SchoolByName returns the school called name (surrounding spaces ignored).
func (s *Store) SchoolByName(ctx context.Context, name string) (School, error) {
	name = strings.TrimSpace(name)
	sc, err := scanSchool(s.db.QueryRowContext(ctx, s.Rebind(`SELECT `+schoolCols+` FROM schools WHERE name = ?`), name))
	if err != nil {
		return School{}, notFound(err, fmt.Sprintf("school %q", name))
	}
	return sc, nil
}

// School returns the school with id.
func (s *Store) School(ctx context.Context, id int64) (School, error) {
	sc, err := scanSchool(s.db.QueryRowContext(ctx, s.Rebind(`SELECT `+schoolCols+` FROM schools WHERE id = ?`), id))
	if err != nil {
		return School{}, notFound(err, fmt.Sprintf("school %d", id))
	}
	return sc, nil
}

// Schools lists all schools by name.
func (s *Store) Schools(ctx context.Context) ([]School, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+schoolCols+` FROM schools ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("store: schools: %w", err)
	}
	defer rows.Close()
	var out []School
	for rows.Next() {
		sc, err := scanSchool(rows)
		if err != nil {
			return nil, fmt.Errorf("store: schools: %w", err)
		}
		out = append(out, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: schools: %w", err)
	}
	return out, nil
}
