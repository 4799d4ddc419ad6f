package parent

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"strings"
	"sync"
	"time"

	"jiashu/app/campaign"
	"jiashu/letters"
)

// The parent page shows the same letter as the PDF: letters.Template.Compose
// in the child's age-group version. Composing and rendering it for every
// view would cost more than the rest of the request, so the letter is
// composed and rendered once per (age group, dates, head teacher known)
// with markers in place of the personal bits, split at the markers, and
// each view only joins the pieces with the escaped personal values.

// Personal fields of a letter, as markers in the composed text: private-use
// characters, which neither templates nor names contain.
const (
	fieldStudent = iota
	fieldClass
	fieldSchool
	fieldTeacher
	fieldToken // only in cached whole pages, where it sits in URLs
	fieldAlert // the campaign's alert block: HTML, inserted as it is (alerts.go)
	fieldCount
)

// The token marker is ASCII because html/template percent-encodes other
// characters inside URLs; the letter texts are Chinese and cannot hold it.
var fieldMarkers = [fieldCount]string{"\uE000", "\uE001", "\uE002", "\uE003", "QZXJTOKENJXZQ", "\uE004"}

// letterKey identifies a cached letter.
type letterKey struct {
	version     int64 // the content version (approved) the letter shows
	ageGroup    string
	date        string // 2026年11月20日
	deadline    string // "" for the template's default
	teacherKnow bool   // signature lines naming the head teacher are kept
	// The school's details ({学校电话} …), the same for all its letters.
	schoolPhone, feeRule, policeStation, policePhone string
	// meeting is the day of the class's class meeting ({班会日期}), "" when
	// none is recorded: the same for all of a class's letters.
	meeting string
	// opening is the campaign's opening line, "" for none.
	opening string
}

// letterPiece is literal HTML followed by a personal field (or none, -1).
type letterPiece struct {
	html  string
	field int
}

// cachedLetter is a rendered letter split at the personal fields, and its
// quiz with markers still in the texts.
type cachedLetter struct {
	pieces []letterPiece
	size   int
	quiz   []letters.Question
}

// letterFields are the personal values of one view, already masked where
// they must be (the student's name).
type letterFields [fieldCount]string

// html joins the pieces with the escaped fields.
func (c *cachedLetter) html(f letterFields) template.HTML {
	var b strings.Builder
	b.Grow(c.size + 64)
	for _, p := range c.pieces {
		b.WriteString(p.html)
		if p.field == fieldAlert {
			b.WriteString(f[p.field]) // rendered by the alerts template
		} else if p.field >= 0 {
			template.HTMLEscape(&b, []byte(f[p.field]))
		}
	}
	return template.HTML(b.String())
}

// questions returns the quiz with the personal fields filled in (plain
// text: the page template escapes it).
func (c *cachedLetter) questions(f letterFields) []letters.Question {
	r := fieldReplacer(f)
	out := make([]letters.Question, len(c.quiz))
	for i, q := range c.quiz {
		q.Text, q.Explanation = r.Replace(q.Text), r.Replace(q.Explanation)
		opts := make([]string, len(q.Options))
		for j, o := range q.Options {
			opts[j] = r.Replace(o)
		}
		q.Options = opts
		out[i] = q
	}
	return out
}

func fieldReplacer(f letterFields) *strings.Replacer {
	pairs := make([]string, 0, 2*fieldCount)
	for i, m := range fieldMarkers {
		pairs = append(pairs, m, f[i])
	}
	return strings.NewReplacer(pairs...)
}

// letterCache holds the rendered letters. Entries are few (4 age groups ×
// the dates letters were produced on), so it only ever grows to a bound and
// then starts afresh.
type letterCache struct {
	lib  libraryOf
	tmpl *template.Template

	mu      sync.RWMutex
	entries map[letterKey]*cachedLetter
	pages   map[pageKey]*cachedLetter
}

// pageKey identifies a cached whole letter page (not yet acknowledged).
type pageKey struct {
	letterKey
	channel string
	lang    string
}

const letterCacheMax = 256

// libraryOf returns the library of an approved content version.
type libraryOf func(ctx context.Context, version int64) (*letters.Library, error)

func newLetterCache(lib libraryOf, tmpl *template.Template) *letterCache {
	return &letterCache{lib: lib, tmpl: tmpl, entries: map[letterKey]*cachedLetter{}, pages: map[pageKey]*cachedLetter{}}
}

// get returns the cached letter for the key, composing it on first use.
func (lc *letterCache) get(ctx context.Context, k letterKey, date, deadline time.Time) (*cachedLetter, error) {
	lc.mu.RLock()
	c, ok := lc.entries[k]
	lc.mu.RUnlock()
	if ok {
		return c, nil
	}
	lib, err := lc.lib(ctx, k.version)
	if err != nil {
		return nil, err
	}
	t, err := lib.Template(k.ageGroup)
	if err != nil {
		return nil, err
	}
	l := letters.Letter{
		AgeGroup:    k.ageGroup,
		StudentName: fieldMarkers[fieldStudent],
		ClassName:   fieldMarkers[fieldClass],
		SchoolName:  fieldMarkers[fieldSchool],
		Date:        date,
		Deadline:    deadline,
		SchoolPhone: k.schoolPhone, FeeRule: k.feeRule, PoliceStation: k.policeStation, PolicePhone: k.policePhone,
		MeetingDate: campaign.ChinaDay(k.meeting),
		Opening:     k.opening,
		// A screen: no write-in blank (＿＿＿（请记下）) is ever shown; the
		// text's next alternative, or 请向班主任询问, stands in for it.
		Web: true,
	}
	if k.teacherKnow {
		l.HeadTeacher = fieldMarkers[fieldTeacher]
	}
	doc := t.Compose(l)
	var buf bytes.Buffer
	if err := lc.tmpl.ExecuteTemplate(&buf, "letterbody", doc); err != nil {
		return nil, fmt.Errorf("parent pages: render letter %s: %w", k.ageGroup, err)
	}
	c = &cachedLetter{pieces: splitAtMarkers(buf.String()), size: buf.Len(), quiz: doc.Quiz}
	lc.mu.Lock()
	if len(lc.entries) >= letterCacheMax {
		lc.entries = map[letterKey]*cachedLetter{}
		lc.pages = map[pageKey]*cachedLetter{}
	}
	lc.entries[k] = c
	lc.mu.Unlock()
	return c, nil
}

// splitAtMarkers cuts rendered HTML at the field markers.
func splitAtMarkers(s string) []letterPiece {
	var out []letterPiece
	for {
		at, field := -1, -1
		for f, m := range fieldMarkers {
			if i := strings.Index(s, m); i >= 0 && (at < 0 || i < at) {
				at, field = i, f
			}
		}
		if at < 0 {
			return append(out, letterPiece{html: s, field: -1})
		}
		out = append(out, letterPiece{html: s[:at], field: field})
		s = s[at+len(fieldMarkers[field]):]
	}
}

// page returns the whole letter page of k (rendered by render with the
// field markers as values), split at the markers, rendering it on first use.
func (lc *letterCache) page(k pageKey, render func() ([]byte, error)) (*cachedLetter, error) {
	lc.mu.RLock()
	c, ok := lc.pages[k]
	lc.mu.RUnlock()
	if ok {
		return c, nil
	}
	b, err := render()
	if err != nil {
		return nil, err
	}
	c = &cachedLetter{pieces: splitAtMarkers(string(b)), size: len(b)}
	lc.mu.Lock()
	lc.pages[k] = c
	lc.mu.Unlock()
	return c, nil
}
