package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

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
	// MayTokens: API tokens are offered to the education center and school
	// administrators only (a teacher's work is on the pages).
	MayTokens bool
}

// mayHaveTokens says whether u may create API tokens.
func mayHaveTokens(u *store.User) bool {
	return u.Role == store.RoleDistrictAdmin || u.Role == store.RoleSchoolAdmin
}

// accountPage: GET /account and GET /account/password (the forced change
// lands on the same page, showing only the password form).
func (s *Server) accountPage(c *gin.Context) error {
	return s.renderAccount(c, http.StatusOK, accountData{Notice: noticeText(s, c)})
}

func (s *Server) renderAccount(c *gin.Context, status int, d accountData) error {
	u := currentUser(c)
	d.Forced, d.MayTokens = u.MustChangePassword, mayHaveTokens(u)
	if !d.Forced {
		tokens, err := s.store.APITokens(c.Request.Context(), u.ID)
		if err != nil {
			return err
		}
		d.Tokens = tokens
	}
	if u.SchoolID != 0 {
		if sc, err := s.store.School(c.Request.Context(), u.SchoolID); err == nil {
			d.School = sc.Name
		}
	}
	return s.render(c, status, "account.html", s.T(c, "account.title"), d)
}

// changePassword: POST /account/password (current, password, confirm).
func (s *Server) changePassword(c *gin.Context) error {
	u := currentUser(c)
	current, pw, confirm := c.PostForm("current"), c.PostForm("password"), c.PostForm("confirm")
	var problem string
	switch {
	case !account.Check(u.PasswordHash, current):
		problem = "account.error.current"
	case utf8.RuneCountInString(pw) < account.MinPasswordLength:
		problem = "account.error.short"
	case pw != confirm:
		problem = "account.error.confirm"
	case pw == current:
		problem = "account.error.same"
	case strings.EqualFold(pw, u.Username):
		problem = "account.error.username"
	}
	if problem != "" {
		return s.renderAccount(c, http.StatusUnprocessableEntity, accountData{Error: s.T(c, problem)})
	}
	hash, err := account.Hash(pw)
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(c.Request.Context(), u.ID, hash, false); err != nil {
		return err
	}
	// Anyone else signed in with the old password is signed out.
	if err := s.store.DeleteUserSessions(c.Request.Context(), u.ID, c.GetString(ctxSessionToken)); err != nil {
		return err
	}
	s.audit(c, "password_changed", u.Username)
	if u.MustChangePassword {
		// The start page says it worked (issue 11: the forced change gave
		// no word of it).
		c.Redirect(http.StatusSeeOther, homeFor(u)+"?notice=password_changed")
		return nil
	}
	c.Redirect(http.StatusSeeOther, "/account?notice=password_changed")
	return nil
}

// createAPIToken: POST /account/tokens (name). The secret is shown once.
func (s *Server) createAPIToken(c *gin.Context) error {
	u := currentUser(c)
	if !mayHaveTokens(u) {
		return errForbidden
	}
	name := strings.TrimSpace(c.PostForm("name"))
	if name == "" {
		name = s.T(c, "account.token.unnamed")
	}
	secret, t, err := s.store.CreateAPIToken(c.Request.Context(), u.ID, name)
	if err != nil {
		return err
	}
	s.audit(c, "api_token_created", u.Username+" #"+strconv.FormatInt(t.ID, 10)+" "+name)
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
