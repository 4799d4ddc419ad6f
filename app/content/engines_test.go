package content

import (
	"context"
	"errors"
	"testing"

	"jiashu/letters"
	"jiashu/store"
	"jiashu/store/storetest"
)

func TestOnlyApprovedVersionsGetAnEngine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.Open(t, storetest.DSNs(t)["sqlite"])
	base, err := letters.NewDefaultEngine()
	if err != nil {
		t.Fatal(err)
	}
	e := NewEngines(st, base)
	author, _ := st.CreateUser(ctx, store.User{Username: "center", Role: store.RoleDistrictAdmin})
	files, _ := st.ContentFiles(ctx, 1)
	d, err := st.CreateContentDraft(ctx, author.ID, 1, "草稿", files)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Approved(ctx, d.ID); !errors.Is(err, ErrNotApproved) {
		t.Errorf("a draft got an engine: %v", err)
	}
	st.SubmitContent(ctx, d.ID, author.ID)
	if _, err := e.Approved(ctx, d.ID); !errors.Is(err, ErrNotApproved) {
		t.Errorf("a version in review got an engine: %v", err)
	}
	v1, err := e.Approved(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v1.Library().Template(letters.Senior); err != nil {
		t.Error(err)
	}
	ls, err := e.Lessons(ctx, 1)
	if err != nil || ls == nil {
		t.Errorf("version 1's lesson kits: %v", err)
	}
}
