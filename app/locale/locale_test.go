package locale

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"jiashu/assets"
	"jiashu/letters"
)

// TestCatalogue checks that every text a staff page asks for exists in
// Simplified Chinese and in English, so no page shows a bare key.
func TestCatalogue(t *testing.T) {
	t.Parallel()
	cat, err := Load(assets.Web)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	keyRE := regexp.MustCompile(`\{\{-?\s*(?:t|tf)\s+"([^"]+)"`)
	fs.WalkDir(assets.Web, "html", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(assets.Web, p)
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		return nil
	})
	for _, role := range []string{"district_admin", "reviewer", "school_admin", "teacher"} {
		used["role."+role] = true
	}
	if len(used) < 50 {
		t.Fatalf("found only %d keys in the templates", len(used))
	}
	for _, lang := range []string{ZH, EN} {
		t.Run(lang+" has every key the pages use", func(t *testing.T) {
			for k := range used {
				if _, ok := cat.texts[lang][k]; !ok {
					t.Errorf("%s: missing %q", lang, k)
				}
			}
		})
	}
	t.Run("an unknown key shows as itself, a missing English text falls back to Chinese", func(t *testing.T) {
		if got := cat.T(EN, "no.such.key"); got != "no.such.key" {
			t.Errorf("T = %q", got)
		}
		cat.texts[EN] = map[string]string{}
		if got := cat.T(EN, "login.submit"); !strings.Contains(got, "登录") {
			t.Errorf("fallback = %q", got)
		}
	})
}

// TestParentCatalogueHasEnglish: every string of the parents' pages has an
// English text (the SMS wordings excepted: reminders go out in Chinese).
func TestParentCatalogueHasEnglish(t *testing.T) {
	t.Parallel()
	cat, err := Load(assets.Web)
	if err != nil {
		t.Fatal(err)
	}
	for k, zh := range cat.texts[ZH] {
		if !strings.HasPrefix(k, "parent.") && !strings.HasPrefix(k, "reminders.job.") {
			continue
		}
		en, ok := cat.texts[EN][k]
		if !ok || en == "" || en == zh {
			t.Errorf("%s: no English text", k)
		}
	}
}

// TestEveryPlaceholderHasAName: the editor names every placeholder a letter
// may use, and the school details page every one a school fills in, in
// both languages — never a bare key such as content.ph.{班会日期}.
func TestEveryPlaceholderHasAName(t *testing.T) {
	t.Parallel()
	cat, err := Load(assets.Web)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{ZH, EN} {
		for _, p := range letters.Placeholders() {
			if k := "content.ph." + p; cat.T(lang, k) == k {
				t.Errorf("%s: %s has no name", lang, k)
			}
		}
		for _, p := range letters.SchoolDetailPlaceholders() {
			if k := "details.ph." + p; cat.T(lang, k) == k {
				t.Errorf("%s: %s has no name", lang, k)
			}
		}
	}
}
