package store

import (
	"fmt"
	"io"
	"strings"
)

// TokenAlphabet is the 31 symbols a letter token is made of: digits and
// capital letters without 0/O, 1/I/L, which parents misread when typing
// the code from a paper slip.
const TokenAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// TokenLength is the number of symbols in a token: 12 symbols of 31 carry
// 12·log2(31) ≈ 59.4 random bits, far beyond guessing under a rate limit.
const TokenLength = 12

// newToken draws a token from r, one byte per symbol with rejection of the
// bytes that would bias the modulo (256 is not a multiple of 31).
func newToken(r io.Reader) (string, error) {
	const limit = 256 - 256%len(TokenAlphabet) // 248
	out := make([]byte, 0, TokenLength)
	buf := make([]byte, TokenLength+4)
	for len(out) < TokenLength {
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", fmt.Errorf("store: token randomness: %w", err)
		}
		for _, b := range buf {
			if int(b) >= limit {
				continue
			}
			out = append(out, TokenAlphabet[int(b)%len(TokenAlphabet)])
			if len(out) == TokenLength {
				break
			}
		}
	}
	return string(out), nil
}

// FormatToken groups a stored token for printing and reading aloud:
// "7KQ2XP9M4TRW" → "7KQ2-XP9M-4TRW". Other strings are returned unchanged.
func FormatToken(token string) string {
	if len(token) != TokenLength {
		return token
	}
	return token[0:4] + "-" + token[4:8] + "-" + token[8:12]
}

// NormalizeToken turns what a parent typed or scanned into the stored form:
// case-insensitive, spaces and dashes (ASCII or full-width) ignored. ok is
// false when the result is not TokenLength symbols of TokenAlphabet, so the
// caller can answer "unknown code" without a database lookup.
func NormalizeToken(input string) (token string, ok bool) {
	var b strings.Builder
	b.Grow(TokenLength)
	for _, r := range input {
		switch {
		case r == ' ' || r == '-' || r == '\t' || r == '\u3000' || r == '－' || r == '—' || r == '–':
			continue
		case r >= 'ａ' && r <= 'ｚ':
			r = r - 'ａ' + 'A'
		case r >= 'Ａ' && r <= 'Ｚ':
			r = r - 'Ａ' + 'A'
		case r >= '０' && r <= '９':
			r = r - '０' + '0'
		case r >= 'a' && r <= 'z':
			r = r - 'a' + 'A'
		}
		if r > 127 || strings.IndexByte(TokenAlphabet, byte(r)) < 0 {
			return "", false
		}
		if b.Len() == TokenLength {
			return "", false
		}
		b.WriteByte(byte(r))
	}
	if b.Len() != TokenLength {
		return "", false
	}
	return b.String(), true
}
