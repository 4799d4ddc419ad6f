package web

import (
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/config"
	"jiashu/app/content"
	"jiashu/app/locale"
	"jiashu/app/metrics"
	"jiashu/app/parent"
	"jiashu/app/reach"
	"jiashu/app/reminders"
	"jiashu/letters"
	"jiashu/problem"
	"jiashu/sms"
	"jiashu/store"
)

// Server is the staff site and the JSON API, with the parents' site
// mounted on the same router; handlers are its methods.
type Server struct {
	cfg     config.Config
	store   *store.Store
	log     *slog.Logger
	letters *letters.Engine
	content *content.Engines // an engine per approved content version
	now     func() time.Time

	parent *parent.Site // the parents' pages

	cat       *locale.Catalogue // UI strings per language
	tmpl      *renderer         // parsed pages (render.go)
	dummy     dummyHash         // bcrypt hash compared for unknown usernames (auth_login.go)
	gate      *heavyGate        // bounds concurrent heavy requests (heavy.go)
	passwords *passwordGate     // bounds concurrent bcrypt checks (password_gate.go)

	metrics      *metrics.Metrics // what /metrics reports (metrics_route.go)
	metricsAllow []netip.Prefix   // who may read it

	smsProvider   sms.Provider  // the configured provider, nil for none (sms_*.go)
	callbackGuard callbackGuard // wrong tokens at the delivery-report callback

	// Jobs is woken when a handler queues a job; nil when no runner runs
	// in this process (the job is then claimed by another instance).
	Jobs interface{ Notify() }
}

// New builds the server: the letters engine, the catalogue, the pages and
// the parents' site, once at start.
func New(cfg config.Config, st *store.Store, log *slog.Logger) (*Server, error) {
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, store: st, log: log, letters: eng, content: content.NewEngines(st, eng), now: time.Now,
		gate: defaultHeavyGate(), passwords: newPasswordGate(),
		metrics: metrics.New(st, log), metricsAllow: metricsPrefixes(cfg.MetricsAllow)}
	if err := s.initWeb(); err != nil {
		return nil, err
	}
	if s.smsProvider, err = reminders.NewProvider(cfg, nil); err != nil {
		return nil, err
	}
	// The parents' site reads s.now at each call, so a clock set after
	// start (as tests do) is the one it uses.
	now := func() time.Time { return s.now() }
	s.parent, err = parent.New(st, s.content, s.cat, cfg.AgeGroups, now, log)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Letters is the server's letters engine, for the jobs of this process.
func (s *Server) Letters() *letters.Engine { return s.letters }

// Content is the server's engines per content version, for the jobs of
// this process.
func (s *Server) Content() *content.Engines { return s.content }

// Catalogue is the server's text catalogue, for the jobs of this process.
func (s *Server) Catalogue() *locale.Catalogue { return s.cat }

// FlushParentViews writes the letter views still batched in memory; serve
// calls it after the last request has finished.
func (s *Server) FlushParentViews() { s.parent.FlushViews() }

// build is the use case that turns students into letters.
func (s *Server) build() campaign.Letters {
	return campaign.Letters{Store: s.store, AgeGroups: s.cfg.AgeGroups, BaseURL: s.cfg.BaseURL, Content: s.content}
}

// reminders is the use case of reminder lists.
func (s *Server) reminders() reminders.Lists {
	return reminders.Lists{Store: s.store, BaseURL: s.cfg.BaseURL, Text: s.cat.Zh}
}

// breakdowns is the use case of the overview's breakdowns and the report.
func (s *Server) breakdowns() reach.Breakdowns {
	return reach.Breakdowns{Store: s.store, Library: s.letters.Library(), AgeGroups: s.cfg.AgeGroups}
}

// readTimeout bounds reading a whole request, body included.
const readTimeout = 5 * time.Minute

// HTTPServer is the http.Server of the handler with the service's timeouts.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		// A client that trickles a body is cut off, so it cannot hold a
		// connection for ever; 5 minutes carry the largest roster even over
		// a slow school line.
		ReadTimeout: readTimeout,
		// No WriteTimeout: a district's letters ZIP streams for minutes.
		IdleTimeout: 120 * time.Second,
	}
}

// Handler builds the Gin engine: explicit middleware, then the route table.
func (s *Server) Handler() http.Handler {
	r := gin.New()
	r.SetTrustedProxies(s.cfg.TrustedProxies) // nil trusts none: ClientIP is the peer
	r.Use(apiNoStore(), s.recoverer(), s.accessLog(), securityHeaders(), s.limitBody(), s.locale(), s.csrf(), s.authenticate(), s.refuseBadText())
	r.NoRoute(func(c *gin.Context) { s.problem(c, http.StatusNotFound, "not_found", "error.not_found") })
	// A path used with a method it lacks is 405 with Allow (api_headers.go).
	r.HandleMethodNotAllowed = true
	r.NoMethod(s.methodNotAllowed)
	s.routes(r)
	s.parent.Register(r)
	return r
}

// recoverer turns a panic into a logged 500 with a plain message.
func (s *Server) recoverer() gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(nil, func(c *gin.Context, err any) {
		s.log.Error("panic", "route", c.FullPath(), "err", err) // the route, never a token in the path
		s.fail(c, http.StatusInternalServerError, "internal", "服务器内部错误，请稍后再试")
	})
}

// accessLog writes one structured line per request and counts it for
// /metrics, both by route pattern (c.FullPath()), never the raw path: a
// parent's path holds their letter's token.
func (s *Server) accessLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		took := time.Since(start)
		s.metrics.ObserveRequest(c.FullPath(), c.Request.Method, c.Writer.Status(), took)
		s.log.Info("http",
			"method", c.Request.Method, "path", c.FullPath(), "status", c.Writer.Status(),
			"ms", took.Milliseconds(), "bytes", c.Writer.Size(), "ip", c.ClientIP())
	}
}

// formBodyLimit bounds every request body but roster uploads.
const formBodyLimit = 1 << 20

// limitBody caps request bodies before anything reads them: forms and JSON
// at formBodyLimit, multipart uploads at the configured roster size plus
// room for the form around the file.
func (s *Server) limitBody() gin.HandlerFunc {
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
		// Choices: what the request may name instead (a campaign among
		// several: problem.Error.Choices).
		Choices []problem.Choice `json:"choices,omitempty"`
	} `json:"error"`
}

// fail answers with the JSON error shape and stops the handler chain;
// choices, when given, list what the request may name instead.
func (s *Server) fail(c *gin.Context, status int, code, message string, choices ...problem.Choice) {
	var e apiError
	e.Error.Code, e.Error.Message, e.Error.Choices = code, message, choices
	c.AbortWithStatusJSON(status, e)
}

// internal logs err and answers 500 without details.
func (s *Server) internal(c *gin.Context, err error) {
	s.log.Error("internal error", "route", c.FullPath(), "err", err)
	s.fail(c, http.StatusInternalServerError, "internal", "服务器内部错误，请稍后再试")
}
