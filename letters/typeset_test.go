package letters

import (
	"math"
	"strings"
	"testing"
)

func TestLineBreakingKeepsEveryCharacterAndTheRules(t *testing.T) {
	t.Parallel()
	e := testEngine(t)
	text := "请牢记“三不一多”：未知链接不点击、陌生来电不轻信、个人信息不透露、转账汇款多核实。接到96110来电，请一定接听；也可访问https://jiashu.example.cn/a/7KQ2XP9M4TRW确认（只需一步）……安装“国家反诈中心”App，开启来电预警！"
	for w := 20.0; w <= 120; w += 0.7 {
		s := newSetter(e)
		lines := s.breakLines(s.units([]span{{text: text, st: stBody}}), w, 7, 0, true)
		var got strings.Builder
		for i, ln := range lines {
			var lt strings.Builder
			for _, u := range ln.units {
				lt.WriteString(u.text)
			}
			l := lt.String()
			got.WriteString(l)
			rs := []rune(l)
			if i > 0 && strings.ContainsRune(noLineStart, rs[0]) {
				t.Errorf("width %.1f: line %d starts with %q: %s", w, i, rs[0], l)
			}
			if i < len(lines)-1 && strings.ContainsRune(noLineEnd, rs[len(rs)-1]) {
				t.Errorf("width %.1f: line %d ends with %q: %s", w, i, rs[len(rs)-1], l)
			}
			if i < len(lines)-1 && ln.w+ln.tc*float64(len(rs)-1) > w+0.01 {
				t.Errorf("width %.1f: line %d is %.2f mm wide after justification", w, i, ln.w)
			}
			if w > 40 && (strings.Contains(l, "9611") && !strings.Contains(l, "96110") || strings.HasPrefix(l, "0来电")) {
				t.Errorf("width %.1f: number 96110 split: %s", w, l)
			}
		}
		if got.String() != text {
			t.Fatalf("width %.1f: text changed:\n got %s\nwant %s", w, got.String(), text)
		}
	}
}

func TestLongURLIsBrokenOnlyWhenWiderThanTheLine(t *testing.T) {
	t.Parallel()
	e := testEngine(t)
	url := "https://jiashu.example.cn/a/7KQ2XP9M4TRW"
	s := newSetter(e)
	us := s.units([]span{{text: "打开" + url + "确认", st: stNote}})
	if n := len(us); n != 5 {
		t.Fatalf("units = %d, want the URL as one unit", n)
	}
	wide := s.breakLines(us, 200, 0, 0, false)
	if len(wide) != 1 {
		t.Errorf("URL split on a wide line: %d lines", len(wide))
	}
	narrow := s.breakLines(s.units([]span{{text: url, st: stNote}}), 20, 0, 0, false)
	var got strings.Builder
	for _, ln := range narrow {
		for _, u := range ln.units {
			got.WriteString(u.text)
		}
	}
	if len(narrow) < 2 || got.String() != url {
		t.Errorf("overlong URL: %d lines, text %q", len(narrow), got.String())
	}
}

func TestQuotesDotsAndLatinWordsAreSpacedLikeFullWidthText(t *testing.T) {
	t.Parallel()
	s := newSetter(testEngine(t))
	em := styles[stBody].size * ptToMM
	width := func(text, unitText string) (w, padL, padR float64) {
		for _, u := range s.units([]span{{text: text, st: stBody}}) {
			if u.text == unitText {
				return u.w, u.padL, u.padR
			}
		}
		t.Fatalf("no unit %q in %q", unitText, text)
		return
	}
	for _, q := range []string{"“", "”"} {
		if w, _, _ := width("发“资料费”“补课费”收款码", q); math.Abs(w-em) > 0.01 {
			t.Errorf("%s is %.2f mm wide, want a full em (%.2f)", q, w, em)
		}
	}
	if w, l, r := width("迪丽热巴·迪力木拉提", "·"); math.Abs(w-em) > 0.01 || math.Abs(l-r) > 0.01 {
		t.Errorf("middle dot is %.2f mm wide (pads %.2f, %.2f), want a centred em", w, l, r)
	}
	if _, l, r := width("拨打110报警", "110"); math.Abs(l-em/4) > 0.01 || math.Abs(r-em/4) > 0.01 {
		t.Errorf("110 between Chinese characters has gaps %.2f, %.2f mm, want a quarter em", l, r)
	}
	if _, l, _ := width("拨打 110 报警", "110"); l != 0 {
		t.Errorf("a source space is not doubled by a gap: %.2f", l)
	}
}
