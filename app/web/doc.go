// Package web is the staff site and the JSON API under /api/v1: the route
// table, sessions, CSRF, scope, rendering, and handlers by feature. Handlers
// return an error that errors.go turns into the answer. The parents' site
// (app/parent) is mounted on the same router.
package web

import "github.com/gin-gonic/gin"

func init() {
	// Release mode once for the process: gin's mode is a package global,
	// not something each server (or each parallel test) should set.
	gin.SetMode(gin.ReleaseMode)
}
