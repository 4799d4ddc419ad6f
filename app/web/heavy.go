package web

import (
	"context"
	"net/http"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// Heavy requests — roster previews and imports, class PDFs — each hold tens
// of MB and a core for a second or more. Unbounded, eight at once took 4.8
// GB and starved the database of the parents' acknowledgements. A gate per
// process lets a few run (one per core, at least two), a few more wait
// their turn briefly, and answers the rest 503 with Retry-After and a
// plain "busy, try again" at once: memory stays bounded by the ones
// running, and nobody gets a 500. Waiting requests have not read their
// body yet (the handler reads it once admitted), so they cost a connection
// and nothing more.

// heavyGate bounds the heavy requests of a process.
type heavyGate struct {
	slots   chan struct{}
	waiting atomic.Int32
	maxWait int32         // requests allowed to wait for a slot
	wait    time.Duration // how long one waits before it is told to retry
}

// heavyRetryAfter is the Retry-After of a refused heavy request, seconds.
const heavyRetryAfter = 10

func newHeavyGate(running, waiting int, wait time.Duration) *heavyGate {
	return &heavyGate{slots: make(chan struct{}, running), maxWait: int32(waiting), wait: wait}
}

// defaultHeavyGate runs one heavy request per core (at least two), lets
// four times as many wait up to 20 seconds for their turn.
func defaultHeavyGate() *heavyGate {
	n := max(2, runtime.GOMAXPROCS(0))
	return newHeavyGate(n, 4*n, 20*time.Second)
}

// acquire takes a slot, waiting at most g.wait; it returns a release
// function, or nil when the request must be told to retry.
func (g *heavyGate) acquire(ctx context.Context) func() {
	release := func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return release
	default:
	}
	if g.waiting.Add(1) > g.maxWait {
		g.waiting.Add(-1)
		return nil
	}
	defer g.waiting.Add(-1)
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return release
	case <-t.C:
	case <-ctx.Done():
	}
	return nil
}

// heavy is the middleware of the heavy routes.
func (s *Server) heavy() gin.HandlerFunc {
	return func(c *gin.Context) {
		release := s.gate.acquire(c.Request.Context())
		if release == nil {
			s.log.Warn("busy: heavy request refused", "route", c.FullPath())
			s.respond(c, errBusy)
			return
		}
		defer release()
		c.Next()
	}
}

// errBusy answers a request the service has no room for now: 503 with
// Retry-After, never a 500 (errors.go sets the header).
var errBusy = refuse(http.StatusServiceUnavailable, "busy", "error.busy")

// retryAfter is the Retry-After header value of errBusy.
var retryAfter = strconv.Itoa(heavyRetryAfter)
