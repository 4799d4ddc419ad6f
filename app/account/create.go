package account

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"jiashu/problem"
	"jiashu/store"
)

// MaxDisplayName is the longest display name, in characters.
const MaxDisplayName = 40

// Actor is who does an operation, for the audit log: a signed-in user (ID),
// or the command line (ID 0, By naming the system account).
type Actor struct {
	ID  int64
	By  string       // "" for a signed-in user; "CLI (root)" for the command line
	Log *slog.Logger // where a failed audit entry is reported; nil: slog's default
}

// audit records action with detail, naming a command-line actor. A
// failure is logged, not returned: the operation itself has happened, and
// its one-time password must still reach the person.
func (a Actor) audit(ctx context.Context, st *store.Store, action, detail string) {
	if a.By != "" {
		detail += " by " + a.By
	}
	if err := st.Audit(ctx, a.ID, action, detail); err != nil {
		log := a.Log
		if log == nil {
			log = slog.Default()
		}
		log.Error("audit", "action", action, "err", err)
	}
}

// New is an account to create.
type New struct {
	Username    string // as typed: store.NormalizeUsername decides
	DisplayName string
	Role        store.Role
	SchoolID    int64 // the school of a school administrator or teacher; 0 otherwise
}

// Created is a new account with its one-time password, shown once.
type Created struct {
	User     store.User
	Password string
}

// Create makes a staff account with a one-time password, to be changed at
// its first sign-in. Refused (problem.Invalid, with the message to show): a
// username against store.UsernameRule, one taken in any case (also by an
// account made at the same moment), a display name over MaxDisplayName
// characters or holding a control character.
func Create(ctx context.Context, st *store.Store, by Actor, n New) (Created, error) {
	n, err := CheckNew(n)
	if err != nil {
		return Created{}, err
	}
	username, display := n.Username, n.DisplayName
	taken := &problem.Error{Code: problem.Invalid, Key: "admin.error.taken", Message: "这个用户名已被使用，请换一个。"}
	if _, err := st.UserByUsername(ctx, username); err == nil {
		return Created{}, taken
	} else if !errors.Is(err, store.ErrNotFound) {
		return Created{}, err
	}
	pw := OneTimePassword()
	hash, err := Hash(pw)
	if err != nil {
		return Created{}, err
	}
	u, err := st.CreateUser(ctx, store.User{Username: username, DisplayName: display, Role: n.Role, SchoolID: n.SchoolID,
		PasswordHash: hash, MustChangePassword: true})
	if errors.Is(err, store.ErrUsernameTaken) { // taken since the look-up
		return Created{}, taken
	}
	if err != nil {
		return Created{}, err
	}
	by.audit(ctx, st, "user_created", fmt.Sprintf("user %d %s, role %s, school %d", u.ID, u.Username, u.Role, u.SchoolID))
	return Created{User: u, Password: pw}, nil
}

// CheckNew applies the rules of a new account that need no database: the
// username (store.NormalizeUsername) and the display name (at most
// MaxDisplayName characters, no control character). It returns n with both
// as stored; a refusal is a problem.Invalid with the message to show.
func CheckNew(n New) (New, error) {
	username, err := store.NormalizeUsername(n.Username)
	var bad *store.UsernameError
	if errors.As(err, &bad) {
		return n, &problem.Error{Code: problem.Invalid, Message: bad.Message}
	}
	if err != nil {
		return n, err
	}
	display := strings.TrimSpace(n.DisplayName)
	if len([]rune(display)) > MaxDisplayName {
		return n, &problem.Error{Code: problem.Invalid, Key: "admin.error.display_name",
			Message: fmt.Sprintf("姓名最多 %d 个字。", MaxDisplayName)}
	}
	if err := store.CheckText("display_name", display, false); err != nil {
		return n, err // a problem.Invalid, reason control_character
	}
	n.Username, n.DisplayName = username, display
	return n, nil
}

// Assign makes teacher u a teacher of class cl (assign) or no longer
// (!assign).
func Assign(ctx context.Context, st *store.Store, by Actor, u store.User, cl store.Class, assign bool) error {
	action := "teacher_assigned"
	var err error
	if assign {
		err = st.AssignTeacher(ctx, u.ID, cl.ID)
	} else {
		action = "teacher_unassigned"
		err = st.UnassignTeacher(ctx, u.ID, cl.ID)
	}
	if err != nil {
		return err
	}
	by.audit(ctx, st, action, fmt.Sprintf("user %d %s, class %d %s", u.ID, u.Username, cl.ID, cl.Name))
	return nil
}

// Ensure makes account n with the known password pw, not to be changed at
// the first sign-in, or sets pw on the account of that username: the demo's
// accounts, whose password is printed at start. Never for real accounts.
func Ensure(ctx context.Context, st *store.Store, n New, pw string) (store.User, error) {
	hash, err := Hash(pw)
	if err != nil {
		return store.User{}, err
	}
	u, err := st.UserByUsername(ctx, n.Username)
	if errors.Is(err, store.ErrNotFound) {
		return st.CreateUser(ctx, store.User{Username: n.Username, DisplayName: n.DisplayName, Role: n.Role, SchoolID: n.SchoolID, PasswordHash: hash})
	}
	if err != nil {
		return u, err
	}
	return u, st.SetPassword(ctx, u.ID, hash, false)
}
