package cli

import (
	"strconv"
	"strings"
	"testing"
)

// TestBaseURLLimitIsTheRealOne: the longest base URL accepted is the limit
// the refusal names (43 characters: the link of a reminder plus its
// shortest text fill one 70-character SMS), and one more character, or
// thirty, is refused with that number.
func TestBaseURLLimitIsTheRealOne(t *testing.T) {
	t.Parallel()
	for scheme, limit := range map[string]int{"https": 43, "http": 43} {
		url := func(n int) string { return scheme + "://" + strings.Repeat("x", n-len(scheme)-3) }
		if _, msg, ok := parseConfig(t, nil, "--base-url", url(limit)); !ok {
			t.Errorf("%s: %d characters refused: %s", scheme, limit, msg)
		}
		for _, n := range []int{limit + 1, limit + 30} {
			_, msg, ok := parseConfig(t, nil, "--base-url", url(n))
			if want := "at most " + strconv.Itoa(limit) + " characters"; ok || !strings.Contains(msg, want) {
				t.Errorf("%s, %d characters: accepted %v, message %q lacks %q", scheme, n, ok, msg, want)
			}
		}
	}
}
