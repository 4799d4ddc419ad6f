package web

import (
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// apiHeaders guards every /api/v1 request before anything else runs:
//
//   - answers carry Cache-Control: no-store, since they hold personal data
//     and one-time passwords that no proxy or browser cache may keep;
//   - a body is read only as application/json (415 in the API's error
//     shape otherwise), except the roster upload and a content ZIP, which
//     are multipart. A
//     form-encoded or text/plain body is what a page on another site can
//     send without a preflight; refusing it closes that door even for
//     clients that send no Origin.
func (s *Server) apiHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		if hasBody(c.Request) && !acceptedAPIBody(c.Request) {
			s.fail(c, http.StatusUnsupportedMediaType, "unsupported_media_type", s.T(c, "api.error.json_required"))
			return
		}
		c.Next()
	}
}

// hasBody says whether a request carries a body to parse.
func hasBody(r *http.Request) bool {
	return r.Body != nil && r.Body != http.NoBody && (r.ContentLength > 0 || r.ContentLength == -1)
}

// acceptedAPIBody: JSON anywhere; multipart only for the uploads of files.
func acceptedAPIBody(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return false
	}
	switch {
	case mt == "application/json":
		return true
	case mt == "multipart/form-data":
		// A roster upload, or a content version's ZIP as a new draft.
		return r.Method == http.MethodPost && (strings.HasSuffix(r.URL.Path, "/imports") || r.URL.Path == "/api/v1/content/versions")
	}
	return false
}
