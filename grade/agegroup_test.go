package grade

import (
	"strings"
	"testing"
)

func TestDefaultMappingGroupsThreeGradesEach(t *testing.T) {
	t.Parallel()
	m := DefaultMapping()
	want := map[int]AgeGroup{1: PrimaryLower, 3: PrimaryLower, 4: PrimaryUpper, 6: PrimaryUpper, 7: Junior, 9: Junior, 10: Senior, 12: Senior, 0: "", 13: ""}
	for g, ag := range want {
		if got := m.Of(g); got != ag {
			t.Errorf("Of(%d) = %q, want %q", g, got, ag)
		}
	}
	if got := m.String(); got != "1-3:primary-lower,4-6:primary-upper,7-9:junior,10-12:senior" {
		t.Errorf("String() = %q", got)
	}
	if PrimaryUpper.Label() != "小学高年级" || Senior.Label() != "高中" {
		t.Errorf("labels: %q %q", PrimaryUpper.Label(), Senior.Label())
	}
}

func TestParseMapping(t *testing.T) {
	t.Parallel()
	t.Run("custom mapping round-trips", func(t *testing.T) {
		s := "1-2:primary-lower,3-6:primary-upper,7-9:junior,10-12:senior"
		m, err := ParseMapping(s)
		if err != nil {
			t.Fatal(err)
		}
		if m.Of(3) != PrimaryUpper || m.String() != s {
			t.Errorf("Of(3) = %q, String() = %q", m.Of(3), m.String())
		}
	})
	bad := []struct{ name, in, mention string }{
		{"unknown group is named", "1-3:kids,4-6:primary-upper,7-9:junior,10-12:senior", "kids"},
		{"missing grades are listed", "1-3:primary-lower,4-6:primary-upper,7-9:junior", "10,11,12"},
		{"overlap names the grade", "1-4:primary-lower,4-6:primary-upper,7-9:junior,10-12:senior", "grade 4"},
		{"range outside 1-12 is refused", "1-3:primary-lower,4-6:primary-upper,7-9:junior,10-13:senior", "10-13"},
		{"part without colon is named", "1-3 primary-lower", "1-3 primary-lower"},
		{"non-number grade is named", "a-3:primary-lower", `"a"`},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseMapping(c.in)
			if err == nil || !strings.Contains(err.Error(), c.mention) {
				t.Errorf("ParseMapping(%q) error = %v, want it to mention %q", c.in, err, c.mention)
			}
		})
	}
}
