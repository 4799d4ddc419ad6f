package sms

import (
	"fmt"
	"unicode/utf16"
)

// A Chinese text goes out in UCS-2: one segment holds 70 characters; a
// longer text is split into segments of 67 (3 go to the concatenation
// header), each billed. Both providers count so, the 【signature】 included,
// and count a character beyond U+FFFF twice (two UTF-16 code units).
const (
	SegmentSingle = 70
	SegmentLong   = 67
	// MaxLength is the longest text the providers take, signature and
	// filled variables included (both document 500 characters).
	MaxLength = 500
)

// Length counts a text as the SMS network does: UTF-16 code units.
func Length(s string) int { return len(utf16.Encode([]rune(s))) }

// Segments is how many segments a text is billed as: 0 for an empty text,
// 1 up to 70 characters, then one per 67.
func Segments(s string) int {
	n := Length(s)
	switch {
	case n == 0:
		return 0
	case n <= SegmentSingle:
		return 1
	}
	return (n + SegmentLong - 1) / SegmentLong
}

// Estimate is what a send costs before it is made.
type Estimate struct {
	Families int   // families reached
	Texts    int   // texts sent (a family may get one per guardian)
	Segments int   // billed segments
	Fen      int64 // price in fen (分)
}

// Cost adds up the texts at priceFen per segment. families counts the
// distinct families the caller groups them into.
func Cost(texts []Text, families int, priceFen int64) Estimate {
	e := Estimate{Families: families, Texts: len(texts)}
	for _, t := range texts {
		e.Segments += t.Segments()
	}
	e.Fen = int64(e.Segments) * priceFen
	return e
}

// Yuan writes fen as yuan with two decimals: 1234 → "12.34".
func Yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}
