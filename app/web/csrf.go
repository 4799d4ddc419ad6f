package web

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"
)

// csrf refuses state-changing requests (anything but GET, HEAD, OPTIONS)
// that a browser sends from another origin, with Go's
// net/http.CrossOriginProtection (Sec-Fetch-Site, else Origin against Host).
// Together with SameSite=Lax session cookies this needs no form tokens.
// Requests without those headers (curl, scripts with an API token) are not
// browser requests and pass.
func (s *Server) csrf() gin.HandlerFunc {
	p := http.NewCrossOriginProtection()
	// Behind a proxy the Host may differ from the public name. An origin is
	// scheme and host only (config refuses a base URL with a path).
	origin := s.cfg.BaseURL
	if u, err := url.Parse(origin); err == nil {
		origin = u.Scheme + "://" + u.Host
	}
	if err := p.AddTrustedOrigin(origin); err != nil {
		s.log.Warn("csrf: base URL is not an origin", "base_url", s.cfg.BaseURL, "err", err)
	}
	return func(c *gin.Context) {
		if err := p.Check(c.Request); err != nil {
			s.problem(c, http.StatusForbidden, "cross_origin", "error.cross_origin")
			return
		}
		c.Next()
	}
}
