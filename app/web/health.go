package web

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// healthz answers 200 when the database answers.
func (s *Server) healthz(c *gin.Context) error {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.DB().PingContext(ctx); err != nil {
		s.log.Error("healthz", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "db": s.store.Dialect()})
		return nil
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "db": s.store.Dialect()})
	return nil
}
