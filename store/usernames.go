package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Usernames are what people type on a phone or a school computer: ASCII
// letters, digits and . _ - only, 2 to 40 of them, unique whatever their
// case (migration 010: a unique index on lower(username)). Look-alikes are
// refused rather than mapped: a Cyrillic "с" or a full-width "ｃ" would
// make a second "center" that no one can tell from the first.

// Username length bounds, in characters.
const (
	UsernameMin = 2
	UsernameMax = 40
)

var (
	// ErrInvalidUsername: a username with other characters or of another
	// length (UsernameError says which, in Chinese).
	ErrInvalidUsername = errors.New("store: invalid username")
	// ErrUsernameTaken: the username, in any case, belongs to an account.
	ErrUsernameTaken = errors.New("store: username taken")
)

// UsernameError is a refused username with the Chinese message to show.
type UsernameError struct {
	Username string
	Message  string
}

func (e *UsernameError) Error() string {
	return fmt.Sprintf("store: username %q: %s", e.Username, e.Message)
}

// Unwrap makes errors.Is(err, ErrInvalidUsername) true.
func (e *UsernameError) Unwrap() error { return ErrInvalidUsername }

// UsernameRule is the rule as the forms state it.
const UsernameRule = "用户名只能用英文字母、数字和 . _ -（2–40 个字符），不区分大小写；不能用汉字、全角字符、空格或其他符号。"

// NormalizeUsername is the one check of a username, on creating an account
// and (for the look-up) on signing in: surrounding spaces are dropped and
// the rest must follow UsernameRule. The case is kept as typed; accounts
// are matched case-insensitively (UserByUsername, LoginAccountKey).
func NormalizeUsername(raw string) (string, error) {
	u := strings.TrimSpace(raw)
	if n := len([]rune(u)); n < UsernameMin || n > UsernameMax {
		return "", &UsernameError{Username: u, Message: fmt.Sprintf("用户名长度应为 %d–%d 个字符，现在是 %d 个。", UsernameMin, UsernameMax, n)}
	}
	for _, r := range u {
		if !isUsernameRune(r) {
			return "", &UsernameError{Username: u, Message: fmt.Sprintf("用户名里的“%c”不能用。%s", r, UsernameRule)}
		}
	}
	return u, nil
}

func isUsernameRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
}

// isUniqueViolation says whether err is a unique constraint failure on
// either database.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// refuseCaseDuplicateUsernames runs before migration 010: its unique index
// cannot be built over accounts whose usernames differ only in case, and
// which of them to rename is a person's decision, so the upgrade stops
// naming them.
func refuseCaseDuplicateUsernames(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT u.id, u.username FROM users u
		WHERE (SELECT COUNT(*) FROM users o WHERE lower(o.username) = lower(u.username)) > 1
		ORDER BY lower(u.username), u.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var dups []string
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		dups = append(dups, fmt.Sprintf("%q (id %d)", name, id))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(dups) > 0 {
		return fmt.Errorf("usernames differ only in case: %s — 这些用户名仅大小写不同，升级后用户名不区分大小写；"+
			"请先用旧版本把其中一个改名（UPDATE users SET username = '新名字' WHERE id = …）再启动", strings.Join(dups, ", "))
	}
	return nil
}
