package web

import (
	"context"
	"errors"
	"runtime"
	"time"

	"jiashu/app/account"
)

// passwordGate bounds the bcrypt comparisons running at once. Each takes
// about 60 ms of a core; without a bound a burst of sign-ins pins every
// core and the whole service (parents' pages included) stalls behind them.
// With one slot per core, sign-ins queue for a slot up to wait and are then
// told to come back (503) rather than piling up.
type passwordGate struct {
	slots chan struct{}
	wait  time.Duration
	// check compares a password with its hash; tests count the calls.
	check func(hash, pw string) bool
}

// passwordCheckWait is how long a sign-in waits for a free slot.
const passwordCheckWait = 2500 * time.Millisecond

// errPasswordBusy: every slot stayed busy for the whole wait.
var errPasswordBusy = errors.New("web: too many password checks at once")

func newPasswordGate() *passwordGate {
	return &passwordGate{slots: make(chan struct{}, runtime.NumCPU()), wait: passwordCheckWait, check: account.Check}
}

// Check compares pw with hash once a slot is free; errPasswordBusy when
// none freed up in time.
func (g *passwordGate) Check(ctx context.Context, hash, pw string) (bool, error) {
	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-timer.C:
		return false, errPasswordBusy
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-g.slots }()
	return g.check(hash, pw), nil
}
