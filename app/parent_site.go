package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"

	"jiashu/assets"
	"jiashu/letters"
	"jiashu/store"
)

// parentSite is what the parents' pages need besides the store: templates
// parsed once per language, the stylesheet, the letter cache, the rate
// limit on unknown codes and the batched recording of page views. It is
// built once per server, by newServer.
type parentSite struct {
	langs    map[string]*parentLang // by catalogue language; parentLocale always present
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

// parentLang is the parents' pages in one language: the catalogue strings
// (parent.json of the language over the Chinese ones) and the templates
// parsed with them built in.
type parentLang struct {
	lang  string
	other string // the language the page's link offers
	text  map[string]string
	tmpl  *template.Template
}

// parentLocale is the default language of the parents' pages and the only
// one of what is not UI: the letter and its quiz (from the Chinese letters
// library), the stored relations and the SMS texts.
const parentLocale = "zh-CN"

// Rate limit on unknown codes per client: more than unknownCodesPerMinute
// in a minute answers 429 for the rest of that minute.
const unknownCodesPerMinute = 8

// relationKeys are the answers to "who is answering", in the order shown.
var relationKeys = [...]string{"father", "mother", "grandparents", "maternal", "other"}

// newParentSite parses the embedded templates once per language of the
// catalogue. An error here is a broken build (the files are embedded), so
// it is reported at start.
func newParentSite(lib *letters.Library, st *store.Store, now func() time.Time, logErr func(error)) (*parentSite, error) {
	p := &parentSite{lib: lib, sleep: time.Sleep, langs: map[string]*parentLang{}}
	zh, err := readParentCatalogue(parentLocale)
	if err != nil {
		return nil, err
	}
	dirs, err := fs.ReadDir(assets.Web, "locales")
	if err != nil {
		return nil, fmt.Errorf("parent pages: catalogue: %w", err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		text := zh
		if d.Name() != parentLocale {
			own, err := readParentCatalogue(d.Name())
			if errors.Is(err, fs.ErrNotExist) {
				continue // a language without parent pages
			}
			if err != nil {
				return nil, err
			}
			text = maps.Clone(zh)
			maps.Copy(text, own)
		}
		pl := &parentLang{lang: d.Name(), text: text}
		if pl.tmpl, err = parseParentTemplates(text); err != nil {
			return nil, err
		}
		p.langs[pl.lang] = pl
	}
	// The link offers English on Chinese pages and Chinese on the others.
	for l, pl := range p.langs {
		pl.other = parentLocale
		if l == parentLocale {
			pl.other = langEN
		}
		if p.langs[pl.other] == nil {
			pl.other = ""
		}
	}
	p.css, err = fs.ReadFile(assets.Parent, "parent/parent.css")
	if err != nil {
		return nil, fmt.Errorf("parent pages: stylesheet: %w", err)
	}
	sum := sha256.Sum256(p.css)
	p.cssURL = "/a/parent.css?v=" + hex.EncodeToString(sum[:6])
	// One letter cache: the letter is the Chinese document of the PDF
	// whatever the page's language.
	p.letters = newLetterCache(lib, p.langs[parentLocale].tmpl)
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

// readParentCatalogue reads locales/<lang>/parent.json.
func readParentCatalogue(lang string) (map[string]string, error) {
	raw, err := fs.ReadFile(assets.Web, "locales/"+lang+"/parent.json")
	if err != nil {
		return nil, fmt.Errorf("parent pages: catalogue %s: %w", lang, err)
	}
	var text map[string]string
	if err := json.Unmarshal(raw, &text); err != nil {
		return nil, fmt.Errorf("parent pages: catalogue %s: %w", lang, err)
	}
	return text, nil
}

// parseParentTemplates parses the parent templates with text built in.
func parseParentTemplates(text map[string]string) (*template.Template, error) {
	funcs := template.FuncMap{
		"t": func(key string) (string, error) {
			s, ok := text[key]
			if !ok {
				return "", fmt.Errorf("parent pages: no text for %q", key)
			}
			return s, nil
		},
		"inc":    func(i int) int { return i + 1 },
		"letter": func(i int) string { return string(rune('A' + i)) },
	}
	t, err := template.New("").Funcs(funcs).ParseFS(assets.Parent, "parent/*.html")
	if err != nil {
		return nil, fmt.Errorf("parent pages: templates: %w", err)
	}
	return t, nil
}

// in returns the pages in lang, or in Chinese when there are none in it.
func (p *parentSite) in(lang string) *parentLang {
	if pl := p.langs[lang]; pl != nil {
		return pl
	}
	return p.langs[parentLocale]
}

// t returns a Chinese catalogue string: the texts that are not the page's
// UI (SMS texts, job messages for staff) are Chinese.
func (p *parentSite) t(key string) string { return p.langs[parentLocale].text[key] }

// t returns a catalogue string of the language (empty for an unknown key,
// which the templates would have rejected at the first render).
func (pl *parentLang) t(key string) string { return pl.text[key] }

// relationChoice is one answer to "who is answering": the value stored is
// the Chinese word whatever the language the label is in.
type relationChoice struct{ Value, Label string }

// relations are the answers to "who is answering", labelled in pl's language.
func (p *parentSite) relations(pl *parentLang) []relationChoice {
	zh := p.langs[parentLocale]
	out := make([]relationChoice, len(relationKeys))
	for i, k := range relationKeys {
		out[i] = relationChoice{Value: zh.t("parent.relation." + k), Label: pl.t("parent.relation." + k)}
	}
	return out
}

// validRelation reports whether r is one of the stored relations (Chinese).
func (p *parentSite) validRelation(r string) bool {
	zh := p.langs[parentLocale]
	for _, k := range relationKeys {
		if zh.t("parent.relation."+k) == r {
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
