package account

import (
	"context"
	"fmt"

	"jiashu/store"
)

// Unlock lifts u's sign-in lock and forgets the failures counted against
// u from every client (store.LiftLoginLock), for an administrator on the
// page u is managed from or for `app user unlock`. by names who did it as
// u will read it on their account page (a display name and username, or
// the command line); actorID is the audit log's user (0 for the CLI).
// locked says whether u was locked; either way the unlock is audited.
func Unlock(ctx context.Context, st *store.Store, u store.User, actorID int64, by string) (locked bool, err error) {
	locked, err = st.LiftLoginLock(ctx, u.Username, by)
	if err != nil {
		return false, err
	}
	state := "was not locked; failures forgotten"
	if locked {
		state = "lock lifted, failures forgotten"
	}
	detail := fmt.Sprintf("user %d %s, role %s, school %d, by %s: %s", u.ID, u.Username, u.Role, u.SchoolID, by, state)
	if err := st.Audit(ctx, actorID, "login_unlocked", detail); err != nil {
		return locked, err
	}
	return locked, nil
}
