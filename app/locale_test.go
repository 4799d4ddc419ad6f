package main

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"jiashu/assets"
)

// TestCatalogue checks that every text a staff page asks for exists in
// Simplified Chinese and in English, so no page shows a bare key.
func TestCatalogue(t *testing.T) {
	cat, err := loadCatalogue(assets.Web)
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
	for _, lang := range []string{langZH, langEN} {
		t.Run(lang+" has every key the pages use", func(t *testing.T) {
			for k := range used {
				if _, ok := cat.texts[lang][k]; !ok {
					t.Errorf("%s: missing %q", lang, k)
				}
			}
		})
	}
	t.Run("an unknown key shows as itself, a missing English text falls back to Chinese", func(t *testing.T) {
		if got := cat.T(langEN, "no.such.key"); got != "no.such.key" {
			t.Errorf("T = %q", got)
		}
		cat.texts[langEN] = map[string]string{}
		if got := cat.T(langEN, "login.submit"); !strings.Contains(got, "登录") {
			t.Errorf("fallback = %q", got)
		}
	})
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{"13800001234": "138****1234", "": "", "12345": "*2345", "123": "***"} {
		if got := maskPhone(in); got != want {
			t.Errorf("maskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestParentCatalogueHasEnglish: every string of the parents' pages has an
// English text (the SMS wordings excepted: reminders go out in Chinese).
func TestParentCatalogueHasEnglish(t *testing.T) {
	cat, err := loadCatalogue(assets.Web)
	if err != nil {
		t.Fatal(err)
	}
	for k, zh := range cat.texts[langZH] {
		if !strings.HasPrefix(k, "parent.") && !strings.HasPrefix(k, "reminders.job.") {
			continue
		}
		en, ok := cat.texts[langEN][k]
		if !ok || en == "" || en == zh {
			t.Errorf("%s: no English text", k)
		}
	}
}

// TestEnglishPagesUseEnglishPunctuation: labels on the staff pages in English
// read "Campaign: …" and "School administrators: a, b", not with the Chinese
// full-width colon and enumeration comma.
func TestEnglishPagesUseEnglishPunctuation(t *testing.T) {
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	admin := newBrowser(t, f.srv.URL)
	admin.login("adminA")
	if r := admin.get("/classes/" + itoa(f.classA1) + "/letters.pdf"); r.Status != 200 {
		t.Fatalf("letters: %d", r.Status) // the class now has a campaign
	}
	for _, c := range []struct{ path, want string }{
		{"/classes/" + itoa(f.classA1) + "?lang=en", "Campaign: "},
		{"/schools/" + itoa(f.schoolA) + "?lang=en", "Campaign: "},
		{"/schools/" + itoa(f.schoolA) + "?lang=en", "School administrators: adminA老师"},
	} {
		t.Run(c.path+" shows "+c.want, func(t *testing.T) {
			r := admin.get(c.path)
			if r.Status != 200 || !strings.Contains(r.Body, c.want) || strings.Contains(r.Body, "：") {
				t.Errorf("status %d, %q missing or a full-width colon left", r.Status, c.want)
			}
		})
	}
	t.Run("the campaign page names the age groups in English", func(t *testing.T) {
		district := newBrowser(t, f.srv.URL)
		district.login("district")
		r := district.get("/campaigns/" + itoa(mustCampaign(t, f)) + "?lang=en")
		if r.Status != 200 || !strings.Contains(r.Body, "junior secondary") || strings.Contains(r.Body, "初中") {
			t.Errorf("status %d: age groups not in English", r.Status)
		}
	})
}
