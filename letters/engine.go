package letters

import (
	"fmt"
	"io/fs"
	"strings"
	"unicode"

	"jiashu/assets"
)

// Engine typesets letters. It holds only read-only data (the parsed font and
// the library), so one Engine serves any number of goroutines.
type Engine struct {
	lib   *Library
	fonts [2]*font // fontDisplay, fontBody
	z     *deflaters
	qr    *qrPlans
	bases *bases // base glyphs of the library's templates (fontbase.go)
}

// Font slots: the display font sets titles, names and signatures and is the
// fallback for characters the body font lacks; the body font sets running
// text.
const (
	fontDisplay = 0
	fontBody    = 1
)

// NewEngine parses the fonts (TrueType with glyf outlines; not OTF/CFF, not
// TTC) and checks that together they can print every character of the
// library's templates and methods and of the fixed slip texts. bodyTTF may
// be nil: the display font then sets everything.
func NewEngine(lib *Library, bodyTTF, displayTTF []byte) (*Engine, error) {
	disp, err := parseFont(displayTTF, "LetterDisplay")
	if err != nil {
		return nil, fmt.Errorf("letters: display font: %w", err)
	}
	body := disp
	if bodyTTF != nil {
		if body, err = parseFont(bodyTTF, "LetterBody"); err != nil {
			return nil, fmt.Errorf("letters: body font: %w", err)
		}
	}
	e := &Engine{lib: lib, fonts: [2]*font{disp, body}, z: &deflaters{}, qr: &qrPlans{}, bases: &bases{}}
	if err := e.CheckLibrary(lib); err != nil {
		return nil, err
	}
	return e, nil
}

// WithLibrary returns an engine that shares e's parsed fonts and prints
// lib (another content version), after CheckLibrary has accepted it.
func (e *Engine) WithLibrary(lib *Library) (*Engine, error) {
	if err := e.CheckLibrary(lib); err != nil {
		return nil, err
	}
	return &Engine{lib: lib, fonts: e.fonts, z: e.z, qr: e.qr, bases: e.bases}, nil
}

// CheckLibrary reports the characters of lib (templates, methods) and of
// the fixed slip texts that the engine's fonts cannot print. A library
// that passes can be printed by this engine through Letter.Template.
func (e *Engine) CheckLibrary(lib *Library) error {
	var missing []string
	check := func(where, s string) {
		for _, r := range s {
			if !e.Printable(r) && !invisible(r) {
				missing = append(missing, fmt.Sprintf("%s: %q (U+%04X)", where, r, r))
			}
		}
	}
	check("slip", fixedText)
	for _, m := range lib.Methods {
		check(m.ID, m.Title+m.How+m.Guard+m.Case+m.Brief)
	}
	for _, ag := range AgeGroups() {
		t, err := lib.Template(ag)
		if err != nil {
			continue
		}
		check(ag, t.Title+t.Salutation+t.Date+strings.Join(t.Signature, "")+t.SlipTitle+strings.Join(t.SlipText, ""))
		for _, b := range t.Body {
			check(ag, b.Text+strings.Join(b.Items, ""))
		}
		if lt := t.Large; lt != nil {
			check(ag+" 大字版", lt.Salutation)
			for _, b := range lt.Body {
				check(ag+" 大字版", b.Text+strings.Join(b.Items, ""))
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("letters: the font cannot print: %s", strings.Join(missing, "; "))
	}
	return nil
}

// NewDefaultEngine builds an Engine from the embedded library and font.
func NewDefaultEngine() (*Engine, error) {
	sub, err := fs.Sub(assets.Letters, "letters")
	if err != nil {
		return nil, fmt.Errorf("letters: %w", err)
	}
	lib, err := LoadLibrary(sub)
	if err != nil {
		return nil, err
	}
	body, err := assets.Fonts.ReadFile(assets.BodyFontFile)
	if err != nil {
		return nil, fmt.Errorf("letters: %w", err)
	}
	disp, err := assets.Fonts.ReadFile(assets.DisplayFontFile)
	if err != nil {
		return nil, fmt.Errorf("letters: %w", err)
	}
	return NewEngine(lib, body, disp)
}

// Library returns the engine's template and method library.
func (e *Engine) Library() *Library { return e.lib }

// Printable reports whether r can be printed in a letter. Characters above
// U+FFFF (such as 𠮷) are printable when the font has them. The roster
// reader uses it to warn at import time.
func (e *Engine) Printable(r rune) bool {
	if r == ' ' {
		return true
	}
	if r < ' ' || (r >= puaBase && r < 0xF900) || (r >= 0xF0000) || unicode.Is(unicode.Cf, r) {
		return false
	}
	return e.fonts[fontDisplay].has(r) || e.fonts[fontBody].has(r)
}

// invisible characters (controls, zero-width and format characters) are
// dropped from names silently: they print as nothing either way.
func invisible(r rune) bool {
	return r != ' ' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r))
}

// missingMark stands in for a character the font cannot print: a visible
// blank for the teacher to write the character into by hand.
const missingMark = "＿"

// Attention is a letter the teacher must check or finish by hand: a field
// held characters the font cannot print, which were printed as ＿, or was
// too long and printed cut (Cut, as Printed).
type Attention struct {
	Index       int    // position of the letter in the input slice
	Ref         string // Letter.Ref
	StudentName string
	ClassName   string
	Field       string   // 学生姓名, 班级, 学校, 班主任 …
	Missing     []string // e.g. "U+30000"
	Cut         bool     // printed shortened, ending in …
	Printed     string   // with Cut: what the slip (or the letter) prints
	Message     string   // for the teacher, in Chinese
}

// CutNames are the attentions of names printed cut: what the letters'
// summary lists name by name.
func CutNames(att []Attention) []Attention {
	var out []Attention
	for _, a := range att {
		if a.Cut && a.Field == "学生姓名" {
			out = append(out, a)
		}
	}
	return out
}

// cutAttention records that the slip printed a field of letter i cut:
// a new attention, or the one that already reports the field too long.
func cutAttention(att []Attention, i int, l Letter, c cutField) []Attention {
	msg := fmt.Sprintf("%s“%s”太长，回执上只印出“%s”：请核对，必要时手写补全。", c.field, clip(l.fieldValue(c.field), maxFieldRunes), c.printed)
	for k := range att {
		if a := &att[k]; a.Index == i && a.Field == c.field && a.Cut {
			a.Printed = c.printed
			a.Message += fmt.Sprintf("回执上只印出“%s”。", c.printed)
			return att
		}
	}
	return append(att, Attention{Index: i, Ref: l.Ref, StudentName: l.StudentName, ClassName: l.ClassName,
		Field: c.field, Cut: true, Printed: c.printed, Message: msg})
}

// clean replaces unprintable characters in a field and reports them.
func (e *Engine) clean(field, s string, att func(field string, missing []string)) string {
	ok := true
	for _, r := range s {
		if !e.Printable(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	var missing []string
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			b.WriteByte(' ')
		case invisible(r):
		case e.Printable(r):
			b.WriteRune(r)
		default:
			b.WriteString(missingMark)
			missing = append(missing, fmt.Sprintf("U+%04X", r))
		}
	}
	if len(missing) > 0 {
		att(field, missing)
	}
	return b.String()
}

// cleanLetter returns the letter with every field printable.
func (e *Engine) cleanLetter(i int, l Letter, out *[]Attention) Letter {
	c := l
	att := func(field string, missing []string) {
		*out = append(*out, Attention{
			Index: i, Ref: l.Ref, StudentName: l.StudentName, ClassName: l.ClassName,
			Field: field, Missing: missing,
			Message: fmt.Sprintf("%s“%s”中有 %d 个字无法打印，已印成“%s”，请手写补上。", field, clip(l.fieldValue(field), maxFieldRunes), len(missing), missingMark),
		})
	}
	long := func(field, s string, max int) string {
		rs := []rune(s)
		if len(rs) <= max {
			return s
		}
		*out = append(*out, Attention{
			Index: i, Ref: l.Ref, StudentName: l.StudentName, ClassName: l.ClassName, Field: field, Cut: true, Printed: clip(s, max),
			Message: fmt.Sprintf("%s有 %d 个字，太长了，信上只印出前 %d 个字并以“…”结尾：请核对。", field, len(rs), max),
		})
		return clip(s, max)
	}
	c.StudentName = long("学生姓名", e.clean("学生姓名", l.StudentName, att), maxNameRunes)
	c.ClassName = long("班级", e.clean("班级", l.ClassName, att), maxFieldRunes)
	c.SchoolName = long("学校", e.clean("学校", l.SchoolName, att), maxFieldRunes)
	c.HeadTeacher = long("班主任", e.clean("班主任", l.HeadTeacher, att), maxNameRunes)
	c.SchoolPhone = long("学校电话", e.clean("学校电话", l.SchoolPhone, att), maxNameRunes)
	c.FeeRule = long("收费说明", e.clean("收费说明", l.FeeRule, att), maxFieldRunes)
	c.PoliceStation = long("派出所", e.clean("派出所", l.PoliceStation, att), maxFieldRunes)
	c.PolicePhone = long("派出所电话", e.clean("派出所电话", l.PolicePhone, att), maxNameRunes)
	c.Opening = e.clean("开头语", l.Opening, att)
	c.Token = strings.Map(func(r rune) rune {
		if r < 0x80 && r > ' ' {
			return r
		}
		return -1
	}, l.Token)
	return c
}

// clip shortens s to max characters, ending in "…": a message quotes a
// field, and a 2,000-character name must not make it a page long.
func clip(s string, max int) string {
	if rs := []rune(s); len(rs) > max {
		return string(rs[:max]) + "…"
	}
	return s
}

// Check lists what WriteLetters would report in Stats.Attention for ls
// (unprintable characters, fields too long, names and classes the slip
// cuts), without typesetting the letters: a page can show the teacher
// before anything is printed. opt is the options the letters will be
// printed with (large print changes what fits the slip).
func (e *Engine) Check(ls []Letter, opt ...Options) []Attention {
	var out []Attention
	s := newSetter(e)
	for i, l := range ls {
		c := e.cleanLetter(i, l, &out)
		large := l.LargePrint || len(opt) > 0 && opt[0].LargePrint
		sl := Slip{StudentName: c.StudentName, ClassName: c.ClassName, Token: c.Token}
		modules := 29
		if code, err := e.qr.encode(l.URL); err == nil {
			modules = code.Size
		}
		_, _, _, cut := s.slipFields(sl, s.geometry(theme(large), modules), theme(large))
		for _, f := range cut {
			out = cutAttention(out, i, l, f)
		}
	}
	return out
}

// Longest fields printed whole: a longer one (a note pasted into the name
// column) is cut, so that it cannot push the letter onto more pages.
const (
	maxNameRunes  = 30
	maxFieldRunes = 60
)

func (l Letter) fieldValue(field string) string {
	switch field {
	case "学生姓名":
		return l.StudentName
	case "班级":
		return l.ClassName
	case "学校":
		return l.SchoolName
	case "学校电话":
		return l.SchoolPhone
	case "收费说明":
		return l.FeeRule
	case "派出所":
		return l.PoliceStation
	case "派出所电话":
		return l.PolicePhone
	case "开头语":
		return l.Opening
	}
	return l.HeadTeacher
}
