package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/app/account"
	"jiashu/store"
)

// accountData is the data of the account page.
type accountData struct {
	Forced   bool   // a one-time password must be replaced first
	Error    string // why the password change was refused
	Notice   string
	Tokens   []store.APIToken
	NewToken string // a token just created, shown once
	School   string
	// LockedUntil: the account's sign-in is locked (many failures from many
	// clients) until then; zero when it is not.
	LockedUntil time.Time
}

// accountPage: GET /account and GET /account/password (the forced change
// lands on the same page, showing only the password form).
func (s *Server) accountPage(c *gin.Context) error {
	return s.renderAccount(c, http.StatusOK, accountData{Notice: noticeText(s, c)})
}

func (s *Server) renderAccount(c *gin.Context, status int, d accountData) error {
	u := currentUser(c)
	d.Forced = u.MustChangePassword
	if !d.Forced {
		tokens, err := s.store.APITokens(c.Request.Context(), u.ID)
		if err != nil {
			return err
		}
		d.Tokens = tokens
	}
	until, err := s.store.LoginLockedUntil(c.Request.Context(), u.Username)
	if err != nil {
		return err
	}
	d.LockedUntil = until
	if u.SchoolID != 0 {
		if sc, err := s.store.School(c.Request.Context(), u.SchoolID); err == nil {
			d.School = sc.Name
		}
	}
	return s.render(c, status, "account.html", s.T(c, "account.title"), d)
}

// changePassword: POST /account/password (current, password, confirm).
// Guesses of the current password (a session left open on a shared
// computer) are throttled like sign-ins, under a client key of their own;
// the new password must pass passwords.Check.
func (s *Server) changePassword(c *gin.Context) error {
	ctx := c.Request.Context()
	u := currentUser(c)
	current, pw, confirm := c.PostForm("current"), c.PostForm("password"), c.PostForm("confirm")
	client := "change:" + c.ClientIP()
	d, err := s.store.ReserveLoginAttempt(ctx, u.Username, client)
	if err != nil {
		return err
	}
	if !d.Allowed {
		secs := max(int((d.RetryAfter+time.Second-1)/time.Second), 1)
		c.Header("Retry-After", strconv.Itoa(secs))
		return s.renderAccount(c, http.StatusTooManyRequests, accountData{Error: s.Tf(c, "account.error.throttled", (secs+59)/60)})
	}
	ok, err := s.passwords.Check(ctx, u.PasswordHash, current)
	if errors.Is(err, errPasswordBusy) {
		c.Header("Retry-After", "5")
		return s.renderAccount(c, http.StatusServiceUnavailable, accountData{Error: s.T(c, "login.busy")})
	}
	if err != nil {
		return err
	}
	if !ok {
		return s.renderAccount(c, http.StatusUnprocessableEntity, accountData{Error: s.T(c, "account.error.current")})
	}
	if err := s.store.LoginSucceeded(ctx, u.Username, client); err != nil {
		return err
	}
	// Anyone else signed in with the old password is signed out.
	err = account.ChangePassword(ctx, s.store, s.actor(c), *u, account.Change{Current: current, New: pw, Confirm: confirm,
		KeepSession: c.GetString(ctxSessionToken)})
	if msg := s.refusedInput(c, err); msg != "" {
		return s.renderAccount(c, http.StatusUnprocessableEntity, accountData{Error: msg})
	}
	if err != nil {
		return err
	}
	if u.MustChangePassword {
		// The start page says it worked (issue 11: the forced change gave
		// no word of it).
		c.Redirect(http.StatusSeeOther, homeFor(u)+"?notice=password_changed")
		return nil
	}
	c.Redirect(http.StatusSeeOther, "/account?notice=password_changed")
	return nil
}

// createAPIToken: POST /account/tokens (name, read_only). Every role has
// an API use (a teacher's class and letters, a reviewer's approvals); a
// token has its account's scope, and a read-only one only reads. The
// secret is shown once.
func (s *Server) createAPIToken(c *gin.Context) error {
	u := currentUser(c)
	name := strings.TrimSpace(c.PostForm("name"))
	if name == "" {
		name = s.T(c, "account.token.unnamed")
	}
	readOnly := c.PostForm("read_only") != ""
	secret, t, err := s.store.NewAPIToken(c.Request.Context(), store.APIToken{UserID: u.ID, Name: name, ReadOnly: readOnly})
	if err != nil {
		return err
	}
	what := u.Username + " #" + strconv.FormatInt(t.ID, 10) + " " + name
	if readOnly {
		what += " (read-only)"
	}
	s.audit(c, "api_token_created", what)
	return s.renderAccount(c, http.StatusOK, accountData{NewToken: secret})
}

// deleteAPIToken: POST /account/tokens/:id/delete.
func (s *Server) deleteAPIToken(c *gin.Context) error {
	u := currentUser(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	if err := s.store.DeleteAPIToken(c.Request.Context(), u.ID, id); err != nil {
		return errNotFound
	}
	s.audit(c, "api_token_deleted", u.Username+" #"+c.Param("id"))
	c.Redirect(http.StatusSeeOther, "/account?notice=token_deleted")
	return nil
}

// noticeText turns ?notice=KEY (after a redirect) into the text of
// "notice.KEY", ignoring unknown keys.
func noticeText(s *Server, c *gin.Context) string {
	k := c.Query("notice")
	if k == "" {
		return ""
	}
	if t := s.T(c, "notice."+k); t != "notice."+k {
		return t
	}
	return ""
}
