package store

import (
	"context"
	"errors"
	"testing"

	"jiashu/roster"
)

func TestCheckText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		value     string
		multiline bool
		bad       int // position of the refused character, 0 when accepted
	}{
		{"王小明", false, 0},
		{"第一行\n第二行\t", true, 0},
		{"王\x00明", false, 2},
		{"第一行\n", false, 4},
		{"a\x1bb", true, 2},
		{"a\u0085", false, 2},
		{"ab\xff", false, 3},
		{"替换符\uFFFD可以", false, 0},
		{"解放碑\u202e所出派", false, 4},     // right-to-left override
		{"家长\u2066123\u2069", true, 3}, // isolates
		{"买买提·艾力", false, 0},
	} {
		err := CheckText("name", tc.value, tc.multiline)
		var te *TextError
		switch {
		case tc.bad == 0 && err != nil:
			t.Errorf("CheckText(%q) refused: %v", tc.value, err)
		case tc.bad != 0 && (!errors.As(err, &te) || te.Position != tc.bad || te.Message == "" || !errors.Is(err, ErrControlCharacter)):
			t.Errorf("CheckText(%q) = %v; want refusal at %d", tc.value, err, tc.bad)
		}
	}
}

func TestStoreRefusesNULOnBothDatabases(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		sc := mustSchool(t, s, "阳光小学")
		_, _, errSchool := s.EnsureSchool(ctx, "坏\x00学校")
		_, errUser := s.CreateUser(ctx, User{Username: "wang", DisplayName: "王\x00老师", Role: RoleTeacher})
		_, errCamp := s.CreateCampaign(ctx, Campaign{Name: "秋季\x00反诈"})
		bad := genClass(3, 1, 1, 2)
		bad.Students[1].Guardians = []roster.Guardian{{Name: "王\x00父", Mobile: "13700137000"}}
		_, errImport := s.ImportRoster(ctx, sc.ID, []roster.Class{bad}, ImportOptions{})
		for what, err := range map[string]error{"school": errSchool, "user": errUser, "campaign": errCamp, "import": errImport} {
			if !errors.Is(err, ErrControlCharacter) {
				t.Errorf("%s with NUL: %v, want ErrControlCharacter", what, err)
			}
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM students`) + countRows(t, s, `SELECT COUNT(*) FROM users`); n != 0 {
			t.Errorf("%d rows written", n)
		}
		if err := s.Audit(ctx, 0, "login", "user \x00 tried"); err != nil {
			t.Fatalf("audit with NUL: %v, want it recorded cleaned", err)
		}
	})
}
