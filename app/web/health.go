package web

import (
	"context"
	"net/http"
	"time"

	"jiashu/app/buildinfo"

	"github.com/gin-gonic/gin"
)

// healthz answers 200 when the database takes writes now (store.Ready),
// and 503 "not ready" when it does not answer within 2 s or refuses
// writes (a full or read-only disk, a PostgreSQL standby): a load balancer
// then sends parents elsewhere rather than to acknowledgements that fail.
// Both answers name the build (version and commit), so an upgrade can be
// followed instance by instance.
func (s *Server) healthz(c *gin.Context) error {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	c.Header("Cache-Control", "no-store")
	b := buildinfo.Get()
	if err := s.store.Ready(ctx); err != nil {
		s.log.Error("healthz", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "not ready", "db": s.store.Dialect(), "version": b.Version, "commit": b.Commit})
		return nil
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "db": s.store.Dialect(), "version": b.Version, "commit": b.Commit})
	return nil
}
