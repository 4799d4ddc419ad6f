package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// Every text a request brings reaches the handlers through here: the path,
// every query parameter, every field of a form (multipart ones and the
// names of uploaded files included) and every string of a JSON body. Text
// holding NUL or another control character, a bidirectional override or
// isolate, or bytes that are not UTF-8 is refused before any handler runs,
// with store.CheckText's Chinese message: 400 `control_character` on the
// API and for an address, 422 for a page's form (the person fixes what they
// typed). One place for every route, so no handler can forget it and no
// NUL reaches PostgreSQL (whose text type refuses it: a 500) or a letter.
//
// Form fields and JSON strings may hold tabs and line breaks (a letter
// template, a comment); the path and query parameters may not. Passwords
// are left alone: they are only ever hashed, never stored or shown, and
// refusing a character an old password holds would lock its owner out.

// multipartMemory is how much of a multipart body's files is kept in
// memory; the rest goes to temporary files.
const multipartMemory = 1 << 20

// passwordFields are the form fields that carry passwords.
var passwordFields = map[string]bool{"password": true, "current": true, "confirm": true}

// refuseBadText is the middleware.
func (s *Server) refuseBadText() gin.HandlerFunc {
	return func(c *gin.Context) {
		// An API body of a type the route does not take is apiHeaders'
		// to refuse (415), unread; its path and query are checked here.
		body := !isAPI(c) || !hasBody(c.Request) || acceptedAPIBody(c)
		bad, inBody := badRequestText(c.Request, body)
		if bad == nil {
			c.Next()
			return
		}
		status, msg := http.StatusBadRequest, bad.Message
		if isAPI(c) {
			msg += "（" + bad.Field + "）"
		} else if inBody {
			status = http.StatusUnprocessableEntity
		}
		s.problemText(c, status, "control_character", msg)
		c.Abort()
	}
}

// badRequestText finds the first refused text of r, in its body too when
// body is set; inBody says it is in the body (not the address). It reads a
// form or JSON body and leaves it for the handler as it was.
func badRequestText(r *http.Request, body bool) (bad *store.TextError, inBody bool) {
	if bad = textError(store.CheckText("path", r.URL.Path, false)); bad != nil {
		return bad, false
	}
	if q, err := url.ParseQuery(r.URL.RawQuery); err == nil {
		if bad = badValues(q, false); bad != nil {
			return bad, false
		}
	}
	if !body || r.Body == nil || r.Body == http.NoBody {
		return nil, false
	}
	media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case media == "application/x-www-form-urlencoded":
		if r.ParseForm() == nil {
			bad = badValues(r.PostForm, true)
		}
	case media == "multipart/form-data":
		// Files past multipartMemory wait on disk (the server deletes them
		// when the request ends), so uploads parsed here, before the heavy
		// gate (heavy.go), hold no memory while they wait for it. On an
		// error the handler parses again and meets the same error (an
		// oversized body keeps failing with http.MaxBytesError), which it
		// answers as before.
		if r.ParseMultipartForm(multipartMemory) == nil {
			bad = badMultipart(r)
		}
	case media == "application/json" || strings.HasSuffix(media, "+json"):
		bad = badJSONBody(r)
	}
	return bad, bad != nil
}

// badValues checks the names and values of a query or form, in name order.
func badValues(v url.Values, multiline bool) *store.TextError {
	for _, k := range slices.Sorted(maps.Keys(v)) {
		if bad := textError(store.CheckText("name", k, false)); bad != nil {
			return bad
		}
		if multiline && passwordFields[k] {
			continue
		}
		for _, s := range v[k] {
			if bad := textError(store.CheckText(k, s, multiline)); bad != nil {
				return bad
			}
		}
	}
	return nil
}

// badMultipart checks a parsed multipart form's fields and file names.
func badMultipart(r *http.Request) *store.TextError {
	if bad := badValues(r.MultipartForm.Value, true); bad != nil {
		return bad
	}
	for field, files := range r.MultipartForm.File {
		for _, fh := range files {
			if bad := textError(store.CheckText(field+" filename", fh.Filename, false)); bad != nil {
				return bad
			}
		}
	}
	return nil
}

// badJSONBody reads a JSON body (already bounded by limitBody), checks it
// is UTF-8 — encoding/json would quietly turn other bytes into U+FFFD —
// and checks every string in it; the handler then reads the same bytes
// (and a read error, if there was one). A body that is no JSON is the
// handler's to refuse.
func badJSONBody(r *http.Request) *store.TextError {
	raw, readErr := io.ReadAll(r.Body)
	r.Body.Close()
	var rest io.Reader = bytes.NewReader(raw)
	if readErr != nil {
		rest = io.MultiReader(rest, readFailure{readErr})
	}
	r.Body = io.NopCloser(rest)
	if i := firstInvalid(raw); i < len(raw) {
		// The body up to its first bad byte: CheckText counts the
		// characters before it for the message.
		return textError(store.CheckText("body", string(raw[:i+1]), true))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	return badJSON("body", v)
}

// firstInvalid is the offset of the first byte of b that is not UTF-8.
func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// badJSON checks every string and object key of a decoded JSON value.
func badJSON(field string, v any) *store.TextError {
	switch v := v.(type) {
	case string:
		return textError(store.CheckText(field, v, true))
	case []any:
		for _, e := range v {
			if bad := badJSON(field, e); bad != nil {
				return bad
			}
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			if bad := textError(store.CheckText("name", k, false)); bad != nil {
				return bad
			}
			if bad := badJSON(k, v[k]); bad != nil {
				return bad
			}
		}
	}
	return nil
}

// textError is CheckText's refusal, or nil.
func textError(err error) *store.TextError {
	var te *store.TextError
	if errors.As(err, &te) {
		return te
	}
	return nil
}
