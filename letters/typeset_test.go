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
		if w, _, _ := width("发“资料费”收款码", q); math.Abs(w-em) > 0.01 {
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

// Adjacent full-width marks give up one blank half between them (CLREQ):
// no double gap in "（“小号”）" or "“退费”：", in a letter or on a slide.
func TestAdjacentMarksAreCompressed(t *testing.T) {
	t.Parallel()
	e := testEngine(t)
	s := newSetter(e)
	em := styles[stBody].size * ptToMM
	d := newKitDoc(e, pageW, pageH)
	for _, c := range []struct {
		text  string
		cells float64 // full-width cells after compression
	}{
		{"（“小号”）", 5}, {"“退费”：", 4.5}, {"收到。”", 3.5}, {"（注）。", 3.5}, {"“小号”“大号”", 7}, {"“小号”", 4},
	} {
		w := 0.0
		for _, u := range s.units([]span{{text: c.text, st: stBody}}) {
			w += u.w
		}
		if math.Abs(w-c.cells*em) > 0.05*em {
			t.Errorf("letter: %s is %.2f em wide, want %.1f", c.text, w/em, c.cells)
		}
		st := slideStyle(32, fontBody, inkC)
		if w := d.width(c.text, st); math.Abs(w-c.cells*st.em()) > 0.05*st.em() {
			t.Errorf("slide: %s is %.2f em wide, want %.1f", c.text, w/st.em(), c.cells)
		}
	}
}

// A quoted word of two or three characters is never broken across lines.
func TestQuotedShortWordsStayOnOneLine(t *testing.T) {
	t.Parallel()
	e := testEngine(t)
	text := "同伙跟着回“收到”、晒截图，又说“工具人”和“小号”都不是“一个很长的词语啊”里的东西。"
	for w := 15.0; w <= 90; w += 0.37 {
		s := newSetter(e)
		lines := s.breakLines(s.units([]span{{text: text, st: stBody}}), w, 0, 0, true)
		for i, ln := range lines[:len(lines)-1] {
			end := ln.units[len(ln.units)-1].text + lines[i+1].units[0].text
			for _, bad := range []string{"收到", "工具", "具人", "小号"} {
				if end == bad {
					t.Errorf("width %.1f: line %d breaks inside %q", w, i, bad)
				}
			}
		}
	}
}

// A paragraph never ends on a line holding one character (and its
// stop): the line before gives it a companion.
func TestNoParagraphEndsOnALoneCharacter(t *testing.T) {
	t.Parallel()
	e := testEngine(t)
	text := "万一上当：立即拨打110报警，说清对方账号和转账时间，请警方紧急止付；保留聊天和转账记录。"
	lone := 0
	for w := 20.0; w <= 120; w += 0.29 {
		s := newSetter(e)
		us := s.units([]span{{text: text, st: stBody}})
		lines := s.breakLines(us, w, 0, 0, true)
		var got strings.Builder
		for _, ln := range lines {
			for _, u := range ln.units {
				got.WriteString(u.text)
			}
		}
		if got.String() != text {
			t.Fatalf("width %.1f: text changed: %s", w, got.String())
		}
		if last := lines[len(lines)-1]; len(lines) > 1 && lonely(last.units) {
			lone++
			t.Errorf("width %.1f: the last line is %q", w, last.units[0].text)
		}
		for i, ln := range lines[:len(lines)-1] {
			if ln.w+ln.tc*float64(glyphCount(ln)-1) > w-0+0.01 {
				t.Errorf("width %.1f: line %d overflows", w, i)
			}
		}
	}
}

func glyphCount(ln line) int {
	n := 0
	for _, u := range ln.units {
		n += u.glyph
	}
	return n
}

// Text filled from data keeps its characters' spacing: no gap between
// 七年级 and 2, no widened dot in 阿依古丽·买买提.
func TestDataIsSetWithoutGaps(t *testing.T) {
	t.Parallel()
	s := newSetter(testEngine(t))
	for _, text := range []string{"七年级2班", "阿依古丽·买买提", "Tom张"} {
		for _, u := range s.units([]span{{text: "尊敬的" + string(dataOpen) + text + string(dataClose) + "同学家长", st: stBody}}) {
			if u.verbatim && (u.padL != 0 || u.padR != 0) {
				t.Errorf("%s: unit %q has gaps %.2f, %.2f", text, u.text, u.padL, u.padR)
			}
			if strings.ContainsAny(u.text, string(dataOpen)+string(dataClose)) {
				t.Errorf("%s: a data mark is in unit %q", text, u.text)
			}
		}
	}
}
