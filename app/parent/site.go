// Package parent is the parents' site: the letter page opened by the QR
// code, an SMS link or a typed code, the acknowledgement (committed in
// groups), the quiz, and the limit on unknown codes. Parents have no
// account: the token in the URL is the only key.
package parent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/app/content"
	"jiashu/app/locale"
	"jiashu/assets"
	"jiashu/grade"
	"jiashu/store"
)

// Site is the parents' pages and what they need besides the store:
// templates parsed once per language, the stylesheet, the letter cache, the
// rate limit on unknown codes and the batched recording of page views.
type Site struct {
	st        *store.Store
	log       *slog.Logger
	now       func() time.Time
	ageGroups grade.Mapping
	cat       *locale.Catalogue

	langs   map[string]*parentLang // by catalogue language; locale.ZH always present
	css     []byte
	cssURL  string // /a/parent.css?v=<hash>, so it can be cached for long
	letters *letterCache
	alerts  alertCache
	limiter *sharedFailLimiter
	opens   *openRecorder
	acks    *ackBatcher
	reader  *store.ParentReader
	origin  *http.CrossOriginProtection
}

// parentLang is the parents' pages in one language: the templates parsed
// with the catalogue's strings of that language built in.
type parentLang struct {
	lang  string
	other string // the language the page's link offers
	cat   *locale.Catalogue
	tmpl  *template.Template
}

// UnknownCodesPerMinute is the rate limit on unknown codes per client: more than it
// in a minute answers 429 for the rest of that minute.
const UnknownCodesPerMinute = 8

// relationKeys are the answers to "who is answering", in the order shown.
var relationKeys = [...]string{"father", "mother", "grandparents", "maternal", "other"}

// New builds the parents' site: it parses the embedded templates once per
// language of the catalogue that has parent pages. An error here is a
// broken build (the files are embedded), so it is reported at start. now
// is read at each call, so a clock set after start (as tests do) is the
// one used.
func New(st *store.Store, content *content.Engines, cat *locale.Catalogue, ageGroups grade.Mapping, now func() time.Time, log *slog.Logger) (*Site, error) {
	p := &Site{st: st, log: log, now: now, ageGroups: ageGroups, cat: cat, langs: map[string]*parentLang{}}
	for _, lang := range cat.Langs() {
		if lang != locale.ZH && !cat.Own(lang, "parent.title") {
			continue // a language without parent pages
		}
		pl := &parentLang{lang: lang, cat: cat}
		var err error
		if pl.tmpl, err = parseParentTemplates(cat, lang); err != nil {
			return nil, err
		}
		p.langs[lang] = pl
	}
	// The link offers English on Chinese pages and Chinese on the others.
	for l, pl := range p.langs {
		pl.other = locale.ZH
		if l == locale.ZH {
			pl.other = locale.EN
		}
		if p.langs[pl.other] == nil {
			pl.other = ""
		}
	}
	var err error
	p.css, err = fs.ReadFile(assets.Parent, "parent/parent.css")
	if err != nil {
		return nil, fmt.Errorf("parent: stylesheet: %w", err)
	}
	sum := sha256.Sum256(p.css)
	p.cssURL = "/a/parent.css?v=" + hex.EncodeToString(sum[:6])
	// One letter cache: the letter is the Chinese document of the PDF
	// whatever the page's language.
	p.letters = newLetterCache(content.Library, p.langs[locale.ZH].tmpl)
	logErr := func(err error) { log.Error("parent pages", "err", err) }
	p.limiter = newSharedFailLimiter(st, UnknownCodesPerMinute, now, logErr)
	p.origin = http.NewCrossOriginProtection()
	p.acks = newAckBatcher(st)
	if p.reader, err = st.NewParentReader(context.Background()); err != nil {
		return nil, fmt.Errorf("parent: %w", err)
	}
	p.opens = newOpenRecorder(st, 500*time.Millisecond, logErr)
	return p, nil
}

// Register adds the parents' routes: the letter by its token,
// acknowledgement, quiz and thanks; the form for a typed code.
func (p *Site) Register(r gin.IRouter) {
	r.GET("/a", p.codeForm)
	r.POST("/a", p.codeSubmit)
	r.GET("/a/parent.css", p.serveCSS)
	r.GET("/a/:token", p.view)
	r.POST("/a/:token", p.ack)
	r.GET("/a/:token/quiz", p.quiz)
	r.POST("/a/:token/quiz", p.quizSubmit)
	r.GET("/a/:token/thanks", p.thanks)
}

// FlushViews writes the letter views still batched in memory; serve calls
// it after the last request has finished.
func (p *Site) FlushViews() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p.opens.Flush(ctx)
}

// parseParentTemplates parses the parent templates with lang's strings
// built in; a key the catalogue lacks fails the render (and the tests).
func parseParentTemplates(cat *locale.Catalogue, lang string) (*template.Template, error) {
	funcs := template.FuncMap{
		"t": func(key string) (string, error) {
			s, ok := cat.Lookup(lang, key)
			if !ok {
				return "", fmt.Errorf("parent: no text for %q", key)
			}
			return s, nil
		},
		"inc":    func(i int) int { return i + 1 },
		"letter": func(i int) string { return string(rune('A' + i)) },
	}
	t, err := template.New("").Funcs(funcs).ParseFS(assets.Parent, "parent/*.html")
	if err != nil {
		return nil, fmt.Errorf("parent: templates: %w", err)
	}
	return t, nil
}

// in returns the pages in lang, or in Chinese when there are none in it.
func (p *Site) in(lang string) *parentLang {
	if pl := p.langs[lang]; pl != nil {
		return pl
	}
	return p.langs[locale.ZH]
}

// t returns a catalogue string of the language.
func (pl *parentLang) t(key string) string { return pl.cat.T(pl.lang, key) }

// relationChoice is one answer to "who is answering": the value stored is
// the Chinese word whatever the language the label is in.
type relationChoice struct{ Value, Label string }

// relations are the answers to "who is answering", labelled in pl's language.
func (p *Site) relations(pl *parentLang) []relationChoice {
	out := make([]relationChoice, len(relationKeys))
	for i, k := range relationKeys {
		out[i] = relationChoice{Value: p.cat.Zh("parent.relation." + k), Label: pl.t("parent.relation." + k)}
	}
	return out
}

// validRelation reports whether r is one of the stored relations (Chinese).
func (p *Site) validRelation(r string) bool {
	for _, k := range relationKeys {
		if p.cat.Zh("parent.relation."+k) == r {
			return true
		}
	}
	return false
}

// CSSURL is the address of the parents' stylesheet, with its hash.
func (p *Site) CSSURL() string { return p.cssURL }
