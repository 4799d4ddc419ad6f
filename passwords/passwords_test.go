package passwords

import (
	"errors"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pw, username, code string
	}{
		{"Tea-Garden-42", "wang", ""},
		{"茶园里的小猫喜欢晒太阳", "wang", ""},
		{"short1", "wang", CodeShort},
		{"12345678", "wang", CodeCommon},
		{"5201314520", "wang", CodeCommon},
		{"WoAiNi1314", "wang", CodeCommon},
		{"woaini1314!", "wang", CodeCommon},
		{"qwerty2024", "wang", CodeCommon},
		{"Password123", "wang", CodeCommon},
		{"1qaz2wsx", "wang", CodeCommon},
		{"a1234567" + "8", "wang", CodeCommon},
		{"zzzzzzzzzz", "wang", CodeCommon},
		{"19900101", "wang", CodeCommon},
		{"Wang.Li-2026x", "wang.li", CodeUsername},
		{strings.Repeat("ab", 37), "wang", CodeLong}, // 74 bytes
		{strings.Repeat("我", 25), "wang", CodeLong},  // 75 bytes, 25 characters
		{strings.Repeat("我", 24), "wang", ""},        // 72 bytes
	} {
		err := Check(tc.pw, tc.username)
		var p *Problem
		switch {
		case tc.code == "" && err != nil:
			t.Errorf("Check(%q) refused: %v", tc.pw, err)
		case tc.code != "" && (!errors.As(err, &p) || p.Code != tc.code || p.Message == ""):
			t.Errorf("Check(%q) = %v, want %s", tc.pw, err, tc.code)
		}
	}
}

func TestTheListHoldsTheChineseFavourites(t *testing.T) {
	t.Parallel()
	if len(common) < 1000 {
		t.Errorf("%d common passwords embedded, want about a thousand or more", len(common))
	}
	for _, pw := range []string{"123456", "5201314", "qwerty", "woaini", "1314520", "iloveyou", "a123456", "88888888"} {
		if !common[pw] {
			t.Errorf("%q is not on the list", pw)
		}
	}
}
