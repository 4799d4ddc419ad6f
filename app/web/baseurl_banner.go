package web

import (
	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// baseURLWarning is the base URL when the education center must be told
// that it leads nowhere: it was not set, or it names this machine, so
// every letter's QR code and link would open nothing on a parent's phone.
// Only the center can fix the server's settings; teachers and schools are
// not alarmed by it, and the demo is a demo.
func (s *Server) baseURLWarning(c *gin.Context) string {
	u := currentUser(c)
	if u == nil || u.Role != store.RoleDistrictAdmin || s.cfg.Demo || s.cfg.BaseURLReachable() {
		return ""
	}
	return s.cfg.BaseURL
}
