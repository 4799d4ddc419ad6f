package account

import (
	"context"
	"errors"
	"fmt"

	"jiashu/passwords"
	"jiashu/problem"
	"jiashu/store"
)

// ResetPassword gives u a new one-time password, returned to be shown once:
// u must change it at the next sign-in, is signed out everywhere, loses
// every API token, and a sign-in lock on the account is lifted (the reset
// is how an administrator lifts one).
func ResetPassword(ctx context.Context, st *store.Store, by Actor, u store.User) (string, error) {
	pw := OneTimePassword()
	hash, err := Hash(pw)
	if err == nil {
		err = st.SetPassword(ctx, u.ID, hash, true) // revokes the API tokens too
	}
	if err == nil {
		err = st.DeleteUserSessions(ctx, u.ID, "")
	}
	if err == nil {
		err = st.UnlockLogin(ctx, u.Username)
	}
	if err != nil {
		return "", err
	}
	detail := fmt.Sprintf("user %d %s, role %s, school %d; sessions ended, API tokens revoked, sign-in unlocked", u.ID, u.Username, u.Role, u.SchoolID)
	by.audit(ctx, st, "password_reset", detail)
	return pw, nil
}

// Change is a password change by the account's own user, whose current
// password the caller has checked (the web, through its bounded bcrypt
// gate).
type Change struct {
	Current, New, Confirm string
	// KeepSession is the session that stays signed in (the one changing
	// the password); every other session of the user ends.
	KeepSession string
}

// ChangePassword sets u's password to ch.New. Refused (problem.Invalid,
// with the message to show): a password against the policy
// (passwords.Check), a confirmation that differs, the current password
// again. The user's API tokens are revoked and their other sessions end.
func ChangePassword(ctx context.Context, st *store.Store, by Actor, u store.User, ch Change) error {
	var policy *passwords.Problem
	switch {
	case errors.As(passwords.Check(ch.New, u.Username), &policy):
		return &problem.Error{Code: problem.Invalid, Message: policy.Message}
	case ch.New != ch.Confirm:
		return &problem.Error{Code: problem.Invalid, Key: "account.error.confirm", Message: "两次输入的新密码不一致。"}
	case ch.New == ch.Current:
		return &problem.Error{Code: problem.Invalid, Key: "account.error.same", Message: "新密码不能与当前密码相同。"}
	}
	hash, err := Hash(ch.New)
	if err != nil {
		return err
	}
	if err := st.SetPassword(ctx, u.ID, hash, false); err != nil { // revokes the API tokens too
		return err
	}
	if err := st.DeleteUserSessions(ctx, u.ID, ch.KeepSession); err != nil {
		return err
	}
	by.audit(ctx, st, "password_changed", u.Username+", API tokens revoked")
	return nil
}

// SetDisabled disables u (it can no longer sign in; its sessions end and
// its API tokens stop working) or enables it again.
func SetDisabled(ctx context.Context, st *store.Store, by Actor, u store.User, disabled bool) error {
	if err := st.SetUserDisabled(ctx, u.ID, disabled); err != nil {
		return err
	}
	action := "user_enabled"
	if disabled {
		action = "user_disabled"
	}
	by.audit(ctx, st, action, fmt.Sprintf("user %d %s, role %s, school %d", u.ID, u.Username, u.Role, u.SchoolID))
	return nil
}
