package letters

import (
	"slices"
	"testing"
)

// TestUsesAndNeedsOfTheDefaultLetters: every default letter prints the
// school's phone and police station where given and has a fallback for
// each, so none is needed, but all are used — what the school is told.
func TestUsesAndNeedsOfTheDefaultLetters(t *testing.T) {
	t.Parallel()
	e := testEngine(t)
	for _, ag := range AgeGroups() {
		tp, err := e.Library().Template(ag)
		if err != nil {
			t.Fatal(err)
		}
		if n := tp.Needs(SchoolDetailPlaceholders()); len(n) != 0 {
			t.Errorf("%s needs %v with no fallback", ag, n)
		}
		uses := tp.Uses(SchoolDetailPlaceholders())
		for _, p := range []string{PhSchoolPhone, PhPoliceStation, PhPolicePhone} {
			if !slices.Contains(uses, p) {
				t.Errorf("%s does not use %s: %v", ag, p, uses)
			}
		}
		if !slices.Contains(tp.Uses([]string{PhTeacher}), PhTeacher) {
			t.Errorf("%s: the signature line's {班主任} is not among what it uses", ag)
		}
	}
}
