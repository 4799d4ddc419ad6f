package web

import (
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// A sign-in lock (many failures from many clients, store.LoginPolicy) is
// shown to the people who can act on it: the account's owner on the
// account page, and the administrators who manage the account on the page
// they manage it from (a school's teachers on the school page, everyone
// else on the district page), with the reset that lifts it.

// lockedAccount is an account whose sign-in is locked now.
type lockedAccount struct {
	User  store.User
	Until time.Time
}

// lockedAmong lists the accounts of users (all but the current user) that
// are locked now.
func (s *Server) lockedAmong(c *gin.Context, users []store.User) ([]lockedAccount, error) {
	locks, err := s.store.LockedLogins(c.Request.Context())
	if err != nil || len(locks) == 0 {
		return nil, err
	}
	me := currentUser(c)
	var out []lockedAccount
	for _, u := range users {
		if until, ok := locks[store.LoginAccountKey(u.Username)]; ok && (me == nil || u.ID != me.ID) {
			out = append(out, lockedAccount{User: u, Until: until})
		}
	}
	return out, nil
}
