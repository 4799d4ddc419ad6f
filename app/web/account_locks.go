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
// else on the district page), with the unlock and the reset that lift it.
// The owner is also told of the locks of the last weeks once they have
// ended, and of who lifted them (store.LoginLocks).

// ownLocksShown is how far back the account page tells its owner of locks.
const ownLocksShown = 30 * 24 * time.Hour

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

// ownLocks is what the account page tells the owner of username: until
// when it is locked now (zero when it is not) and the locks of the last
// ownLocksShown that have ended or were lifted.
func (s *Server) ownLocks(c *gin.Context, username string) (until time.Time, past []store.LoginLock, err error) {
	now := s.store.Now()
	locks, err := s.store.LoginLocks(c.Request.Context(), username, now.Add(-ownLocksShown))
	if err != nil {
		return time.Time{}, nil, err
	}
	for _, l := range locks {
		if !l.Active(now) {
			past = append(past, l)
		}
	}
	until, err = s.store.LoginLockedUntil(c.Request.Context(), username)
	return until, past, err
}
