package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/app/account"
	"jiashu/store"
)

// Failed sign-ins are counted in the database per account and per client
// address, so every instance behind a load balancer sees the same counts.
const (
	loginWindow      = 15 * time.Minute
	loginMaxPerUser  = 5  // wrong passwords for one account per window
	loginMaxPerAddr  = 30 // failures from one address per window (a school shares one NAT address)
	dummyBcryptInput = "jiashu-no-such-user"
)

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

// login: POST /login (username, password, next).
func (s *Server) login(c *gin.Context) error {
	form := loginForm{Username: strings.TrimSpace(c.PostForm("username")), Next: safeNext(c.PostForm("next"))}
	password := c.PostForm("password")
	userKey, addrKey := "user:"+strings.ToLower(form.Username), "ip:"+c.ClientIP()
	blocked, err := s.loginBlocked(c, userKey, addrKey)
	if err != nil {
		return err
	}
	if blocked {
		form.Error = s.Tf(c, "login.throttled", int(loginWindow.Minutes()))
		return s.render(c, http.StatusTooManyRequests, "login.html", s.T(c, "login.title"), form)
	}
	u, err := s.store.UserByUsername(c.Request.Context(), form.Username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	ok := false
	if err == nil && u.PasswordHash != "" {
		ok = account.Check(u.PasswordHash, password)
	} else {
		// Spend the same time as for a real account, so response times do
		// not tell which usernames exist.
		account.Check(s.dummy.get(), dummyBcryptInput)
	}
	if !ok || u.Disabled {
		for _, k := range []string{userKey, addrKey} {
			if _, err := s.store.AddLoginFailure(c.Request.Context(), k, loginWindow); err != nil {
				return err
			}
		}
		form.Error = s.T(c, "login.wrong")
		return s.render(c, http.StatusUnauthorized, "login.html", s.T(c, "login.title"), form)
	}
	if err := s.store.ClearLoginFailures(c.Request.Context(), userKey); err != nil {
		return err
	}
	// A sign-in over an open session (a shared staff-room computer) ends
	// it: the browser gets a new session id, the old one stops working.
	if old := c.GetString(ctxSessionToken); old != "" {
		if err := s.store.DeleteSession(c.Request.Context(), old); err != nil {
			return err
		}
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	s.audit(c, "login", "")
	// Sign-ins are rare enough to carry the clean-up of expired sessions,
	// uploads and failure counts, on whichever instance receives them.
	if _, err := s.store.PurgeExpired(c.Request.Context(), loginWindow); err != nil {
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

// loginBlocked says whether the account or the address has used up its
// failures for the window.
func (s *Server) loginBlocked(c *gin.Context, userKey, addrKey string) (bool, error) {
	n, err := s.store.LoginFailures(c.Request.Context(), userKey, loginWindow)
	if err != nil || n >= loginMaxPerUser {
		return err == nil, err
	}
	n, err = s.store.LoginFailures(c.Request.Context(), addrKey, loginWindow)
	return err == nil && n >= loginMaxPerAddr, err
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
