package store

import (
	"context"
	"testing"
	"time"
)

// TestReadOnlyTokensSayWhatTheyAre: a read-only token is listed and looked
// up as read-only, an ordinary one not, on both databases.
func TestReadOnlyTokensSayWhatTheyAre(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)}
	for name, st := range accountStores(t, clock) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			u, _ := st.CreateUser(ctx, User{Username: "wang", Role: RoleTeacher})
			ro, made, err := st.NewAPIToken(ctx, APIToken{UserID: u.ID, Name: "看板", ReadOnly: true})
			if err != nil || !made.ReadOnly {
				t.Fatalf("%+v %v", made, err)
			}
			rw, _, _ := st.CreateAPIToken(ctx, u.ID, "脚本")
			for secret, want := range map[string]bool{ro: true, rw: false} {
				got, tok, err := st.APITokenUser(ctx, secret)
				if err != nil || got.ID != u.ID || tok.ReadOnly != want || tok.LastUsedAt.IsZero() {
					t.Errorf("read-only %v: %+v %+v %v", want, got, tok, err)
				}
			}
			list, _ := st.APITokens(ctx, u.ID)
			if len(list) != 2 || list[0].ReadOnly || !list[1].ReadOnly {
				t.Fatalf("listed %+v", list)
			}
		})
	}
}
