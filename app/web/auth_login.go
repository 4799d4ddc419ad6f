package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/app/account"
	"jiashu/store"
)

// Sign-ins are throttled in the database (store.ReserveLoginAttempt), per
// account and client pair with growing delays, so every instance behind a
// load balancer counts together and a burst is counted before any of its
// passwords is checked; the password checks themselves go through the
// gate (password_gate.go).
const dummyBcryptInput = "jiashu-no-such-user"

// loginForm is the data of the login page.
type loginForm struct {
	Username string
	Next     string
	Error    string
	Bye      bool // just signed out
}

// loginPage: GET /login.
func (s *Server) loginPage(c *gin.Context) error {
	if u := currentUser(c); u != nil {
		c.Redirect(http.StatusSeeOther, homeFor(u))
		return nil
	}
	return s.render(c, http.StatusOK, "login.html", s.T(c, "login.title"), loginForm{Next: safeNext(c.Query("next")), Bye: c.Query("bye") != ""})
}

// login: POST /login (username, password, next). The attempt is counted
// before anything is looked up; an unknown or malformed username spends
// the same bcrypt time as a real one, so timing does not tell which exist.
func (s *Server) login(c *gin.Context) error {
	ctx := c.Request.Context()
	form := loginForm{Username: strings.TrimSpace(c.PostForm("username")), Next: safeNext(c.PostForm("next"))}
	password, client := c.PostForm("password"), c.ClientIP()
	if err := store.CheckText("username", form.Username, false); err != nil {
		return err // no account has such a name: nothing to count
	}
	d, err := s.store.ReserveLoginAttempt(ctx, form.Username, client)
	if err != nil {
		return err
	}
	u, found, err := s.loginUser(c, form.Username)
	if err != nil {
		return err
	}
	if d.LockedNow && found {
		s.loginLocked(c, u, client)
	}
	if !d.Allowed {
		return s.loginRefused(c, form, d)
	}
	hash, input := s.dummy.get(), dummyBcryptInput
	if found && u.PasswordHash != "" {
		hash, input = u.PasswordHash, password
	}
	ok, err := s.passwords.Check(ctx, hash, input)
	if errors.Is(err, errPasswordBusy) {
		c.Header("Retry-After", "5")
		form.Error = s.T(c, "login.busy")
		return s.render(c, http.StatusServiceUnavailable, "login.html", s.T(c, "login.title"), form)
	}
	if err != nil {
		return err
	}
	if !ok || !found || u.PasswordHash == "" || u.Disabled {
		form.Error = s.T(c, "login.wrong")
		return s.render(c, http.StatusUnauthorized, "login.html", s.T(c, "login.title"), form)
	}
	if err := s.store.LoginSucceeded(ctx, form.Username, client); err != nil {
		return err
	}
	// A sign-in over an open session (a shared staff-room computer) ends
	// it: the browser gets a new session id, the old one stops working.
	if old := c.GetString(ctxSessionToken); old != "" {
		if err := s.store.DeleteSession(ctx, old); err != nil {
			return err
		}
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	s.audit(c, "login", "")
	// Sign-ins are rare enough to carry the clean-up of expired sessions,
	// uploads and idle throttle counters, on whichever instance receives them.
	if _, err := s.store.PurgeExpired(ctx, 15*time.Minute); err != nil {
		s.log.Warn("purge expired", "err", err)
	}
	switch {
	case u.MustChangePassword:
		c.Redirect(http.StatusSeeOther, "/account/password")
	case form.Next != "":
		c.Redirect(http.StatusSeeOther, form.Next)
	default:
		c.Redirect(http.StatusSeeOther, homeFor(&u))
	}
	return nil
}

// loginUser looks up the account a sign-in names; a username that breaks
// the rules cannot name one, so it is not looked up.
func (s *Server) loginUser(c *gin.Context, typed string) (store.User, bool, error) {
	name, err := store.NormalizeUsername(typed)
	if err != nil {
		return store.User{}, false, nil
	}
	u, err := s.store.UserByUsername(c.Request.Context(), name)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, false, nil
	}
	return u, err == nil, err
}

// loginRefused answers an attempt the throttle refused: 429 with
// Retry-After, and the wait in minutes in the text.
func (s *Server) loginRefused(c *gin.Context, form loginForm, d store.LoginDecision) error {
	secs := max(int((d.RetryAfter+time.Second-1)/time.Second), 1)
	c.Header("Retry-After", strconv.Itoa(secs))
	if d.Refusal == store.RefusedLocked {
		form.Error = s.T(c, "login.locked")
	} else {
		form.Error = s.Tf(c, "login.throttled", (secs+59)/60)
	}
	return s.render(c, http.StatusTooManyRequests, "login.html", s.T(c, "login.title"), form)
}

// loginLocked records that failures from many clients have just locked
// u's account: the audit log names it, and the account page and the pages
// of the administrators who manage it show the lock (account_locks.go).
func (s *Server) loginLocked(c *gin.Context, u store.User, client string) {
	s.log.Warn("account locked after many failed sign-ins", "user", u.ID)
	detail := fmt.Sprintf("user %d %s, role %s, school %d, locked after many failed sign-ins (the last from %s)", u.ID, u.Username, u.Role, u.SchoolID, client)
	if err := s.store.Audit(c.Request.Context(), 0, "login_locked", detail); err != nil {
		s.log.Error("audit", "action", "login_locked", "err", err)
	}
}

// logout: POST /logout.
func (s *Server) logout(c *gin.Context) error {
	if err := s.endSession(c); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/login?bye=1")
	return nil
}

// safeNext keeps a post-login target only if it is a path on this site.
// Browsers drop tabs and line breaks from a URL and read a backslash as a
// slash, so "/\t/evil.example" or "/\\evil.example" would lead to another
// host: any control character, space or backslash refuses the target.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/login") ||
		strings.ContainsFunc(next, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '\\' }) {
		return ""
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" {
		return ""
	}
	return next
}

// dummyHash is the hash a sign-in with an unknown username is checked
// against, so that it costs what a real one does. It is made at the first
// such sign-in, not at start: a server (or a test) that never meets an
// unknown username never pays for it.
type dummyHash struct {
	once sync.Once
	hash string
}

func (d *dummyHash) get() string {
	d.once.Do(func() {
		h, err := account.Hash(dummyBcryptInput)
		if err != nil {
			panic(err) // bcrypt fails only on a password over 72 bytes
		}
		d.hash = h
	})
	return d.hash
}
