package store

import (
	"context"
	"testing"
	"time"
)

func TestFlashIsReadOnceByItsUser(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, User{Username: "admin", Role: RoleDistrictAdmin})
		if err != nil {
			t.Fatal(err)
		}
		other, _ := s.CreateUser(ctx, User{Username: "other", Role: RoleDistrictAdmin})
		id, err := s.PutFlash(ctx, u.ID, "secret", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := s.TakeFlash(ctx, id, other.ID); ok {
			t.Fatal("another user read the flash")
		}
		if body, ok, err := s.TakeFlash(ctx, id, u.ID); !ok || body != "secret" || err != nil {
			t.Fatalf("%q %v %v", body, ok, err)
		}
		if _, ok, _ := s.TakeFlash(ctx, id, u.ID); ok {
			t.Fatal("read twice")
		}
		old, _ := s.PutFlash(ctx, u.ID, "old", -time.Second)
		if _, ok, _ := s.TakeFlash(ctx, old, u.ID); ok {
			t.Fatal("an expired flash was read")
		}
	})
}
