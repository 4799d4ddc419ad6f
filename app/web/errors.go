package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/problem"
	"jiashu/store"
)

// Handlers return an error; this file is the one place that turns it into
// the answer. Two shapes are answered with their message: a *refusal (the
// web's own: a form field missing, a bad JSON body, a rate limit) with its
// status, and a *problem.Error (what the use cases and the store refuse:
// not found, invalid input, a conflict with the state of things) with the
// status of its code (problemStatus). Either is the JSON error shape under
// /api/ and the Chinese page elsewhere. A busy database is 503, a client
// that went away gets nothing, and anything else is logged and answered
// 500 without details.

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
	switch p := problem.As(err); {
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
	case p != nil && len(p.Choices) > 0 && isAPI(c):
		s.fail(c, problemStatus(c, p), p.ReasonCode(), s.problemMessage(c, p), p.Choices...)
	case p != nil:
		s.problemText(c, problemStatus(c, p), p.ReasonCode(), s.problemMessage(c, p))
	case errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil:
		// The client went away; nobody reads an answer.
		c.Abort()
	default:
		s.internal(c, err)
	}
}

// problemStatus is the HTTP status of a use case's failure. A control
// character is a bad request on the API (the client sent it) and 422 on
// a form (the page says where), as it always was.
func problemStatus(c *gin.Context, p *problem.Error) int {
	switch p.Code {
	case problem.NotFound:
		return http.StatusNotFound
	case problem.Forbidden:
		return http.StatusForbidden
	case problem.Conflict:
		return http.StatusConflict
	}
	if p.Reason == "control_character" && isAPI(c) {
		return http.StatusBadRequest
	}
	return http.StatusUnprocessableEntity
}

// problemMessage is a failure's message in the page's language: its
// catalogue entry when it has one, else its own words, else the catalogue's
// word for its code.
func (s *Server) problemMessage(c *gin.Context, p *problem.Error) string {
	switch {
	case p.Key != "" && len(p.Args) > 0:
		return s.Tf(c, p.Key, p.Args...)
	case p.Key != "":
		return s.T(c, p.Key)
	case p.Message != "":
		return p.Message
	}
	return s.T(c, "error."+p.Code)
}
