package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/locale"
	"jiashu/assets"
	"jiashu/sms"
	"jiashu/store"
)

// templateSource is a folder of html/template files: files named _*.html are
// shared by all pages of the folder (layout, partials); each other *.html is
// a page, rendered by its file name (prefixed with the folder outside
// html/: "parent/letter.html"). A page starts with
// {{template "layout" .}} and defines "content" (and may define "head").
type templateSource struct {
	fsys fs.FS
	dir  string
}

// templateSources lists the folders of pages. Add a line for a part of the
// product that keeps its own templates (its own layout, too, if it likes).
func templateSources() []templateSource {
	return []templateSource{
		{assets.Web, "html"},
	}
}

// renderer holds the parsed pages per language (the "t" function is bound
// to a language at parse time, so no clone per request) and the versioned
// URLs of static files.
type renderer struct {
	pages  map[string]map[string]*template.Template // lang → page name → template
	static map[string]string                        // file name → /static/name?v=hash
}

func newRenderer(cat *locale.Catalogue, sources []templateSource) (*renderer, error) {
	r := &renderer{pages: map[string]map[string]*template.Template{}, static: map[string]string{}}
	err := fs.WalkDir(assets.Web, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets.Web, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "static/")
		r.static[name] = "/static/" + name + "?v=" + hex.EncodeToString(sum[:5])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("render: static: %w", err)
	}
	for _, lang := range cat.Langs() {
		r.pages[lang] = map[string]*template.Template{}
		for _, src := range sources {
			if err := r.parse(cat, lang, src); err != nil {
				return nil, err
			}
		}
	}
	return r, nil
}

func (r *renderer) parse(cat *locale.Catalogue, lang string, src templateSource) error {
	base := template.New("").Funcs(r.funcs(cat, lang))
	shared, err := fs.Glob(src.fsys, path.Join(src.dir, "_*.html"))
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	if len(shared) > 0 {
		if base, err = base.ParseFS(src.fsys, shared...); err != nil {
			return fmt.Errorf("render: %s: %w", src.dir, err)
		}
	}
	files, err := fs.Glob(src.fsys, path.Join(src.dir, "*.html"))
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	for _, f := range files {
		name := path.Base(f)
		if strings.HasPrefix(name, "_") {
			continue
		}
		if src.dir != "html" {
			name = src.dir + "/" + name // e.g. "parent/letter.html"
		}
		if _, dup := r.pages[lang][name]; dup {
			return fmt.Errorf("render: page %s is defined twice", name)
		}
		t, err := base.Clone()
		if err != nil {
			return fmt.Errorf("render: %w", err)
		}
		if t, err = t.ParseFS(src.fsys, f); err != nil {
			return fmt.Errorf("render: %s: %w", f, err)
		}
		r.pages[lang][name] = t.Lookup(path.Base(f))
	}
	return nil
}

// funcs are the template helpers, bound to one language.
func (r *renderer) funcs(cat *locale.Catalogue, lang string) template.FuncMap {
	return template.FuncMap{
		// t "key": the UI text of key in the page's language.
		"t": func(key string) string { return cat.T(lang, key) },
		// tf "key" args…: the text with fmt.Sprintf arguments.
		"tf": func(key string, args ...any) string { return cat.Tf(lang, key, args...) },
		// static "app.css": the file's URL with its content hash, cached for a year.
		"static": func(name string) string {
			if u, ok := r.static[name]; ok {
				return u
			}
			return "/static/" + name
		},
		"maskPhone": campaign.MaskPhone,
		"maskName":  campaign.MaskChildName,
		// monthDay: a stored day (2026-11-20) as 11月20日.
		"monthDay": campaign.MonthDay,
		// role: the role's name in the page's language.
		"role": func(role store.Role) string { return cat.T(lang, "role."+string(role)) },
		// yuan: fen as yuan with two decimals (1234 → 12.34).
		"yuan": sms.Yuan,
		// smsReason: why a text did not reach the phone, from its stable
		// reason key, in the page's language.
		"smsReason": func(key string) string {
			if cat.Own(lang, "sms.reason."+key) {
				return cat.T(lang, "sms.reason."+key)
			}
			return sms.Reason(key).Text()
		},
		// when: a time in China Standard Time, as people read it.
		"when": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(campaign.ChinaTime).Format("2006-01-02 15:04")
		},
	}
}

// page is what every template gets: the layout's needs plus the page's Data.
type page struct {
	Title     string
	Lang      string
	User      *store.User
	Path      string
	OtherLang string // the language the footer offers
	LangLink  string // this page in OtherLang
	Nav       []navItem
	// BaseURLWarning is the base URL when it leads nowhere (unset or this
	// machine), shown to the education center as a banner on every page.
	BaseURLWarning string
	// CampaignNotices: campaigns started since the user last looked
	// ("新的宣传活动已开始：…", campaign_choice.go).
	CampaignNotices []campaignNotice
	Data            any
}

// render writes the page name (e.g. "class.html") with data, titled title.
// The page is rendered to a buffer first, so a template error becomes a
// clean 500 rather than half a page.
func (s *Server) render(c *gin.Context, status int, name, title string, data any) error {
	lang := langOf(c)
	t := s.tmpl.pages[lang][name]
	if t == nil {
		return fmt.Errorf("web: render: no page %q", name)
	}
	other := locale.EN
	if lang == locale.EN {
		other = locale.ZH
	}
	p := page{Title: title, Lang: lang, User: currentUser(c), Path: c.Request.URL.Path,
		OtherLang: other, LangLink: locale.SwitchLink(c.Request.URL, other), Nav: navFor(c), Data: data,
		BaseURLWarning: s.baseURLWarning(c), CampaignNotices: notices(c)}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	return nil
}

// problem answers a refused or failed request in the form the caller reads:
// JSON ({"error":{code,message}}) under /api/, a plain page otherwise.
// messageKey is a catalogue key.
func (s *Server) problem(c *gin.Context, status int, code, messageKey string) {
	s.problemText(c, status, code, s.T(c, messageKey))
}

// problemText is problem with the message already written.
func (s *Server) problemText(c *gin.Context, status int, code, msg string) {
	if isAPI(c) {
		s.fail(c, status, code, msg)
		return
	}
	title := s.T(c, "problem.title")
	switch status {
	case http.StatusNotFound:
		title = s.T(c, "problem.title.not_found")
	case http.StatusForbidden:
		title = s.T(c, "problem.title.forbidden")
	case http.StatusServiceUnavailable:
		title = s.T(c, "problem.title.busy")
	}
	if err := s.render(c, status, "problem.html", title, msg); err != nil {
		s.internal(c, err)
	}
	c.Abort()
}

func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// serveStatic serves /static/* from the embedded files. A URL carrying the
// content hash (as the "static" helper writes it) is cached for a year.
func (s *Server) serveStatic(c *gin.Context) error {
	name := strings.TrimPrefix(c.Param("filepath"), "/")
	b, err := fs.ReadFile(assets.Web, path.Join("static", name))
	if err != nil || name == "" {
		c.Status(http.StatusNotFound)
		return nil
	}
	if u, ok := s.tmpl.static[name]; ok && c.Query("v") != "" && strings.HasSuffix(u, "?v="+c.Query("v")) {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "public, max-age=300")
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	c.Data(http.StatusOK, ct, b)
	return nil
}

// favicon: GET /favicon.ico, which browsers ask for by themselves: the
// site's icon (static/favicon.svg, which every page also links).
func (s *Server) favicon(c *gin.Context) error {
	b, err := fs.ReadFile(assets.Web, "static/favicon.svg")
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "public, max-age=86400")
	c.Data(http.StatusOK, "image/svg+xml", b)
	return nil
}

// initWeb loads the catalogue and the pages, once at start.
func (s *Server) initWeb() error {
	cat, err := locale.Load(assets.Web)
	if err != nil {
		return err
	}
	tmpl, err := newRenderer(cat, templateSources())
	if err != nil {
		return err
	}
	s.cat, s.tmpl = cat, tmpl
	return nil
}
