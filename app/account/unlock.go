package account

import (
	"context"
	"fmt"

	"jiashu/store"
)

// Unlock lifts u's sign-in lock and forgets the failures counted against
// u from every client (store.LiftLoginLock), for an administrator on the
// page u is managed from or for `app user unlock`. shownAs names who did it
// as u will read it on their account page (a display name and username, or
// the command line). locked says whether u was locked; either way the
// unlock is audited.
func Unlock(ctx context.Context, st *store.Store, by Actor, u store.User, shownAs string) (locked bool, err error) {
	locked, err = st.LiftLoginLock(ctx, u.Username, shownAs)
	if err != nil {
		return false, err
	}
	state := "was not locked; failures forgotten"
	if locked {
		state = "lock lifted, failures forgotten"
	}
	by.audit(ctx, st, "login_unlocked", fmt.Sprintf("user %d %s, role %s, school %d: %s", u.ID, u.Username, u.Role, u.SchoolID, state))
	return locked, nil
}
