package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// Handlers return an error; this file is the one place that turns it into
// the answer: a *refusal becomes its status with the JSON error shape under
// /api/ and the Chinese page elsewhere, a store.ErrNotFound a 404 (scope
// answers "not found" for what is out of reach, too), a *store.TextError (a
// NUL or another control character in a text field, refused by the store on
// both databases) 400 on the API and 422 on a form, with its message, and
// anything else is logged and answered 500 without details.

// refusal is a request refused for a reason people can act on.
type refusal struct {
	status int
	code   string // the API's error code
	key    string // catalogue key of the message, or
	msg    string // the message itself (a roster's own words)
}

func (r *refusal) Error() string {
	return fmt.Sprintf("web: refused %d %s %s%s", r.status, r.code, r.key, r.msg)
}

// refuse is a refusal whose message is the catalogue text key.
func refuse(status int, code, key string) error {
	return &refusal{status: status, code: code, key: key}
}

// refuseMsg is a refusal with its message already written.
func refuseMsg(status int, code, msg string) error {
	return &refusal{status: status, code: code, msg: msg}
}

// Common refusals.
var (
	errNotFound  = refuse(http.StatusNotFound, "not_found", "error.not_found")
	errForbidden = refuse(http.StatusForbidden, "forbidden", "error.forbidden")
)

// h adapts a handler that returns an error to Gin.
func (s *Server) h(fn func(c *gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := fn(c); err != nil {
			s.respond(c, err)
		}
	}
}

// respond answers a handler's error.
func (s *Server) respond(c *gin.Context, err error) {
	var r *refusal
	var tooLarge *store.ClassTooLargeError
	var text *store.TextError
	switch {
	case store.IsBusy(err):
		// The database stayed locked past its busy timeout (or PostgreSQL
		// gave up on a lock): try again, never a 500.
		s.log.Warn("busy: database", "route", c.FullPath(), "err", err)
		c.Header("Retry-After", retryAfter)
		s.problem(c, http.StatusServiceUnavailable, "busy", "error.busy")
	case errors.As(err, &r):
		if r.status == http.StatusServiceUnavailable {
			c.Header("Retry-After", retryAfter)
		}
		if r.key != "" {
			s.problem(c, r.status, r.code, r.key)
		} else {
			s.problemText(c, r.status, r.code, r.msg)
		}
	case errors.As(err, &text):
		status := http.StatusUnprocessableEntity
		if isAPI(c) {
			status = http.StatusBadRequest
		}
		s.problemText(c, status, "control_character", text.Message)
	case errors.As(err, &tooLarge):
		s.problemText(c, http.StatusUnprocessableEntity, "class_too_large", tooLarge.Error())
	case errors.Is(err, store.ErrNotFound):
		s.problem(c, http.StatusNotFound, "not_found", "error.not_found")
	case errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil:
		// The client went away; nobody reads an answer.
		c.Abort()
	default:
		s.internal(c, err)
	}
}
