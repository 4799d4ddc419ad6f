package store

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestIdempotencyKeysClaimKeepAndForget: the first request with a key
// claims it and keeps its answer; the same request finds the answer,
// another request with the key is refused, a claim in flight is in use
// until it goes stale, a released key runs again, and after a day the key
// is new — on both databases, on the store's clock.
func TestIdempotencyKeysClaimKeepAndForget(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)}
	for name, st := range accountStores(t, clock) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			u, _ := st.CreateUser(ctx, User{Username: "center", Role: RoleDistrictAdmin})
			other, _ := st.CreateUser(ctx, User{Username: "east-admin", Role: RoleSchoolAdmin})
			claim := func(user int64, key, req string) (Claim, IdempotentAnswer) {
				t.Helper()
				c, a, err := st.ClaimIdempotencyKey(ctx, user, key, req)
				if err != nil {
					t.Fatal(err)
				}
				return c, a
			}
			if c, _ := claim(u.ID, "k1", "req-a"); c != ClaimNew {
				t.Fatalf("first claim: %v", c)
			}
			if c, _ := claim(u.ID, "k1", "req-a"); c != ClaimInUse {
				t.Fatalf("while answered: %v", c)
			}
			if c, _ := claim(other.ID, "k1", "req-a"); c != ClaimNew {
				t.Fatalf("another account's key of the same name: %v", c)
			}
			answer := IdempotentAnswer{Status: 201, Location: "/api/v1/schools/3", ContentType: "application/json", Body: []byte{0, 1, 2, 255}}
			if err := st.KeepIdempotentAnswer(ctx, u.ID, "k1", answer); err != nil {
				t.Fatal(err)
			}
			if c, a := claim(u.ID, "k1", "req-a"); c != ClaimReplay || a.Status != 201 || a.Location != answer.Location || string(a.Body) != string(answer.Body) {
				t.Fatalf("replay: %v %+v", c, a)
			}
			if c, _ := claim(u.ID, "k1", "req-b"); c != ClaimReused {
				t.Fatalf("another request with the key: %v", c)
			}
			if err := st.ReleaseIdempotencyKey(ctx, other.ID, "k1"); err != nil {
				t.Fatal(err)
			}
			if c, _ := claim(other.ID, "k1", "req-c"); c != ClaimNew {
				t.Fatalf("a released key: %v", c)
			}
			clock.add(6 * time.Minute)
			if c, _ := claim(other.ID, "k1", "req-c"); c != ClaimNew {
				t.Fatalf("a stale claim is not taken over: %v", c)
			}
			clock.add(IdempotencyTTL)
			if c, _ := claim(u.ID, "k1", "req-b"); c != ClaimNew {
				t.Fatalf("a key after a day: %v", c)
			}
		})
	}
}

// TestIdempotencyKeyClaimedOnceWhenRacing: of many requests racing with
// the same key, exactly one runs.
func TestIdempotencyKeyClaimedOnceWhenRacing(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)}
	for name, st := range accountStores(t, clock) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			u, _ := st.CreateUser(ctx, User{Username: "center", Role: RoleDistrictAdmin})
			var (
				wg    sync.WaitGroup
				mu    sync.Mutex
				count = map[Claim]int{}
			)
			for range 8 {
				wg.Go(func() {
					c, _, err := st.ClaimIdempotencyKey(ctx, u.ID, "race", "req")
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					count[c]++
					mu.Unlock()
				})
			}
			wg.Wait()
			if count[ClaimNew] != 1 || count[ClaimInUse] != 7 {
				t.Fatalf("claims %v, want one new and seven in use", count)
			}
		})
	}
}
