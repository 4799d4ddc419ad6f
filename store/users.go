package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Role is what a user may do; scope checks live in the app.
type Role string

// The four roles of the product.
const (
	RoleDistrictAdmin Role = "district_admin" // 教管中心
	RoleReviewer      Role = "reviewer"       // 审核员
	RoleSchoolAdmin   Role = "school_admin"   // 学校管理员
	RoleTeacher       Role = "teacher"        // 班主任
)

// User is a staff account. SchoolID is 0 for district roles.
type User struct {
	ID                 int64
	Username           string
	DisplayName        string
	Role               Role
	SchoolID           int64
	PasswordHash       string
	MustChangePassword bool
	Disabled           bool
	CreatedAt          time.Time
}

const userCols = `id, username, display_name, role, school_id, password_hash, must_change_password, disabled, created_at`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var school sql.NullInt64
	var role string
	err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &role, &school, &u.PasswordHash, &u.MustChangePassword, &u.Disabled, &u.CreatedAt)
	u.Role = Role(role)
	u.SchoolID = school.Int64
	u.CreatedAt = u.CreatedAt.UTC()
	return u, err
}

// nullID maps 0 to NULL for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CreateUser adds u (its ID and CreatedAt are ignored) and returns it as
// stored. A username against NormalizeUsername's rule is a *UsernameError
// (ErrInvalidUsername); one taken in any case is ErrUsernameTaken.
func (s *Store) CreateUser(ctx context.Context, u User) (User, error) {
	return s.insertUser(ctx, s.db, u)
}

// insertUser writes a new user (CreateUser, CreateFirstUser).
func (s *Store) insertUser(ctx context.Context, q queryer, u User) (User, error) {
	name, err := NormalizeUsername(u.Username)
	if err != nil {
		return User{}, err
	}
	u.Username = name
	if err := CheckText("display_name", u.DisplayName, false); err != nil {
		return User{}, err
	}
	out, err := scanUser(q.QueryRowContext(ctx, s.Rebind(`INSERT INTO users
		(username, display_name, role, school_id, password_hash, must_change_password, disabled, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+userCols),
		u.Username, u.DisplayName, string(u.Role), nullID(u.SchoolID), u.PasswordHash, u.MustChangePassword, u.Disabled, s.Now()))
	if isUniqueViolation(err) {
		return User{}, fmt.Errorf("store: create user %q: %w", u.Username, ErrUsernameTaken)
	}
	if err != nil {
		return User{}, fmt.Errorf("store: create user %q: %w", u.Username, err)
	}
	return out, nil
}

// UserByUsername returns the user with that username in any case
// ("Center" finds "center").
func (s *Store) UserByUsername(ctx context.Context, username string) (User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.Rebind(`SELECT `+userCols+` FROM users WHERE lower(username) = ?`), LoginAccountKey(username)))
	if err != nil {
		return User{}, notFound(err, fmt.Sprintf("user %q", username))
	}
	return u, nil
}

// User returns the user with id.
func (s *Store) User(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.Rebind(`SELECT `+userCols+` FROM users WHERE id = ?`), id))
	if err != nil {
		return User{}, notFound(err, fmt.Sprintf("user %d", id))
	}
	return u, nil
}

// Users lists all users by username.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	return out, nil
}

// CountUsers counts the accounts; zero means a new database that needs its
// first administrator.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}

// SetPassword replaces a user's password hash and sets whether they must
// change it at their next login (true after an administrator's reset). In
// the same transaction it revokes the user's API tokens: whoever had the
// old password may have made one, and a token must not outlive the
// password that allowed it. Sessions are the caller's (DeleteUserSessions:
// a change keeps the browser that made it).
func (s *Store) SetPassword(ctx context.Context, id int64, hash string, mustChange bool) error {
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, s.Rebind(`UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?`), hash, mustChange, id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: user %d", ErrNotFound, id)
		}
		_, err = tx.ExecContext(ctx, s.Rebind(`DELETE FROM api_tokens WHERE user_id = ?`), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: set password of user %d: %w", id, err)
	}
	return nil
}

// SetUserDisabled disables or re-enables an account; disabling also signs
// it out everywhere.
func (s *Store) SetUserDisabled(ctx context.Context, userID int64, disabled bool) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, s.Rebind(`UPDATE users SET disabled = ? WHERE id = ?`), disabled, userID)
		if err != nil {
			return fmt.Errorf("store: disable user %d: %w", userID, err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: user %d", ErrNotFound, userID)
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, s.Rebind(`DELETE FROM sessions WHERE user_id = ?`), userID); err != nil {
				return fmt.Errorf("store: sign out user %d: %w", userID, err)
			}
		}
		return nil
	})
}
