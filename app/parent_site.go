package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"

	"jiashu/assets"
	"jiashu/letters"
	"jiashu/store"
)

// parentSite is what the parents' pages need besides the store: templates
// parsed once, the stylesheet, the letter cache, the rate limit on unknown
// codes and the batched recording of page views. It is built once per
// server (see server.parentPages).
type parentSite struct {
	tmpl     *template.Template
	text     map[string]string // catalogue strings, zh-CN
	css      []byte
	cssURL   string // /a/parent.css?v=<hash>, so it can be cached for long
	lib      *letters.Library
	letters  *letterCache
	limiter  *sharedFailLimiter
	opens    *openRecorder
	acks     *ackBatcher
	reader   *store.ParentReader
	origin   *http.CrossOriginProtection
	sleep    func(time.Duration) // between gateway retries; tests replace it
	ackWrite sync.Mutex          // one writer per process: acknowledgements, quiz answers, opens
}

// parentLocale is the catalogue language of the parents' pages. Parents
// are addressed in Chinese whatever the staff's locale.
const parentLocale = "zh-CN"

// Rate limit on unknown codes per client: more than unknownCodesPerMinute
// in a minute answers 429 for the rest of that minute.
const unknownCodesPerMinute = 8

// newParentSite parses the embedded templates and catalogue. An error
// here is a broken build (the files are embedded), so it is reported at start.
func newParentSite(lib *letters.Library, st *store.Store, now func() time.Time, logErr func(error)) (*parentSite, error) {
	p := &parentSite{lib: lib, sleep: time.Sleep}
	raw, err := fs.ReadFile(assets.Web, "locales/"+parentLocale+"/parent.json")
	if err != nil {
		return nil, fmt.Errorf("parent pages: catalogue: %w", err)
	}
	if err := json.Unmarshal(raw, &p.text); err != nil {
		return nil, fmt.Errorf("parent pages: catalogue: %w", err)
	}
	funcs := template.FuncMap{
		"t": func(key string) (string, error) {
			s, ok := p.text[key]
			if !ok {
				return "", fmt.Errorf("parent pages: no text for %q", key)
			}
			return s, nil
		},
		"inc":    func(i int) int { return i + 1 },
		"letter": func(i int) string { return string(rune('A' + i)) },
	}
	p.tmpl, err = template.New("").Funcs(funcs).ParseFS(assets.Parent, "parent/*.html")
	if err != nil {
		return nil, fmt.Errorf("parent pages: templates: %w", err)
	}
	p.css, err = fs.ReadFile(assets.Parent, "parent/parent.css")
	if err != nil {
		return nil, fmt.Errorf("parent pages: stylesheet: %w", err)
	}
	sum := sha256.Sum256(p.css)
	p.cssURL = "/a/parent.css?v=" + hex.EncodeToString(sum[:6])
	p.letters = newLetterCache(lib, p.tmpl)
	p.limiter = newSharedFailLimiter(st, unknownCodesPerMinute, now, logErr)
	p.origin = http.NewCrossOriginProtection()
	// On SQLite one writer at a time per process (see ackBatcher); on
	// PostgreSQL the opens flush must not hold up acknowledgements.
	opensMu := &p.ackWrite
	if st.Dialect() != store.SQLite {
		opensMu = new(sync.Mutex)
	}
	p.acks = newAckBatcher(st, &p.ackWrite)
	if p.reader, err = st.NewParentReader(context.Background()); err != nil {
		return nil, fmt.Errorf("parent pages: %w", err)
	}
	p.opens = newOpenRecorder(st, opensMu, 500*time.Millisecond, logErr)
	return p, nil
}

// t returns a catalogue string (empty for an unknown key, which the
// templates would have rejected at the first render).
func (p *parentSite) t(key string) string { return p.text[key] }

// relations are the answers to "who is answering", stored as shown.
func (p *parentSite) relations() []string {
	keys := []string{"father", "mother", "grandparents", "maternal", "other"}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = p.t("parent.relation." + k)
	}
	return out
}

// validRelation reports whether r is one of the offered relations.
func (p *parentSite) validRelation(r string) bool {
	for _, v := range p.relations() {
		if v == r {
			return true
		}
	}
	return false
}

// maskChildName shows a child's name the way the page may: enough for the family
// to recognise it, not enough for a stranger holding a forwarded link.
// 王小明 → 王*明, 李华 → 李*, 欧阳小明 → 欧**明; a name with a middle dot
// keeps the dot: 买买提·艾力 → 买**·*力.
func maskChildName(name string) string {
	rs := []rune(strings.TrimSpace(name))
	switch len(rs) {
	case 0, 1:
		return string(rs)
	case 2:
		return string(rs[0]) + "*"
	}
	out := make([]rune, len(rs))
	for i, r := range rs {
		switch {
		case i == 0 || i == len(rs)-1:
			out[i] = r
		case r == '·' || r == '•' || r == '・' || r == '.':
			out[i] = '·'
		default:
			out[i] = '*'
		}
	}
	return string(out)
}
