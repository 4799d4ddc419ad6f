package web

import (
	"mime"
	"net/http"

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
		if hasBody(c.Request) && !acceptedAPIBody(c) {
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

// apiUploads are the API routes that take a file (multipart/form-data): a
// roster, and a content version's ZIP as a new draft.
var apiUploads = map[string]bool{
	"POST /api/v1/schools/:school/imports": true,
	"POST /api/v1/content/versions":        true,
}

// acceptedAPIBody: JSON anywhere; multipart only on the routes that take a
// file (the route matched, not the raw path).
func acceptedAPIBody(c *gin.Context) bool {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil {
		return false
	}
	switch mt {
	case "application/json":
		return true
	case "multipart/form-data":
		return apiUploads[c.Request.Method+" "+c.FullPath()]
	}
	return false
}
