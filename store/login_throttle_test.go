package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestLoginBurstReachesThePasswordCheckAtMostFreeAttemptsTimes(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: testNow}
	for name, st := range accountStores(t, clock) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			var wg sync.WaitGroup
			var mu sync.Mutex
			allowed, refused := 0, 0
			for range 60 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					d, err := st.ReserveLoginAttempt(ctx, "center", "203.0.113.7")
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err != nil:
						t.Error(err)
					case d.Allowed:
						allowed++
					default:
						refused++
					}
				}()
			}
			wg.Wait()
			if want := DefaultLoginPolicy.FreeAttempts; allowed != want || refused != 60-want {
				t.Fatalf("60 parallel attempts: %d allowed, %d refused; want %d allowed", allowed, refused, want)
			}
		})
	}
}

func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: testNow}
	for name, st := range accountStores(t, clock) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			reserve := func(account, client string) LoginDecision {
				t.Helper()
				d, err := st.ReserveLoginAttempt(ctx, account, client)
				if err != nil {
					t.Fatal(err)
				}
				return d
			}
			const nat = "198.51.100.1"
			t.Run("failures of one NAT address on account A slow that pair only", func(t *testing.T) {
				for i := range 5 {
					if d := reserve("teacher-a", nat); !d.Allowed {
						t.Fatalf("attempt %d refused: %+v", i+1, d)
					}
				}
				d := reserve("teacher-a", nat)
				if d.Allowed || d.Refusal != RefusedPair || d.RetryAfter != 30*time.Second {
					t.Fatalf("6th attempt: %+v, want refused for 30s", d)
				}
				if d := reserve("teacher-b", nat); !d.Allowed {
					t.Fatalf("a colleague behind the same address was refused: %+v", d)
				}
				if d := reserve("teacher-a", "192.0.2.9"); !d.Allowed {
					t.Fatalf("the owner from another address was refused: %+v", d)
				}
			})
			t.Run("delays grow after the free attempts", func(t *testing.T) {
				clock.add(30 * time.Second)
				if d := reserve("teacher-a", nat); !d.Allowed {
					t.Fatalf("after the first delay: %+v", d)
				}
				if d := reserve("teacher-a", nat); d.Allowed || d.RetryAfter != time.Minute {
					t.Fatalf("next attempt: %+v, want refused for 1m", d)
				}
			})
			t.Run("Center and center are one account", func(t *testing.T) {
				for range 5 {
					reserve("Center", "192.0.2.50")
				}
				if d := reserve(" center", "192.0.2.50"); d.Allowed {
					t.Fatalf("lower-case spelling got a fresh count: %+v", d)
				}
			})
			t.Run("success clears the pair", func(t *testing.T) {
				if err := st.LoginSucceeded(ctx, "CENTER", "192.0.2.50"); err != nil {
					t.Fatal(err)
				}
				if d := reserve("center", "192.0.2.50"); !d.Allowed {
					t.Fatalf("after a good sign-in: %+v", d)
				}
			})
			t.Run("many clients lock the account once, for the clients that failed only", func(t *testing.T) {
				for i := range DefaultLoginPolicy.AccountLock {
					if d := reserve("principal", fmt.Sprintf("10.0.%d.%d", i/200, i%200)); !d.Allowed {
						t.Fatalf("attempt %d from a new client refused: %+v", i+1, d)
					}
				}
				d := reserve("principal", "10.0.0.7") // failed before
				if d.Allowed || d.Refusal != RefusedLocked || !d.LockedNow || d.RetryAfter != time.Hour {
					t.Fatalf("attempt past the account limit from a failed client: %+v, want locked now for 1h", d)
				}
				if d = reserve("Principal", "10.0.0.8"); d.Allowed || d.Refusal != RefusedLocked || d.LockedNow {
					t.Fatalf("next attempt from a failed client: %+v, want locked (not newly)", d)
				}
				if until, err := st.LoginLockedUntil(ctx, "PRINCIPAL"); err != nil || !until.Equal(clock.now().Add(time.Hour)) {
					t.Fatalf("LoginLockedUntil = %v, %v", until, err)
				}
				if d := reserve("principal", "192.0.2.77"); !d.Allowed || d.LockedNow {
					t.Fatalf("a client that never failed on the account: %+v, want allowed", d)
				}
				if err := st.LoginSucceeded(ctx, "principal", "192.0.2.77"); err != nil {
					t.Fatal(err)
				}
				if d := reserve("teacher-b", "10.0.0.1"); !d.Allowed {
					t.Fatalf("another account from an attacking address: %+v", d)
				}
				if locked, err := st.LockedLogins(ctx); err != nil || len(locked) != 1 || !locked["principal"].Equal(clock.now().Add(time.Hour)) {
					t.Fatalf("LockedLogins = %v, %v; want principal only", locked, err)
				}
				if lifted, err := st.LiftLoginLock(ctx, "principal", "center"); err != nil || !lifted {
					t.Fatalf("LiftLoginLock = %v, %v", lifted, err)
				}
				if locked, err := st.LockedLogins(ctx); err != nil || len(locked) != 0 {
					t.Fatalf("LockedLogins after unlock = %v, %v", locked, err)
				}
				if d := reserve("principal", "10.0.0.7"); !d.Allowed {
					t.Fatalf("after LiftLoginLock: %+v", d)
				}
				locks, err := st.LoginLocks(ctx, "Principal", clock.now().Add(-time.Hour))
				if err != nil || len(locks) != 1 || locks[0].UnlockedBy != "center" || !locks[0].UnlockedAt.Equal(clock.now()) ||
					!locks[0].LockedUntil.Equal(clock.now().Add(time.Hour)) || locks[0].Active(clock.now()) {
					t.Fatalf("LoginLocks = %+v, %v; want one, lifted by center now", locks, err)
				}
				if lifted, err := st.LiftLoginLock(ctx, "principal", "center"); err != nil || lifted {
					t.Fatalf("second LiftLoginLock = %v, %v; want nothing to lift", lifted, err)
				}
			})
			t.Run("one client spreading over many accounts is stopped", func(t *testing.T) {
				const spray = "203.0.113.200"
				for i := range DefaultLoginPolicy.ClientMax {
					if d := reserve(fmt.Sprintf("user%d", i), spray); !d.Allowed {
						t.Fatalf("attempt %d refused: %+v", i+1, d)
					}
				}
				if d := reserve("user-next", spray); d.Allowed || d.Refusal != RefusedClient {
					t.Fatalf("attempt past the client limit: %+v", d)
				}
			})
			t.Run("an hour later everything starts afresh and idle counters are purged", func(t *testing.T) {
				clock.add(2 * time.Hour)
				if d := reserve("teacher-a", nat); !d.Allowed {
					t.Fatalf("after quiet: %+v", d)
				}
				before := countRows(t, st, `SELECT COUNT(*) FROM login_throttle`)
				clock.add(2 * time.Hour)
				if _, err := st.PurgeExpired(ctx, 15*time.Minute); err != nil {
					t.Fatal(err)
				}
				if after := countRows(t, st, `SELECT COUNT(*) FROM login_throttle`); after != 0 || before == 0 {
					t.Fatalf("throttle rows %d before, %d after the purge", before, after)
				}
			})
		})
	}
}

func TestLoginDelays(t *testing.T) {
	t.Parallel()
	p := DefaultLoginPolicy
	var got []time.Duration
	for k := range 7 {
		got = append(got, loginDelay(p, k))
	}
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 15 * time.Minute, 15 * time.Minute}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("delays %v, want %v", got, want)
	}
}

// TestLockoutIsNoWeaponAgainstTheOwner is the attack of issue 17: 12
// addresses with 5 wrong passwords each lock the district's account, and
// the owner from an address of their own still signs in; every attacking
// address is kept out, and a new one gets a single guess.
func TestLockoutIsNoWeaponAgainstTheOwner(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: testNow}
	for name, st := range accountStores(t, clock) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			reserve := func(client string) LoginDecision {
				t.Helper()
				d, err := st.ReserveLoginAttempt(ctx, "center", client)
				if err != nil {
					t.Fatal(err)
				}
				return d
			}
			attacker := func(i int) string { return fmt.Sprintf("203.0.113.%d", i) }
			locked := 0
			for i := range 12 {
				for range 5 {
					if d := reserve(attacker(i)); d.LockedNow {
						locked++
					}
				}
			}
			if until, err := st.LoginLockedUntil(ctx, "center"); err != nil || until.IsZero() || locked != 1 {
				t.Fatalf("60 failures from 12 addresses: locked until %v (%v), said %d times; want locked, said once", until, err, locked)
			}
			for i := range 12 {
				if d := reserve(attacker(i)); d.Allowed || d.Refusal != RefusedLocked {
					t.Fatalf("attacking address %d: %+v, want refused (locked)", i, d)
				}
			}
			if d := reserve("198.51.100.20"); !d.Allowed {
				t.Fatalf("the owner from their usual address: %+v, want allowed", d)
			}
			if err := st.LoginSucceeded(ctx, "center", "198.51.100.20"); err != nil {
				t.Fatal(err)
			}
			if d := reserve("198.51.100.20"); !d.Allowed {
				t.Fatalf("the owner again after signing in: %+v", d)
			}
			if d := reserve("203.0.113.99"); !d.Allowed {
				t.Fatalf("a fresh attacking address, first guess: %+v", d)
			}
			if d := reserve("203.0.113.99"); d.Allowed || d.Refusal != RefusedLocked {
				t.Fatalf("a fresh attacking address, second guess: %+v, want refused (locked)", d)
			}
			clock.add(time.Hour)
			if d := reserve(attacker(0)); !d.Allowed {
				t.Fatalf("an hour later the lock has ended: %+v", d)
			}
		})
	}
}

func TestLoginClientKey(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"203.0.113.7":                 "203.0.113.7",
		"2001:db8:1:2:3:4:5:6":        "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1":        "2001:db8:1:2::/64",
		"change:2001:db8:1:2:3:4:5:6": "change:2001:db8:1:2::/64",
		"change:198.51.100.1":         "change:198.51.100.1",
		"::ffff:198.51.100.1":         "::ffff:198.51.100.1",
		"not an address":              "not an address",
	} {
		if got := LoginClientKey(in); got != want {
			t.Errorf("LoginClientKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAnIPv6NetworkIsOneClient: the addresses of one /64 share their
// counts, so a locked account lets such a network through once, not once
// per address.
func TestAnIPv6NetworkIsOneClient(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: testNow}
	for name, st := range accountStores(t, clock) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			for i := range DefaultLoginPolicy.AccountLock + 1 {
				if _, err := st.ReserveLoginAttempt(ctx, "center", fmt.Sprintf("10.4.%d.%d", i/200, i%200)); err != nil {
					t.Fatal(err)
				}
			}
			if d, _ := st.ReserveLoginAttempt(ctx, "center", "2001:db8:7:7::1"); !d.Allowed {
				t.Fatalf("a new network's first attempt: %+v", d)
			}
			if d, _ := st.ReserveLoginAttempt(ctx, "center", "2001:db8:7:7::2"); d.Allowed || d.Refusal != RefusedLocked {
				t.Fatalf("another address of the same /64: %+v, want refused (locked)", d)
			}
		})
	}
}
