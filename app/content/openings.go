package content

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"jiashu/assets"
	"jiashu/grade"
	"jiashu/letters"
	"jiashu/store"
)

// A letter for its season (issue 19): a campaign may open every letter
// with a line that names its occasion (寒假将至，…). The lines are reviewed
// content: they live in a content version's openings.txt, go through the
// same lint, diff and second-person approval as the letters, and a
// campaign chooses one of its approved version's openings by name
// (app/campaign SetOpening), keeping its text as approved.

// OpeningsPath is the file of a version's opening lines.
const OpeningsPath = "openings.txt"

// Bounds of an opening: a name to pick it by, and a sentence or two that
// leaves the letter on its one page.
const (
	maxOpeningName = 8
	maxOpeningText = 80
)

// Opening is one opening line of a version.
type Opening struct {
	Name string `json:"name"` // 寒假
	Text string `json:"text"` // 寒假将至，……
	Line int    `json:"-"`    // its line in openings.txt
	// Version is the approved content version it was read from (0: the
	// embedded one), when a use case resolved it.
	Version int64 `json:"-"`
}

// ParseOpenings reads openings.txt: a line "名称：文字" per opening;
// comments (#) and blank lines are skipped. Every problem is a
// LintProblem of the file, with its line.
func ParseOpenings(src string) ([]Opening, Problems) {
	var out []Opening
	var probs Problems
	fail := func(line int, msg string) {
		probs = append(probs, LintProblem{File: OpeningsPath, Line: line, Severity: SeverityError, Message: msg})
	}
	for i, ln := range strings.Split(src, "\n") {
		ln = strings.TrimSpace(ln)
		if ln == "" || strings.HasPrefix(ln, "#") {
			continue
		}
		name, text, ok := cutColon(ln)
		name, text = strings.TrimSpace(name), strings.TrimSpace(text)
		switch {
		case !ok || name == "" || text == "":
			fail(i+1, "每条开头语写成“名称：文字”，如“寒假：寒假将至，……”")
		case len([]rune(name)) > maxOpeningName:
			fail(i+1, fmt.Sprintf("开头语的名称“%s”太长：请写在%d个字以内", name, maxOpeningName))
		case slices.ContainsFunc(out, func(o Opening) bool { return o.Name == name }):
			fail(i+1, fmt.Sprintf("已有名为“%s”的开头语：请换一个名称", name))
		case len([]rune(text)) > maxOpeningText:
			fail(i+1, fmt.Sprintf("开头语“%s”有%d个字：请写在%d个字以内", name, len([]rune(text)), maxOpeningText))
		default:
			out = append(out, Opening{Name: name, Text: text, Line: i + 1})
		}
	}
	return out, probs
}

// cutColon splits "名称：文字" at its first colon, full-width or ASCII.
func cutColon(s string) (string, string, bool) {
	i := strings.IndexAny(s, ":：")
	if i < 0 {
		return s, "", false
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return s[:i], s[i+size:], true
}

// FindOpening returns the opening named name.
func FindOpening(list []Opening, name string) (Opening, bool) {
	i := slices.IndexFunc(list, func(o Opening) bool { return o.Name == name })
	if i < 0 {
		return Opening{}, false
	}
	return list[i], true
}

// lintOpenings checks the version's openings with its engine: each is
// parsed, fills its placeholders for every family (letters.CheckText, and
// FillText for a class without head teacher in a school without details),
// and leaves every letter, ordinary and large print alike, on its pages
// (eng.Rooms).
func lintOpenings(files Files, eng *letters.Engine) Problems {
	src, ok := files[OpeningsPath]
	if !ok {
		return nil
	}
	list, out := ParseOpenings(src)
	for _, o := range list {
		add := func(msg string) {
			out = append(out, LintProblem{File: OpeningsPath, Line: o.Line, Severity: SeverityError, Message: msg})
		}
		if msg := OpeningFillProblem(o.Text); msg != "" {
			add(fmt.Sprintf("开头语“%s”：%s", o.Name, msg))
			continue
		}
		if msg, err := OpeningRoomProblem(eng, o.Text); err != nil {
			add(fmt.Sprintf("开头语“%s”无法排版：%v", o.Name, err))
		} else if msg != "" {
			add(fmt.Sprintf("开头语“%s”：%s", o.Name, msg))
		}
	}
	return out
}

// OpeningFillProblem says in Chinese why text cannot open every family's
// letter ("" when it can): an unknown placeholder or a stray brace, or
// one some family has no value for where the text offers no "||"
// fallback.
func OpeningFillProblem(text string) string {
	bare := letters.RoomLetters(letters.PrimaryLower)[1]
	bare.HeadTeacher = ""
	if _, err := letters.FillText(text, bare); err != nil {
		return strings.TrimPrefix(err.Error(), "letters: ") + "（有的班级没有班主任、有的学校没有填写学校信息）"
	}
	return ""
}

// OpeningRoomProblem says in Chinese which letters text would push past
// their page ("" when every letter still fits): the spare room every
// letter keeps (letters.MinSpareLines) is there for an opening line.
func OpeningRoomProblem(eng *letters.Engine, text string) (string, error) {
	rooms, err := eng.Rooms(text)
	if err != nil {
		return "", err
	}
	var over []string
	for _, r := range rooms {
		if r.SpareLines < 0 {
			over = append(over, fmt.Sprintf("%s的信超出一页约 %.1f 行", grade.AgeGroup(r.AgeGroup).Label(), -r.SpareLines))
		}
	}
	if len(over) == 0 {
		return "", nil
	}
	return "加上它，" + strings.Join(over, "，") + "：请缩短开头语，或删减信的文字。", nil
}

// Newest is the newest approved content version, 0 (the embedded one)
// when none is.
func (e *Engines) Newest(ctx context.Context) (int64, error) {
	v, err := e.store.LatestApprovedContent(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	return v.ID, err
}

// Openings returns the opening lines of an approved version (0: the
// embedded ones); a version without openings.txt has none.
func (e *Engines) Openings(ctx context.Context, id int64) ([]Opening, error) {
	if _, err := e.Approved(ctx, id); err != nil {
		return nil, err
	}
	var src string
	if id == 0 {
		b, err := assets.Letters.ReadFile("letters/" + OpeningsPath)
		if err != nil {
			return nil, fmt.Errorf("content: embedded openings: %w", err)
		}
		src = string(b)
	} else {
		files, err := e.store.ContentFiles(ctx, id)
		if err != nil {
			return nil, err
		}
		src = files[OpeningsPath]
	}
	list, probs := ParseOpenings(src)
	if len(probs) > 0 {
		return nil, fmt.Errorf("content: openings of version %d: line %d: %s", id, probs[0].Line, probs[0].Message)
	}
	return list, nil
}
