package store

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestStartUpIsSharedByInstances: instances opening a new database at
// once create the first user once, and run their AtStart one at a time.
func TestStartUpIsSharedByInstances(t *testing.T) {
	t.Parallel()
	for _, b := range testBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			dsn := b.newDSN(t)
			const n = 6
			stores := make([]*Store, n)
			var wg sync.WaitGroup
			for i := range stores {
				wg.Add(1)
				go func() { // migrations of a new database, at once
					defer wg.Done()
					s, err := Open(context.Background(), dsn)
					if err != nil {
						t.Error(err)
						return
					}
					t.Cleanup(func() { s.Close() })
					stores[i] = s
				}()
			}
			wg.Wait()
			if t.Failed() {
				t.FailNow()
			}
			var created atomic.Int32
			var mu sync.Mutex
			inside, most := 0, 0 // instances in their start-up now, and at most
			enter := func(d int) {
				mu.Lock()
				defer mu.Unlock()
				inside += d
				most = max(most, inside)
			}
			for _, s := range stores {
				wg.Add(1)
				go func() {
					defer wg.Done()
					err := s.AtStart(context.Background(), func() error {
						enter(1)
						defer enter(-1)
						_, ok, err := s.CreateFirstUser(context.Background(), User{Username: "admin", Role: RoleDistrictAdmin})
						if ok {
							created.Add(1)
						}
						time.Sleep(20 * time.Millisecond) // room for another instance to overlap, were it let in
						return err
					})
					if err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			if created.Load() != 1 || most != 1 {
				t.Fatalf("%d instances created the first user, %d ran their start-up at once; want 1 and 1", created.Load(), most)
			}
			if _, ok, err := stores[0].CreateFirstUser(context.Background(), User{Username: "other", Role: RoleDistrictAdmin}); ok || err != nil {
				t.Fatalf("a first user on a database with users: %v %v", ok, err)
			}
		})
	}
}

// TestCreateFirstUserRacesWithoutTheStartUpLock: the first user is
// created once even by callers that do not take AtStart.
func TestCreateFirstUserRacesWithoutTheStartUpLock(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		var created atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, ok, err := s.CreateFirstUser(context.Background(), User{Username: "admin", Role: RoleDistrictAdmin})
				if err != nil {
					t.Error(err)
				}
				if ok {
					created.Add(1)
				}
			}()
		}
		wg.Wait()
		if created.Load() != 1 {
			t.Fatalf("%d first users created", created.Load())
		}
	})
}
