package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"
)

// The UI's languages: Simplified Chinese is the product's language and the
// fallback for every key; English is selectable with ?lang=en or the cookie.
const (
	langZH      = "zh-CN"
	langEN      = "en"
	defaultLang = langZH
	langCookie  = "lang"
)

// catalogue holds every UI string, per language. It is read from
// locales/<lang>/*.json: each file a flat JSON object of key → text, all
// files of a language merged, so each part of the product (common, parent,
// …) keeps its strings in its own file. A key given twice is an error.
type catalogue struct {
	texts map[string]map[string]string // lang → key → text
}

// loadCatalogue reads the catalogue from fsys (rooted where locales/ is).
func loadCatalogue(fsys fs.FS) (*catalogue, error) {
	cat := &catalogue{texts: map[string]map[string]string{}}
	langs, err := fs.ReadDir(fsys, "locales")
	if err != nil {
		return nil, fmt.Errorf("locale: %w", err)
	}
	for _, l := range langs {
		if !l.IsDir() {
			continue
		}
		lang := l.Name()
		files, err := fs.Glob(fsys, path.Join("locales", lang, "*.json"))
		if err != nil {
			return nil, fmt.Errorf("locale: %w", err)
		}
		sort.Strings(files)
		m := map[string]string{}
		for _, f := range files {
			b, err := fs.ReadFile(fsys, f)
			if err != nil {
				return nil, fmt.Errorf("locale: %w", err)
			}
			var part map[string]string
			if err := json.Unmarshal(b, &part); err != nil {
				return nil, fmt.Errorf("locale: %s: %w", f, err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					return nil, fmt.Errorf("locale: %s: key %q is defined twice for %s", f, k, lang)
				}
				m[k] = v
			}
		}
		cat.texts[lang] = m
	}
	if len(cat.texts[defaultLang]) == 0 {
		return nil, fmt.Errorf("locale: no %s strings under locales/%s", defaultLang, defaultLang)
	}
	return cat, nil
}

// langs lists the languages of the catalogue, the default first.
func (cat *catalogue) langs() []string {
	out := []string{defaultLang}
	for l := range cat.texts {
		if l != defaultLang {
			out = append(out, l)
		}
	}
	sort.Strings(out[1:])
	return out
}

// T returns the text of key in lang, falling back to Simplified Chinese and
// then to the key itself (so a missing string shows, and a test finds it).
func (cat *catalogue) T(lang, key string) string {
	if v, ok := cat.texts[lang][key]; ok {
		return v
	}
	if v, ok := cat.texts[defaultLang][key]; ok {
		return v
	}
	return key
}

// Tf is T formatted with fmt.Sprintf verbs.
func (cat *catalogue) Tf(lang, key string, args ...any) string {
	return fmt.Sprintf(cat.T(lang, key), args...)
}

// has reports whether lang is a language of the catalogue.
func (cat *catalogue) has(lang string) bool {
	_, ok := cat.texts[lang]
	return ok
}

// locale picks the request's language: ?lang= (remembered in a cookie for a
// year), else the cookie, else Simplified Chinese.
func (s *server) locale() gin.HandlerFunc {
	return func(c *gin.Context) {
		lang := defaultLang
		if q := c.Query("lang"); q != "" && s.cat.has(q) {
			lang = q
			http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c)})
		} else if ck, err := c.Cookie(langCookie); err == nil && s.cat.has(ck) {
			lang = ck
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
	return defaultLang
}

// T is the request's text for key; handlers use it for messages.
func (s *server) T(c *gin.Context, key string) string { return s.cat.T(langOf(c), key) }

// Tf is T with fmt.Sprintf arguments.
func (s *server) Tf(c *gin.Context, key string, args ...any) string {
	return s.cat.Tf(langOf(c), key, args...)
}

// langSwitch is the link to the page in the other language, for the footer.
func langSwitch(c *gin.Context, to string) string {
	q := c.Request.URL.Query()
	q.Set("lang", to)
	return c.Request.URL.Path + "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
}
