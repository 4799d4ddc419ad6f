package store

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"sort"
	"strings"
	"time"
)

// Sign-in throttling. Every attempt reserves its place here before the
// password is checked, in one transaction that decides and counts: so a
// burst of parallel attempts cannot all pass a check made before any of
// them was counted, and at most FreeAttempts of them reach bcrypt.
//
// Three counters, each a row of login_throttle (migration 009):
//
//   - the (account, client) pair: FreeAttempts, then growing delays
//     (FirstDelay, doubling up to MaxDelay). A school's NAT address failing
//     on one account slows that pair only; its colleagues sign in as usual.
//   - the client across all accounts: ClientMax per ClientWindow, so one
//     address cannot spread guesses over many accounts.
//   - the account across all clients: AccountLock failures within
//     AccountWindow lock it for LockFor. That takes an attack from many
//     addresses (ten times the free attempts of a pair), never a colleague's
//     typos; the attempt that locks says so (LockedNow), for the audit log
//     and the owner, and the lock is recorded (login_locks, 025) so the
//     owner is told of it even after it has ended.
//
// The lock is no weapon against the owner: it refuses only the clients
// that have failed on the account (their pair holds a failure), never one
// that has not. An attacker's addresses are shut out after their first
// wrong guess each, while the owner, signing in from their usual place,
// gets in. A client that failed while the account was locked stays out
// until the lock ends or an administrator lifts it (LiftLoginLock). An
// IPv6 client counts as its /64 (LoginClientKey).
//
// A successful sign-in clears its pair and gives back the place its own
// attempt took in the account and client counts.

// LoginPolicy sets the limits of ReserveLoginAttempt.
type LoginPolicy struct {
	FreeAttempts  int           // attempts of a pair before delays start
	FirstDelay    time.Duration // wait after the free attempts; doubles with each further attempt
	MaxDelay      time.Duration // longest wait between attempts of a pair
	PairForget    time.Duration // quiet time after which a pair starts afresh
	ClientMax     int           // attempts from one client across accounts per ClientWindow
	ClientWindow  time.Duration
	AccountLock   int           // failures of one account from all clients that lock it …
	AccountWindow time.Duration // … within this window
	LockFor       time.Duration // how long a locked account stays locked
}

// DefaultLoginPolicy: 5 free attempts per pair, then 30 s, 1, 2, 4, 8,
// 15 min; 100 attempts per client per 15 minutes; 50 failures of an account
// within an hour lock it for an hour.
var DefaultLoginPolicy = LoginPolicy{
	FreeAttempts: 5, FirstDelay: 30 * time.Second, MaxDelay: 15 * time.Minute, PairForget: time.Hour,
	ClientMax: 100, ClientWindow: 15 * time.Minute,
	AccountLock: 50, AccountWindow: time.Hour, LockFor: time.Hour,
}

// WithLoginPolicy replaces DefaultLoginPolicy.
func WithLoginPolicy(p LoginPolicy) Option {
	return func(s *Store) { s.loginPolicy = p }
}

// LoginRefusal says why an attempt may not be checked.
type LoginRefusal string

// The reasons of a refused LoginDecision.
const (
	RefusedPair   LoginRefusal = "pair"   // this client failed on this account: wait RetryAfter
	RefusedClient LoginRefusal = "client" // this client failed too often on any account
	RefusedLocked LoginRefusal = "locked" // the account is locked for the clients that failed on it until RetryAfter
)

// LoginDecision is the answer of ReserveLoginAttempt.
type LoginDecision struct {
	Allowed    bool          // check the password now
	Refusal    LoginRefusal  // why not, when not Allowed
	RetryAfter time.Duration // when not Allowed: how long to wait
	// LockedNow: this attempt locked the account (many failures from many
	// clients). Audit it; it is said once. The attempt itself may still be
	// Allowed, when its client has not failed on the account.
	LockedNow bool
}

// LoginAccountKey is the throttle's key of a typed username: trimmed and
// case-folded, so "Center" and "center " share their counts.
func LoginAccountKey(username string) string { return strings.ToLower(strings.TrimSpace(username)) }

// LoginClientKey is the throttle's key of a client address: an IPv6
// address stands for its /64, which one subscriber (or one attacker) holds
// whole — counted per address, it would give an attacker 2^64 fresh
// clients, each let through an account's lock once. A prefix before the
// address ("change:…") is kept; anything that is no address is the key as
// it is.
func LoginClientKey(client string) string {
	prefix, addr := "", client
	if net.ParseIP(client) == nil {
		if i := strings.Index(client, ":"); i >= 0 && net.ParseIP(client[i+1:]) != nil {
			prefix, addr = client[:i+1], client[i+1:]
		}
	}
	ip := net.ParseIP(addr)
	if ip == nil || ip.To4() != nil {
		return client
	}
	return prefix + ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// throttleRow is one counter of login_throttle.
type throttleRow struct {
	account, client string
	failures        int
	windowStart     time.Time
	lastAt          time.Time
	lockedUntil     time.Time // zero when not locked
}

// ReserveLoginAttempt decides whether the attempt to sign in to account
// from client may check its password, and if so counts it as a failure
// before the check; LoginSucceeded gives the place back. One transaction,
// so concurrent attempts on any instance sharing the database are counted
// one after another.
func (s *Store) ReserveLoginAttempt(ctx context.Context, account, client string) (LoginDecision, error) {
	acct := LoginAccountKey(account)
	var d LoginDecision
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := s.lockThrottleRows(ctx, tx, acct, client)
		if err != nil {
			return err
		}
		pair, whole, cl := rows[0], rows[1], rows[2]
		d = decideLogin(s.loginPolicy, s.Now(), pair, whole, cl)
		if d.LockedNow {
			if err := s.recordLoginLock(ctx, tx, acct, whole.lockedUntil); err != nil {
				return err
			}
		}
		return s.saveThrottleRows(ctx, tx, pair, whole, cl)
	})
	if err != nil {
		return LoginDecision{}, fmt.Errorf("store: reserve login attempt: %w", err)
	}
	return d, nil
}

// decideLogin applies the policy to the three counters at now, updating
// them in place: windows that have run out start afresh, an account over
// its limit is locked, an allowed attempt is counted in all three. A lock
// refuses only a client whose pair holds a failure.
func decideLogin(p LoginPolicy, now time.Time, pair, whole, cl *throttleRow) LoginDecision {
	if now.Sub(pair.lastAt) >= p.PairForget {
		pair.failures, pair.windowStart = 0, now
	}
	if expired := !whole.lockedUntil.IsZero() && !now.Before(whole.lockedUntil); expired || now.Sub(whole.windowStart) >= p.AccountWindow {
		whole.failures, whole.windowStart = 0, now
		if expired {
			whole.lockedUntil = time.Time{}
		}
	}
	if now.Sub(cl.windowStart) >= p.ClientWindow {
		cl.failures, cl.windowStart = 0, now
	}
	var d LoginDecision
	if whole.lockedUntil.IsZero() && whole.failures >= p.AccountLock {
		whole.lockedUntil = now.Add(p.LockFor)
		d.LockedNow = true
	}
	refuse := func(why LoginRefusal, until time.Time) LoginDecision {
		d.Refusal, d.RetryAfter = why, until.Sub(now)
		return d
	}
	switch {
	case now.Before(whole.lockedUntil) && pair.failures > 0:
		return refuse(RefusedLocked, whole.lockedUntil)
	case cl.failures >= p.ClientMax:
		return refuse(RefusedClient, cl.windowStart.Add(p.ClientWindow))
	case pair.failures >= p.FreeAttempts:
		if next := pair.lastAt.Add(loginDelay(p, pair.failures-p.FreeAttempts)); now.Before(next) {
			return refuse(RefusedPair, next)
		}
	}
	for _, r := range []*throttleRow{pair, whole, cl} {
		r.failures++
		r.lastAt = now
	}
	d.Allowed = true
	return d
}

// loginDelay is the wait before the k-th attempt past the free ones
// (k = 0, 1, …): FirstDelay doubled k times, at most MaxDelay.
func loginDelay(p LoginPolicy, k int) time.Duration {
	d := p.FirstDelay
	for ; k > 0 && d < p.MaxDelay; k-- {
		d *= 2
	}
	return min(d, p.MaxDelay)
}

// LoginSucceeded records a good password for account from client: the
// pair starts afresh, and the attempt's place in the account's and the
// client's counts is given back (it was counted as a failure in advance).
func (s *Store) LoginSucceeded(ctx context.Context, account, client string) error {
	acct := LoginAccountKey(account)
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := s.lockThrottleRows(ctx, tx, acct, client)
		if err != nil {
			return err
		}
		rows[0].failures = 0
		for _, r := range rows[1:] {
			r.failures = max(r.failures-1, 0)
		}
		return s.saveThrottleRows(ctx, tx, rows...)
	})
	if err != nil {
		return fmt.Errorf("store: login succeeded: %w", err)
	}
	return nil
}

// UnlockLogin lifts an account's lock and forgets its failures from every
// client, e.g. after an administrator reset its password
// (LiftLoginLock(ctx, account, "")).
func (s *Store) UnlockLogin(ctx context.Context, account string) error {
	_, err := s.LiftLoginLock(ctx, account, "")
	return err
}

// LoginLockedUntil says until when an account is locked (zero when it is
// not), for the account pages.
func (s *Store) LoginLockedUntil(ctx context.Context, account string) (time.Time, error) {
	var until sql.NullTime
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT locked_until FROM login_throttle WHERE account = ? AND client = ''`),
		LoginAccountKey(account)).Scan(&until)
	if err != nil && err != sql.ErrNoRows {
		return time.Time{}, fmt.Errorf("store: login lock: %w", err)
	}
	if !until.Valid || !s.Now().Before(until.Time) {
		return time.Time{}, nil
	}
	return until.Time.UTC(), nil
}

// lockThrottleRows returns the pair, account and client counters of an
// attempt, creating missing ones, each locked for the transaction. Rows
// are locked in one global order (by key), so concurrent attempts sharing
// an account or a client cannot deadlock on PostgreSQL; on SQLite the
// immediate transaction already serialises them.
func (s *Store) lockThrottleRows(ctx context.Context, tx *sql.Tx, account, client string) ([]*throttleRow, error) {
	client = LoginClientKey(client)
	rows := []*throttleRow{{account: account, client: client}, {account: account}, {client: client}}
	order := append([]*throttleRow(nil), rows...)
	sort.Slice(order, func(i, j int) bool {
		if order[i].account != order[j].account {
			return order[i].account < order[j].account
		}
		return order[i].client < order[j].client
	})
	forUpdate := ""
	if s.dialect == Postgres {
		forUpdate = " FOR UPDATE"
	}
	now := s.Now()
	for _, r := range order {
		if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO login_throttle (account, client, failures, window_start, last_at)
			VALUES (?, ?, 0, ?, ?) ON CONFLICT (account, client) DO NOTHING`), r.account, r.client, now, now); err != nil {
			return nil, err
		}
		var locked sql.NullTime
		if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT failures, window_start, last_at, locked_until FROM login_throttle
			WHERE account = ? AND client = ?`+forUpdate), r.account, r.client).Scan(&r.failures, &r.windowStart, &r.lastAt, &locked); err != nil {
			return nil, err
		}
		r.windowStart, r.lastAt = r.windowStart.UTC(), r.lastAt.UTC()
		if locked.Valid {
			r.lockedUntil = locked.Time.UTC()
		}
	}
	return rows, nil
}

// saveThrottleRows writes counters back.
func (s *Store) saveThrottleRows(ctx context.Context, tx *sql.Tx, rows ...*throttleRow) error {
	for _, r := range rows {
		var locked any
		if !r.lockedUntil.IsZero() {
			locked = r.lockedUntil
		}
		if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE login_throttle SET failures = ?, window_start = ?, last_at = ?, locked_until = ?
			WHERE account = ? AND client = ?`), r.failures, r.windowStart, r.lastAt, locked, r.account, r.client); err != nil {
			return err
		}
	}
	return nil
}

// purgeCutoff is the time before which idle, unlocked counters can go:
// every window of the policy has closed by then.
func (p LoginPolicy) purgeCutoff(now time.Time) time.Time {
	return now.Add(-max(p.PairForget, p.ClientWindow, p.AccountWindow, p.MaxDelay))
}
