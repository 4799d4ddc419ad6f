package parent

import (
	"context"
	"sync"
	"time"
)

// failLimiter counts failures (unknown letter codes) per client in fixed
// windows. Blocked reports whether a client has used up its failures for
// the current window; callers check it before looking anything up, so a
// client guessing codes learns nothing once blocked. Tokens carry about 59
// random bits, so a few guesses a minute make guessing hopeless, while a
// parent who mistypes a few times is not locked out for long.
type failLimiter struct {
	max int
	per time.Duration
	now func() time.Time

	mu      sync.Mutex
	windows map[string]*failWindow
	swept   time.Time
}

type failWindow struct {
	start time.Time
	n     int
}

func newFailLimiter(max int, per time.Duration, now func() time.Time) *failLimiter {
	return &failLimiter{max: max, per: per, now: now, windows: map[string]*failWindow{}}
}

// Blocked reports whether key has had max failures in its current window.
func (l *failLimiter) Blocked(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.windows[key]
	return ok && l.now().Sub(w.start) < l.per && w.n >= l.max
}

// Fail counts a failure of key and reports whether key is now blocked.
func (l *failLimiter) Fail(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	w, ok := l.windows[key]
	if !ok || now.Sub(w.start) >= l.per {
		w = &failWindow{start: now}
		l.windows[key] = w
	}
	w.n++
	return w.n >= l.max
}

// sweep drops expired windows once per period, so the map holds only the
// clients that failed recently.
func (l *failLimiter) sweep(now time.Time) {
	if now.Sub(l.swept) < l.per {
		return
	}
	l.swept = now
	for k, w := range l.windows {
		if now.Sub(w.start) >= l.per {
			delete(l.windows, k)
		}
	}
}

// sharedFailLimiter counts unknown codes in the database (one upsert per
// miss, in fixed one-minute windows keyed by client), so every instance
// behind the load balancer counts the same client together. A successful
// page view never touches the database for it: Blocked reads only what
// this instance has learnt, which is every client whose miss here found
// the shared count over the limit. So a client spreading its guesses over
// n instances gets at most n-1 extra guesses a minute (one per instance
// that has not yet seen it blocked) — with tokens of about 59 random bits,
// still hopeless. Should the database fail, the count falls back to this
// instance's own (local).
type sharedFailLimiter struct {
	st    sharedFailStore
	max   int
	now   func() time.Time
	local *failLimiter
	logf  func(error)

	mu      sync.Mutex
	blocked map[string]time.Time // client → end of its blocked window
	purged  time.Time
}

// sharedFailStore is the part of the store the limiter uses.
type sharedFailStore interface {
	CountUnknownCode(ctx context.Context, client string, window time.Time) (int, error)
	PurgeUnknownCodes(ctx context.Context, cutoff time.Time) error
}

func newSharedFailLimiter(st sharedFailStore, max int, now func() time.Time, logf func(error)) *sharedFailLimiter {
	return &sharedFailLimiter{st: st, max: max, now: now, local: newFailLimiter(max, time.Minute, now), logf: logf,
		blocked: map[string]time.Time{}}
}

// Blocked reports whether key is known here to be over the limit in the
// current window. No database access.
func (l *sharedFailLimiter) Blocked(key string) bool {
	l.mu.Lock()
	until, ok := l.blocked[key]
	l.mu.Unlock()
	return (ok && l.now().Before(until)) || l.local.Blocked(key)
}

// Fail counts a miss of key in the database and reports whether key is now
// blocked (max misses in the current minute, on any instance).
func (l *sharedFailLimiter) Fail(ctx context.Context, key string) bool {
	now := l.now()
	window := now.Truncate(time.Minute)
	n, err := l.st.CountUnknownCode(ctx, key, window)
	if err != nil {
		l.logf(err)
		return l.local.Fail(key)
	}
	l.mu.Lock()
	if n >= l.max {
		l.blocked[key] = window.Add(time.Minute)
	}
	purge := now.Sub(l.purged) >= time.Minute
	if purge {
		l.purged = now
		for k, until := range l.blocked {
			if !now.Before(until) {
				delete(l.blocked, k)
			}
		}
	}
	l.mu.Unlock()
	if purge {
		if err := l.st.PurgeUnknownCodes(ctx, window.Add(-2*time.Minute)); err != nil {
			l.logf(err)
		}
	}
	return n >= l.max
}
