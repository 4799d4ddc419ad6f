package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/app/locale"
)

// locale picks the request's language (locale.Catalogue.Pick): ?lang= is
// remembered in a cookie for a year.
func (s *Server) locale() gin.HandlerFunc {
	return func(c *gin.Context) {
		ck, _ := c.Cookie(locale.Cookie)
		lang, remember := s.cat.Pick(c.Query("lang"), ck)
		if remember {
			http.SetCookie(c.Writer, &http.Cookie{Name: locale.Cookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c)})
		}
		c.Set(ctxLang, lang)
		c.Next()
	}
}

// ctxLang is the gin context key of the request's language.
const ctxLang = "lang"

// langOf returns the request's language.
func langOf(c *gin.Context) string {
	if l := c.GetString(ctxLang); l != "" {
		return l
	}
	return locale.Default
}

// T is the request's text for key; handlers use it for messages.
func (s *Server) T(c *gin.Context, key string) string { return s.cat.T(langOf(c), key) }

// Tf is T with fmt.Sprintf arguments.
func (s *Server) Tf(c *gin.Context, key string, args ...any) string {
	return s.cat.Tf(langOf(c), key, args...)
}

// tr is T bound to the request's language.
func (s *Server) tr(c *gin.Context) func(string) string {
	return func(key string) string { return s.T(c, key) }
}
