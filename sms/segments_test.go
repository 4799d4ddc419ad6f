package sms_test

import (
	"strings"
	"testing"

	"jiashu/sms"
)

func TestSegmentsAreSeventyThenSixtySevenEach(t *testing.T) {
	for _, c := range []struct {
		n, want int
	}{{0, 0}, {1, 1}, {70, 1}, {71, 2}, {134, 2}, {135, 3}, {201, 3}, {202, 4}} {
		if got := sms.Segments(strings.Repeat("家", c.n)); got != c.want {
			t.Errorf("%d characters: %d segments, want %d", c.n, got, c.want)
		}
	}
	// A character beyond U+FFFF takes two UCS-2 units.
	if got := sms.Length("𠮷" + strings.Repeat("家", 68)); got != 70 {
		t.Errorf("Length counts 𠮷 as %d units, want 2", got-68)
	}
	if got := sms.Segments("𠮷" + strings.Repeat("家", 69)); got != 2 {
		t.Errorf("69 characters and 𠮷: %d segments, want 2", got)
	}
}

func TestCostIsSegmentsTimesPrice(t *testing.T) {
	texts := []sms.Text{{Body: strings.Repeat("家", 70)}, {Body: strings.Repeat("家", 71)}, {Body: "短"}}
	e := sms.Cost(texts, 2, 5)
	if e.Families != 2 || e.Texts != 3 || e.Segments != 4 || e.Fen != 20 {
		t.Fatalf("estimate %+v, want 2 families, 3 texts, 4 segments, 20 fen", e)
	}
	for fen, want := range map[int64]string{0: "0.00", 5: "0.05", 1234: "12.34", 100000: "1000.00"} {
		if got := sms.Yuan(fen); got != want {
			t.Errorf("Yuan(%d) = %q, want %q", fen, got, want)
		}
	}
}
