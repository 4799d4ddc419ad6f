package store

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func TestTokenFormat(t *testing.T) {
	t.Parallel()
	t.Run("tokens carry at least 50 random bits", func(t *testing.T) {
		if len(TokenAlphabet) != 31 {
			t.Fatalf("alphabet has %d symbols, want 31", len(TokenAlphabet))
		}
		if bits := float64(TokenLength) * math.Log2(float64(len(TokenAlphabet))); bits < 50 {
			t.Errorf("tokens carry %.1f bits, want ≥ 50", bits)
		}
	})
	t.Run("the alphabet has no look-alike symbols", func(t *testing.T) {
		if strings.ContainsAny(TokenAlphabet, "0O1IL") {
			t.Errorf("alphabet %q holds an ambiguous symbol", TokenAlphabet)
		}
	})
	t.Run("format groups by four", func(t *testing.T) {
		if got := FormatToken("7KQ2XP9M4TRW"); got != "7KQ2-XP9M-4TRW" {
			t.Errorf("FormatToken = %q", got)
		}
	})
}

func TestNormalizeToken(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in, want string
		ok             bool
	}{
		{"the printed form is accepted", "7KQ2-XP9M-4TRW", "7KQ2XP9M4TRW", true},
		{"lower case and spaces are accepted", " 7kq2 xp9m 4trw ", "7KQ2XP9M4TRW", true},
		{"full-width input from a Chinese keyboard is accepted", "７ＫＱ２－ＸＰ９Ｍ－４ＴＲＷ", "7KQ2XP9M4TRW", true},
		{"a short code is refused", "7KQ2-XP9M-4TR", "", false},
		{"a long code is refused", "7KQ2-XP9M-4TRWX", "", false},
		{"a look-alike symbol is refused", "7KQ2-XP9M-4TR0", "", false},
		{"other characters are refused", "7KQ2/XP9M/4TRW", "", false},
		{"empty input is refused", "", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := NormalizeToken(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("NormalizeToken(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestNewToken(t *testing.T) {
	t.Parallel()
	t.Run("format and normalise round trip", func(t *testing.T) {
		opts := testOptions(7)
		s := &Store{}
		for _, o := range opts {
			o(s)
		}
		for range 1000 {
			tok, err := s.token()
			if err != nil {
				t.Fatal(err)
			}
			back, ok := NormalizeToken(FormatToken(tok))
			if !ok || back != tok {
				t.Fatalf("round trip of %q gave %q, %v", tok, back, ok)
			}
		}
	})
	t.Run("biased bytes are skipped, not folded into symbols", func(t *testing.T) {
		// 248…255 would favour the first symbols if taken modulo 31.
		in := append(bytes.Repeat([]byte{255, 248}, 8), bytes.Repeat([]byte{30}, 32)...)
		tok, err := newToken(bytes.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if tok != strings.Repeat("Z", TokenLength) {
			t.Errorf("token = %q, want only the 31st symbol", tok)
		}
	})
	t.Run("a failing random source is an error", func(t *testing.T) {
		if _, err := newToken(bytes.NewReader([]byte{1, 2, 3})); err == nil {
			t.Error("no error from an exhausted source")
		}
	})
}
