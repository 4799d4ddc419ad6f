package main

import (
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
