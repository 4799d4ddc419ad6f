package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/app/account"
	"jiashu/store"
)

// Account management from the web: an administrator resets a colleague's
// password (a one-time password shown once, their sessions ended) or
// disables and re-enables their account. Scope: a school administrator
// manages their own school's teachers only; the district anyone but
// itself. Nobody manages their own account here (the account page is for
// that), so an administrator cannot lock themselves out.

// managedUser loads the :user path parameter if the current user may manage
// that account; otherwise it has answered (403 for a role that manages no
// accounts or for oneself, 404 for an account out of scope) and returns false.
func (s *Server) managedUser(c *gin.Context) (store.User, error) {
	me := currentUser(c)
	if me == nil || (me.Role != store.RoleDistrictAdmin && me.Role != store.RoleSchoolAdmin) {
		return store.User{}, errForbidden
	}
	id, err := s.idParam(c, "user")
	if err != nil {
		return store.User{}, err
	}
	if id == me.ID {
		return store.User{}, refuse(http.StatusForbidden, "forbidden", "account.admin.error.self")
	}
	u, err := s.store.User(c.Request.Context(), id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.User{}, err
	}
	inScope := err == nil && (me.Role == store.RoleDistrictAdmin ||
		(u.Role == store.RoleTeacher && u.SchoolID != 0 && u.SchoolID == me.SchoolID))
	if !inScope {
		return store.User{}, errNotFound
	}
	return u, nil
}

// unconfirmed says whether a page's destructive form lacks its
// confirmation (its required checkbox); the API needs none.
func unconfirmed(c *gin.Context) bool {
	return !isAPI(c) && c.PostForm("confirm") == ""
}

// refuseUnconfirmed answers 422 with the page the form was on.
func (s *Server) refuseUnconfirmed(c *gin.Context, u store.User) error {
	return s.renderManaged(c, http.StatusUnprocessableEntity, u, s.T(c, "account.admin.error.confirm"), "", nil)
}

// renderManaged shows the page an account is managed from: its school's
// page for a teacher, the district page for everyone else.
func (s *Server) renderManaged(c *gin.Context, status int, u store.User, errText, notice string, reset *newAccount) error {
	if u.Role == store.RoleTeacher && u.SchoolID != 0 {
		sc, err := s.store.School(c.Request.Context(), u.SchoolID)
		if err != nil {
			return err
		}
		return s.renderSchool(c, status, schoolPageData{School: sc, Error: errText, Notice: notice, Created: reset})
	}
	return s.renderDistrict(c, status, districtPageData{Error: errText, Notice: notice, Created: reset})
}

// managedPage is where a page's form returns after an action on u.
func managedPage(u store.User) string {
	if u.Role == store.RoleTeacher && u.SchoolID != 0 {
		return fmt.Sprintf("/schools/%d", u.SchoolID)
	}
	return "/district"
}

// resetUserPassword: POST /users/:user/reset-password (confirm) and POST
// /api/v1/users/:user/reset-password: a new one-time password, shown on
// this response only; the user must change it at their next sign-in and
// is signed out everywhere now.
func (s *Server) resetUserPassword(c *gin.Context) error {
	u, err := s.managedUser(c)
	if err != nil {
		return err
	}
	if unconfirmed(c) {
		return s.refuseUnconfirmed(c, u)
	}
	pw, err := account.ResetPassword(c.Request.Context(), s.store, s.actor(c), u)
	if err != nil {
		return err
	}
	u.MustChangePassword = true
	if isAPI(c) {
		c.JSON(http.StatusOK, gin.H{"user": toAPIUser(u), "one_time_password": pw})
		return nil
	}
	acc := &newAccount{Username: u.Username, DisplayName: u.DisplayName, Password: pw, Role: u.Role, Reset: true}
	if u.SchoolID != 0 && u.Role != store.RoleTeacher {
		if sc, err := s.store.School(c.Request.Context(), u.SchoolID); err == nil {
			acc.School = sc.Name
		}
	}
	q, err := s.flashAccount(c, *acc)
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, managedPage(u)+"?"+q+"#one-time-password")
	return nil
}

// disableUser: POST /users/:user/disable (confirm) and the API's: the
// account can no longer sign in; its sessions end and its API tokens stop
// working.
func (s *Server) disableUser(c *gin.Context) error { return s.setUserDisabled(c, true) }

// enableUser: POST /users/:user/enable and the API's.
func (s *Server) enableUser(c *gin.Context) error { return s.setUserDisabled(c, false) }

func (s *Server) setUserDisabled(c *gin.Context, disabled bool) error {
	u, err := s.managedUser(c)
	if err != nil {
		return err
	}
	if disabled && unconfirmed(c) {
		return s.refuseUnconfirmed(c, u)
	}
	if err := account.SetDisabled(c.Request.Context(), s.store, s.actor(c), u, disabled); err != nil {
		return err
	}
	done := "enabled"
	if disabled {
		done = "disabled"
	}
	u.Disabled = disabled
	if isAPI(c) {
		c.JSON(http.StatusOK, gin.H{"user": toAPIUser(u)})
		return nil
	}
	c.Redirect(http.StatusSeeOther, managedPage(u)+"?done="+done)
	return nil
}

// apiUserGet: GET /api/v1/users/:user: an account its caller manages (the
// address a new account's Location names).
func (s *Server) apiUserGet(c *gin.Context) error {
	u, err := s.managedUser(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"user": toAPIUser(u)})
	return nil
}
