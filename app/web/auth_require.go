package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// requireUser admits signed-in users. A page sends the others to the login
// page (and back afterwards); the API answers 401. API tokens open only
// the API. A user who must replace
// a one-time password may only do that (and sign out) until they have.
func (s *Server) requireUser() gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		if u == nil {
			if isAPI(c) {
				s.fail(c, http.StatusUnauthorized, "unauthorized", s.T(c, "error.sign_in"))
				return
			}
			target := "/login"
			if c.Request.Method == http.MethodGet && c.Request.URL.Path != "/" {
				target += "?next=" + url.QueryEscape(c.Request.URL.RequestURI())
			}
			c.Redirect(http.StatusSeeOther, target)
			c.Abort()
			return
		}
		// An API token is for scripts on the JSON API: on the pages it could
		// change the password or mint tokens that outlive its revocation.
		if c.GetBool(ctxViaAPIToken) && !isAPI(c) {
			s.problem(c, http.StatusForbidden, "forbidden", "error.forbidden")
			return
		}
		if readOnlyRefused(c) {
			s.fail(c, http.StatusForbidden, "read_only_token", s.T(c, "error.read_only_token"))
			return
		}
		if u.MustChangePassword && c.FullPath() != "/account/password" && c.FullPath() != "/logout" {
			if isAPI(c) {
				s.fail(c, http.StatusForbidden, "password_change_required", s.T(c, "error.password_change_required"))
				return
			}
			c.Redirect(http.StatusSeeOther, "/account/password")
			c.Abort()
			return
		}
		c.Next()
	}
}

// readOnlyRefused: a read-only token reads (GET, HEAD) and does nothing
// else.
func readOnlyRefused(c *gin.Context) bool {
	t, ok := c.Get(ctxToken)
	if !ok || !t.(store.APIToken).ReadOnly {
		return false
	}
	return c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead
}

// requireRole admits only the given roles (after requireUser).
func (s *Server) requireRole(roles ...store.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if u := currentUser(c); u == nil || !slices.Contains(roles, u.Role) {
			s.problem(c, http.StatusForbidden, "forbidden", "error.forbidden")
			return
		}
		c.Next()
	}
}

// homeFor is where a user lands after signing in.
func homeFor(u *store.User) string {
	switch u.Role {
	case store.RoleDistrictAdmin:
		return "/district"
	case store.RoleSchoolAdmin:
		return "/school"
	case store.RoleReviewer:
		return "/content" // the review queue (content_pages.go)
	default:
		return "/classes"
	}
}

// home: GET / sends the user to their start page.
func (s *Server) home(c *gin.Context) error {
	c.Redirect(http.StatusSeeOther, homeFor(currentUser(c)))
	return nil
}
