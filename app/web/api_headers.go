package web

import (
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// apiNoStore is the first middleware of every request: an answer under
// /api/ carries Cache-Control: no-store, whatever answers it (a refused
// token, a cross-site request, a path or method the API does not have, a
// panic), since answers hold personal data and one-time passwords that no
// proxy or browser cache may keep. A download sets it again, the same.
func apiNoStore() gin.HandlerFunc {
	return func(c *gin.Context) {
		if isAPI(c) {
			c.Header("Cache-Control", "no-store")
		}
		c.Next()
	}
}

// apiHeaders guards every /api/v1 request that reached a route: a body is
// read only as application/json (415 in the API's error shape otherwise),
// and only as multipart/form-data on the routes that take a file (the
// roster upload, a content ZIP). A form-encoded or text/plain body is what
// a page on another site can send without a preflight; refusing it closes
// that door even for clients that send no Origin.
func (s *Server) apiHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		if hasBody(c.Request) && !acceptedAPIBody(c) {
			s.fail(c, http.StatusUnsupportedMediaType, "unsupported_media_type", s.T(c, "api.error.json_required"))
			return
		}
		if bad := jsonNotUTF8(c.Request); bad != nil { // text_utf8.go
			s.fail(c, http.StatusBadRequest, "control_character", bad.Message)
			return
		}
		c.Next()
	}
}

// hasBody says whether a request carries a body to parse.
func hasBody(r *http.Request) bool {
	return r.Body != nil && r.Body != http.NoBody && (r.ContentLength > 0 || r.ContentLength == -1)
}

// apiUploads are the API routes that take a file (multipart/form-data): a
// roster, and a content version's ZIP as a new draft.
var apiUploads = map[string]bool{
	"POST /api/v1/schools/:school/imports": true,
	"POST /api/v1/content/versions":        true,
}

// apiFileOnly are the upload routes that take nothing but a file: a JSON
// body there is 415 like any other type, not a form without its file.
var apiFileOnly = map[string]bool{
	"POST /api/v1/schools/:school/imports": true,
}

// acceptedAPIBody: JSON anywhere but on the routes that take only a file;
// multipart only on the routes that take a file (the route matched, not
// the raw path).
func acceptedAPIBody(c *gin.Context) bool {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil {
		return false
	}
	route := c.Request.Method + " " + c.FullPath()
	switch mt {
	case "application/json":
		return !apiFileOnly[route]
	case "multipart/form-data":
		return apiUploads[route]
	}
	return false
}

// methodOrder is the order Allow lists methods in.
var methodOrder = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// methodNotAllowed answers a path the router has with a method it does not
// have for it: 405 with Allow (which Gin has set) in a fixed order, in the
// error shape on the API and as a page elsewhere.
func (s *Server) methodNotAllowed(c *gin.Context) {
	have := strings.Split(c.Writer.Header().Get("Allow"), ", ")
	allow := make([]string, 0, len(have))
	for _, m := range methodOrder {
		if slices.Contains(have, m) {
			allow = append(allow, m)
		}
	}
	c.Header("Allow", strings.Join(allow, ", "))
	s.problem(c, http.StatusMethodNotAllowed, "method_not_allowed", "error.method_not_allowed")
}

// created answers 201 with body, and Location: the address of what was
// made (under /api/v1).
func created(c *gin.Context, location string, body any) {
	c.Header("Location", location)
	c.JSON(http.StatusCreated, body)
}

// accepted answers 202 with a job queued (or the same job already queued
// or running), and Location: the job's address, to poll.
func accepted(c *gin.Context, j store.Job) {
	c.Header("Location", fmt.Sprintf("/api/v1/jobs/%d", j.ID))
	c.JSON(http.StatusAccepted, toAPIJob(j))
}
