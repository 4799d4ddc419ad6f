package web

import (
	"net/netip"

	"github.com/gin-gonic/gin"
)

// /metrics (app/metrics) is for the district's monitoring, not the
// public: it answers only clients in --metrics-allow (loopback by
// default) and is a plain 404 to everyone else, like a page that is not
// there. The client is the address after trusted proxies (ClientIP); a
// request that names another client through a proxy not trusted is
// refused, since its peer address (the proxy's, often loopback) says
// nothing about who asks.
func (s *Server) metricsPage(c *gin.Context) error {
	if !s.metricsAllowed(c) {
		return errNotFound
	}
	s.metrics.Handler().ServeHTTP(c.Writer, c.Request)
	return nil
}

func (s *Server) metricsAllowed(c *gin.Context) bool {
	ip, err := netip.ParseAddr(c.ClientIP())
	if err != nil {
		return false
	}
	forwarded := c.GetHeader("X-Forwarded-For") != "" || c.GetHeader("X-Real-Ip") != "" || c.GetHeader("Forwarded") != ""
	if forwarded && c.ClientIP() == c.RemoteIP() {
		return false
	}
	for _, p := range s.metricsAllow {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// metricsPrefixes parses --metrics-allow (already validated by config).
func metricsPrefixes(list []string) []netip.Prefix {
	var out []netip.Prefix
	for _, a := range list {
		if p, err := netip.ParsePrefix(a); err == nil {
			out = append(out, p.Masked())
		} else if ip, err := netip.ParseAddr(a); err == nil {
			out = append(out, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
		}
	}
	return out
}
