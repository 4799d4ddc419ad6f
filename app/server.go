package main

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/letters"
	"jiashu/store"
)

// server holds what the HTTP handlers need; handlers are its methods.
type server struct {
	cfg     Config
	store   *store.Store
	log     *slog.Logger
	letters *letters.Engine
	now     func() time.Time

	parent *parentSite // the parents' pages (parent_site.go)

	cat       *catalogue // UI strings per language (locale.go)
	tmpl      *renderer  // parsed pages (render.go)
	dummyHash string     // bcrypt hash compared for unknown usernames (auth_login.go)

	jobs *jobRunner // background jobs (jobs_runner.go); nil when no runner is started
}

func newServer(cfg Config, st *store.Store, log *slog.Logger) (*server, error) {
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		return nil, err
	}
	s := &server{cfg: cfg, store: st, log: log, letters: eng, now: time.Now}
	if err := s.initWeb(); err != nil {
		return nil, err
	}
	// The limiter reads s.now at each call, so a clock set after start
	// (as tests do) is the one it uses.
	now := func() time.Time { return s.now() }
	s.parent, err = newParentSite(eng.Library(), st, now, func(err error) { s.log.Error("parent pages", "err", err) })
	if err != nil {
		return nil, err
	}
	return s, nil
}

// readTimeout bounds reading a whole request, body included.
const readTimeout = 5 * time.Minute

func (s *server) httpServer() *http.Server {
	return &http.Server{
		Handler:           s.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		// A client that trickles a body is cut off, so it cannot hold a
		// connection for ever; 5 minutes carry the largest roster even over
		// a slow school line.
		ReadTimeout: readTimeout,
		// No WriteTimeout: a district's letters ZIP streams for minutes.
		IdleTimeout: 120 * time.Second,
	}
}

// handler builds the Gin engine: explicit middleware, then the route table.
func (s *server) handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.SetTrustedProxies(s.cfg.TrustedProxies) // nil trusts none: ClientIP is the peer
	r.Use(s.recoverer(), s.accessLog(), securityHeaders(), s.limitBody(), s.locale(), s.csrf(), s.authenticate())
	r.NoRoute(func(c *gin.Context) { s.problem(c, http.StatusNotFound, "not_found", "error.not_found") })
	s.routes(r)
	return r
}

// recoverer turns a panic into a logged 500 with a plain message.
func (s *server) recoverer() gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(nil, func(c *gin.Context, err any) {
		s.log.Error("panic", "path", c.Request.URL.Path, "err", err)
		s.fail(c, http.StatusInternalServerError, "internal", "服务器内部错误，请稍后再试")
	})
}

// accessLog writes one structured line per request.
func (s *server) accessLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		s.log.Info("http",
			"method", c.Request.Method, "path", c.FullPath(), "status", c.Writer.Status(),
			"ms", time.Since(start).Milliseconds(), "bytes", c.Writer.Size(), "ip", c.ClientIP())
	}
}

// formBodyLimit bounds every request body but roster uploads.
const formBodyLimit = 1 << 20

// limitBody caps request bodies before anything reads them: forms and JSON
// at formBodyLimit, multipart uploads at the configured roster size plus
// room for the form around the file.
func (s *server) limitBody() gin.HandlerFunc {
	return func(c *gin.Context) {
		limit := int64(formBodyLimit)
		if strings.HasPrefix(c.ContentType(), "multipart/") {
			limit = s.cfg.MaxUploadBytes + formBodyLimit
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		c.Next()
	}
}

// securityHeaders: no inline script, no framing, no sniffing, little referrer.
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		c.Next()
	}
}

// apiError is the one JSON shape of every API error.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// fail answers with the JSON error shape and stops the handler chain.
func (s *server) fail(c *gin.Context, status int, code, message string) {
	var e apiError
	e.Error.Code, e.Error.Message = code, message
	c.AbortWithStatusJSON(status, e)
}

// internal logs err and answers 500 without details.
func (s *server) internal(c *gin.Context, err error) {
	s.log.Error("internal error", "path", c.Request.URL.Path, "err", err)
	s.fail(c, http.StatusInternalServerError, "internal", "服务器内部错误，请稍后再试")
}
