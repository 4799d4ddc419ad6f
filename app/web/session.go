package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// Sessions live in the database (store/accounts.go), so any instance can
// serve any request. The cookie holds a random 256-bit token; the database
// only its SHA-256.
const (
	sessionCookie = "jiashu_session"
	// sessionIdle ends a session after this long without a request.
	sessionIdle = 8 * time.Hour
	// sessionMaxAge ends any session a week after sign-in, however active.
	sessionMaxAge = 7 * 24 * time.Hour
	// sessionTouch is how stale last_seen may get before a request writes
	// it again: one write per few minutes of use, not one per request.
	sessionTouch = 5 * time.Minute
)

// Gin context keys set by authenticate.
const (
	ctxUser         = "user"
	ctxSessionToken = "session_token"
	ctxViaAPIToken  = "api_token"
	ctxToken        = "api_token_of" // the store.APIToken of the request
)

// authenticate finds who is calling: an API token (Authorization: Bearer …)
// or the session cookie. It never refuses a request by itself (pages decide
// with requireUser), except a bad API token, which is always a mistake.
func (s *Server) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		if h := c.GetHeader("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				s.fail(c, http.StatusUnauthorized, "unauthorized", s.T(c, "error.bad_authorization"))
				return
			}
			u, tok, err := s.store.APITokenUser(c.Request.Context(), strings.TrimSpace(token))
			if errors.Is(err, store.ErrNotFound) {
				s.fail(c, http.StatusUnauthorized, "unauthorized", s.T(c, "error.bad_token"))
				return
			}
			if err != nil {
				s.internal(c, err)
				return
			}
			c.Set(ctxUser, &u)
			c.Set(ctxViaAPIToken, true)
			c.Set(ctxToken, tok)
			c.Next()
			return
		}
		token, err := c.Cookie(sessionCookie)
		if err != nil || token == "" {
			c.Next()
			return
		}
		u, se, err := s.store.SessionUser(c.Request.Context(), token)
		if errors.Is(err, store.ErrNotFound) {
			s.clearSessionCookie(c)
			c.Next()
			return
		}
		if err != nil {
			s.internal(c, err)
			return
		}
		if s.store.Now().Sub(se.CreatedAt) > sessionMaxAge {
			if err := s.store.DeleteSession(c.Request.Context(), token); err != nil {
				s.log.Warn("delete old session", "err", err)
			}
			s.clearSessionCookie(c)
			c.Next()
			return
		}
		if s.store.Now().Sub(se.LastSeenAt) > sessionTouch {
			if err := s.store.ExtendSession(c.Request.Context(), token, sessionIdle); err != nil {
				s.log.Warn("extend session", "err", err)
			}
		}
		c.Set(ctxUser, &u)
		c.Set(ctxSessionToken, token)
		c.Next()
	}
}

// currentUser is the signed-in user of the request, or nil. Every handler
// behind requireUser may assume it is not nil.
func currentUser(c *gin.Context) *store.User {
	if v, ok := c.Get(ctxUser); ok {
		if u, ok := v.(*store.User); ok {
			return u
		}
	}
	return nil
}

// startSession signs u in on this browser.
func (s *Server) startSession(c *gin.Context, u store.User) error {
	token, err := s.store.CreateSession(c.Request.Context(), u.ID, sessionIdle)
	if err != nil {
		return err
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: token, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c)})
	c.Set(ctxUser, &u)
	c.Set(ctxSessionToken, token)
	return nil
}

// endSession signs this browser out.
func (s *Server) endSession(c *gin.Context) error {
	s.clearSessionCookie(c)
	if token := c.GetString(ctxSessionToken); token != "" {
		return s.store.DeleteSession(c.Request.Context(), token)
	}
	return nil
}

func (s *Server) clearSessionCookie(c *gin.Context) error {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c)})
	return nil
}

// secureCookies: cookies are Secure when the service is reached over HTTPS,
// directly or behind a proxy (the configured base URL says so).
func (s *Server) secureCookies(c *gin.Context) bool {
	return c.Request.TLS != nil || strings.HasPrefix(s.cfg.BaseURL, "https://")
}
