package web

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// Idempotency-Key on the API's creates and sends (docs/openapi.yaml,
// "Retries"): a script whose answer was lost sends the request again with
// the same key and gets the first answer back (status, Location, body, with
// Idempotent-Replayed: true) instead of a second school, account, job or
// send. The first request claims the key in the store (store/idempotency.go),
// runs, and keeps its answer for 24 hours unless the service failed (5xx:
// the key is released and a retry runs again).
//
// Keys belong to an account: the same key from another account is another
// key, so a one-time password in a kept answer is answered again to the
// account that created it only. The key itself is never stored (its SHA-256
// is), and the kept body is sealed with AES-GCM under a key derived from
// the client's Idempotency-Key: the database alone does not give away the
// one-time passwords of the last day.

// idempotentRoutes are the routes that honour Idempotency-Key: every create
// and send of the API (the operations docs/openapi.yaml gives the header).
var idempotentRoutes = map[string]bool{
	"POST /api/v1/schools":                                true,
	"POST /api/v1/campaigns":                              true,
	"POST /api/v1/schools/:school/users":                  true,
	"POST /api/v1/users/:user/reset-password":             true,
	"POST /api/v1/schools/:school/letters":                true,
	"POST /api/v1/campaigns/:campaign/letters":            true,
	"POST /api/v1/jobs/:job/retry-failed":                 true,
	"POST /api/v1/classes/:id/reminders/send":             true,
	"POST /api/v1/schools/:school/reminders/send":         true,
	"POST /api/v1/campaigns/:campaign/reminders/send":     true,
	"POST /api/v1/content/versions":                       true,
	"POST /api/v1/alerts":                                 true,
	"POST /api/v1/alerts/:alert/campaigns/:campaign/send": true,
}

// keptAnswerLimit bounds an answer kept for a key; the answers of these
// routes are a few hundred bytes.
const keptAnswerLimit = 1 << 20

// idempotency is the API group's middleware after requireUser.
func (s *Server) idempotency() gin.HandlerFunc {
	return func(c *gin.Context) {
		key := c.GetHeader("Idempotency-Key")
		if key == "" || !idempotentRoutes[c.Request.Method+" "+c.FullPath()] {
			c.Next()
			return
		}
		if !validIdempotencyKey(key) {
			s.fail(c, http.StatusBadRequest, "bad_request", s.T(c, "error.idempotency_key_bad"))
			return
		}
		body, err := io.ReadAll(c.Request.Body)
		if err != nil {
			// Over the body limit, or the client went away: the handler
			// meets the same failure and answers it as it always does.
			c.Request.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), readFailure{err}))
			c.Next()
			return
		}
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
		u := currentUser(c)
		keyHash := hashIdempotencyKey(key)
		claim, kept, err := s.store.ClaimIdempotencyKey(c.Request.Context(), u.ID, keyHash, requestHash(c.Request, body))
		if err != nil {
			s.respond(c, err)
			c.Abort()
			return
		}
		switch claim {
		case store.ClaimReplay:
			s.replay(c, key, kept)
		case store.ClaimInUse:
			c.Header("Retry-After", "1")
			s.fail(c, http.StatusConflict, "idempotency_key_in_use", s.T(c, "error.idempotency_key_in_use"))
		case store.ClaimReused:
			s.fail(c, http.StatusUnprocessableEntity, "idempotency_key_reused", s.T(c, "error.idempotency_key_reused"))
		default:
			s.answerOnce(c, u.ID, key, keyHash)
		}
	}
}

// answerOnce runs the request that claimed the key and keeps its answer
// (a 5xx, or one too large to keep, releases the key instead). The answer
// is kept even when the client has gone: that is when a retry comes.
func (s *Server) answerOnce(c *gin.Context, userID int64, key, keyHash string) {
	rec := &answerRecorder{ResponseWriter: c.Writer}
	c.Writer = rec
	ctx := context.WithoutCancel(c.Request.Context())
	defer func() {
		if p := recover(); p != nil { // the recoverer answers 500; a retry runs again
			s.store.ReleaseIdempotencyKey(ctx, userID, keyHash)
			panic(p)
		}
	}()
	c.Next()
	c.Writer = rec.ResponseWriter
	status := rec.Status()
	if status >= http.StatusInternalServerError || rec.over {
		if err := s.store.ReleaseIdempotencyKey(ctx, userID, keyHash); err != nil {
			s.log.Error("idempotency: release", "route", c.FullPath(), "err", err)
		}
		return
	}
	sealed, err := sealAnswer(key, rec.body.Bytes())
	if err == nil {
		err = s.store.KeepIdempotentAnswer(ctx, userID, keyHash, store.IdempotentAnswer{Status: status,
			Location: rec.Header().Get("Location"), ContentType: rec.Header().Get("Content-Type"), Body: sealed})
	}
	if err != nil {
		// The request is done; only a retry would run it again.
		s.log.Error("idempotency: keep answer", "route", c.FullPath(), "err", err)
		s.store.ReleaseIdempotencyKey(ctx, userID, keyHash)
	}
}

// replay answers the kept answer again.
func (s *Server) replay(c *gin.Context, key string, kept store.IdempotentAnswer) {
	body, err := openAnswer(key, kept.Body)
	if err != nil {
		s.internal(c, err)
		return
	}
	if kept.Location != "" {
		c.Header("Location", kept.Location)
	}
	c.Header("Idempotent-Replayed", "true")
	c.Data(kept.Status, kept.ContentType, body)
	c.Abort()
}

// validIdempotencyKey: 1–255 visible ASCII characters.
func validIdempotencyKey(key string) bool {
	if len(key) > 255 {
		return false
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			return false
		}
	}
	return true
}

// hashIdempotencyKey is what the store keeps of a key.
func hashIdempotencyKey(key string) string {
	sum := sha256.Sum256([]byte("jiashu idempotency key\x00" + key))
	return hex.EncodeToString(sum[:])
}

// requestHash identifies a request: the same key must come with the same
// method, path, query and body. A multipart body's boundary, which a client
// draws anew for every request, is left out.
func requestHash(r *http.Request, body []byte) string {
	if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && params["boundary"] != "" {
		body = bytes.ReplaceAll(body, []byte(params["boundary"]), nil)
	}
	h := sha256.New()
	io.WriteString(h, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery+"\n"+strconv.Itoa(len(body))+"\n")
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// answerCipher is AES-256-GCM under a key derived from the client's
// Idempotency-Key.
func answerCipher(key string) (cipher.AEAD, error) {
	k := sha256.Sum256([]byte("jiashu idempotent answer\x00" + key))
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// sealAnswer encrypts a kept body: nonce then ciphertext.
func sealAnswer(key string, body []byte) ([]byte, error) {
	aead, err := answerCipher(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, body, nil), nil
}

// openAnswer decrypts a kept body.
func openAnswer(key string, sealed []byte) ([]byte, error) {
	aead, err := answerCipher(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, errors.New("web: idempotent answer: too short")
	}
	return aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], nil)
}

// readFailure fails every read with err.
type readFailure struct{ err error }

func (r readFailure) Read([]byte) (int, error) { return 0, r.err }

// answerRecorder copies what a handler writes, up to keptAnswerLimit.
type answerRecorder struct {
	gin.ResponseWriter
	body bytes.Buffer
	over bool
}

func (w *answerRecorder) keep(n int, b []byte) {
	if w.over || w.body.Len()+n > keptAnswerLimit {
		w.over = true
		return
	}
	w.body.Write(b)
}

func (w *answerRecorder) Write(b []byte) (int, error) {
	w.keep(len(b), b)
	return w.ResponseWriter.Write(b)
}

func (w *answerRecorder) WriteString(s string) (int, error) {
	w.keep(len(s), []byte(s))
	return w.ResponseWriter.WriteString(s)
}
