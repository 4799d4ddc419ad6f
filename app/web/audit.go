package web

import "github.com/gin-gonic/gin"

// audit records an action of the current user; a failure is logged, not
// shown, since the action itself has happened.
func (s *Server) audit(c *gin.Context, action, detail string) {
	var uid int64
	if u := currentUser(c); u != nil {
		uid = u.ID
	}
	if err := s.store.Audit(c.Request.Context(), uid, action, detail); err != nil {
		s.log.Error("audit", "action", action, "err", err)
	}
}
