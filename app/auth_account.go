package main

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// minPasswordLength is the shortest password accepted.
const minPasswordLength = 8

// accountData is the data of the account page.
type accountData struct {
	Forced   bool   // a one-time password must be replaced first
	Error    string // why the password change was refused
	Notice   string
	Tokens   []store.APIToken
	NewToken string // a token just created, shown once
	School   string
}

// accountPage: GET /account and GET /account/password (the forced change
// lands on the same page, showing only the password form).
func (s *server) accountPage(c *gin.Context) {
	s.renderAccount(c, http.StatusOK, accountData{Notice: noticeText(s, c)})
}

func (s *server) renderAccount(c *gin.Context, status int, d accountData) {
	u := currentUser(c)
	d.Forced = u.MustChangePassword
	if !d.Forced {
		tokens, err := s.store.APITokens(c.Request.Context(), u.ID)
		if err != nil {
			s.internal(c, err)
			return
		}
		d.Tokens = tokens
	}
	if u.SchoolID != 0 {
		if sc, err := s.store.School(c.Request.Context(), u.SchoolID); err == nil {
			d.School = sc.Name
		}
	}
	s.render(c, status, "account.html", s.T(c, "account.title"), d)
}

// changePassword: POST /account/password (current, password, confirm).
func (s *server) changePassword(c *gin.Context) {
	u := currentUser(c)
	current, pw, confirm := c.PostForm("current"), c.PostForm("password"), c.PostForm("confirm")
	var problem string
	switch {
	case !checkPassword(u.PasswordHash, current):
		problem = "account.error.current"
	case utf8.RuneCountInString(pw) < minPasswordLength:
		problem = "account.error.short"
	case pw != confirm:
		problem = "account.error.confirm"
	case pw == current:
		problem = "account.error.same"
	case strings.EqualFold(pw, u.Username):
		problem = "account.error.username"
	}
	if problem != "" {
		s.renderAccount(c, http.StatusUnprocessableEntity, accountData{Error: s.T(c, problem)})
		return
	}
	hash, err := hashPassword(pw)
	if err != nil {
		s.internal(c, err)
		return
	}
	if err := s.store.SetPassword(c.Request.Context(), u.ID, hash, false); err != nil {
		s.internal(c, err)
		return
	}
	// Anyone else signed in with the old password is signed out.
	if err := s.store.DeleteUserSessions(c.Request.Context(), u.ID, c.GetString(ctxSessionToken)); err != nil {
		s.internal(c, err)
		return
	}
	s.audit(c, "password_changed", u.Username)
	if u.MustChangePassword {
		c.Redirect(http.StatusSeeOther, homeFor(u))
		return
	}
	c.Redirect(http.StatusSeeOther, "/account?notice=password_changed")
}

// createAPIToken: POST /account/tokens (name). The secret is shown once.
func (s *server) createAPIToken(c *gin.Context) {
	u := currentUser(c)
	name := strings.TrimSpace(c.PostForm("name"))
	if name == "" {
		name = s.T(c, "account.token.unnamed")
	}
	secret, t, err := s.store.CreateAPIToken(c.Request.Context(), u.ID, name)
	if err != nil {
		s.internal(c, err)
		return
	}
	s.audit(c, "api_token_created", u.Username+" #"+strconv.FormatInt(t.ID, 10)+" "+name)
	s.renderAccount(c, http.StatusOK, accountData{NewToken: secret})
}

// deleteAPIToken: POST /account/tokens/:id/delete.
func (s *server) deleteAPIToken(c *gin.Context) {
	u := currentUser(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.problem(c, http.StatusNotFound, "not_found", "error.not_found")
		return
	}
	if err := s.store.DeleteAPIToken(c.Request.Context(), u.ID, id); err != nil {
		s.problem(c, http.StatusNotFound, "not_found", "error.not_found")
		return
	}
	s.audit(c, "api_token_deleted", u.Username+" #"+c.Param("id"))
	c.Redirect(http.StatusSeeOther, "/account?notice=token_deleted")
}

// noticeText turns ?notice=KEY (after a redirect) into the text of
// "notice.KEY", ignoring unknown keys.
func noticeText(s *server, c *gin.Context) string {
	k := c.Query("notice")
	if k == "" {
		return ""
	}
	if t := s.T(c, "notice."+k); t != "notice."+k {
		return t
	}
	return ""
}
