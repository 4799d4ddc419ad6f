// Package locale is the one catalogue of UI strings, staff and parent pages
// alike, per language, read from the embedded locales/<lang>/*.json, and
// the rule that picks a request's language.
package locale

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"
)

// The UI's languages: Simplified Chinese is the product's language and the
// fallback for every key; English is selectable with ?lang=en or the cookie.
const (
	ZH      = "zh-CN"
	EN      = "en"
	Default = ZH
	// Cookie remembers a language chosen with ?lang=.
	Cookie = "lang"
)

// Catalogue holds every UI string, per language. It is read from
// locales/<lang>/*.json: each file a flat JSON object of key → text, all
// files of a language merged, so each part of the product (common, parent,
// …) keeps its strings in its own file. A key given twice is an error.
type Catalogue struct {
	texts map[string]map[string]string // lang → key → text
}

// Load reads the catalogue from fsys (rooted where locales/ is).
func Load(fsys fs.FS) (*Catalogue, error) {
	cat := &Catalogue{texts: map[string]map[string]string{}}
	langs, err := fs.ReadDir(fsys, "locales")
	if err != nil {
		return nil, fmt.Errorf("locale: %w", err)
	}
	for _, l := range langs {
		if !l.IsDir() {
			continue
		}
		lang := l.Name()
		files, err := fs.Glob(fsys, path.Join("locales", lang, "*.json"))
		if err != nil {
			return nil, fmt.Errorf("locale: %w", err)
		}
		sort.Strings(files)
		m := map[string]string{}
		for _, f := range files {
			b, err := fs.ReadFile(fsys, f)
			if err != nil {
				return nil, fmt.Errorf("locale: %w", err)
			}
			var part map[string]string
			if err := json.Unmarshal(b, &part); err != nil {
				return nil, fmt.Errorf("locale: %s: %w", f, err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					return nil, fmt.Errorf("locale: %s: key %q is defined twice for %s", f, k, lang)
				}
				m[k] = v
			}
		}
		cat.texts[lang] = m
	}
	if len(cat.texts[Default]) == 0 {
		return nil, fmt.Errorf("locale: no %s strings under locales/%s", Default, Default)
	}
	return cat, nil
}

// Langs lists the languages of the catalogue, the default first.
func (cat *Catalogue) Langs() []string {
	out := []string{Default}
	for l := range cat.texts {
		if l != Default {
			out = append(out, l)
		}
	}
	sort.Strings(out[1:])
	return out
}

// Lookup returns the text of key in lang, falling back to Simplified
// Chinese; ok is false when neither has it.
func (cat *Catalogue) Lookup(lang, key string) (string, bool) {
	if v, ok := cat.texts[lang][key]; ok {
		return v, true
	}
	v, ok := cat.texts[Default][key]
	return v, ok
}

// Own reports whether lang itself (not the fallback) has key.
func (cat *Catalogue) Own(lang, key string) bool {
	_, ok := cat.texts[lang][key]
	return ok
}

// T returns the text of key in lang, falling back to Simplified Chinese and
// then to the key itself (so a missing string shows, and a test finds it).
func (cat *Catalogue) T(lang, key string) string {
	if v, ok := cat.Lookup(lang, key); ok {
		return v
	}
	return key
}

// Tf is T formatted with fmt.Sprintf verbs.
func (cat *Catalogue) Tf(lang, key string, args ...any) string {
	return fmt.Sprintf(cat.T(lang, key), args...)
}

// Has reports whether lang is a language of the catalogue.
func (cat *Catalogue) Has(lang string) bool {
	_, ok := cat.texts[lang]
	return ok
}

// Zh returns the Chinese text of key: what is not a page's UI (SMS texts,
// job messages) is Chinese whatever the reader's language.
func (cat *Catalogue) Zh(key string) string { return cat.T(Default, key) }

// Pick chooses a request's language: query (?lang=) when it names a
// language of the catalogue (remember is then true: set the cookie), else
// the cookie's, else Simplified Chinese.
func (cat *Catalogue) Pick(query, cookie string) (lang string, remember bool) {
	if query != "" && cat.Has(query) {
		return query, true
	}
	if cookie != "" && cat.Has(cookie) {
		return cookie, false
	}
	return Default, false
}

// SwitchLink is the address u in language to, for a page's language link.
func SwitchLink(u *url.URL, to string) string {
	q := u.Query()
	q.Set("lang", to)
	return u.Path + "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
}
