package web

import (
	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// contentPageRoutes adds the editor's and the reviewer's pages.
func (s *Server) contentPageRoutes(signed *gin.RouterGroup, staff []store.Role) {}
