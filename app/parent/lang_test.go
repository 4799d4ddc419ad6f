package parent

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestParentPagesInEnglish: the parents' pages speak English on ?lang=en
// or the cookie, around the Chinese letter and quiz, and store the Chinese
// relation whatever the language. (The staff site's middleware remembers
// the choice in the cookie: app/web/parent_site_test.go.)
func TestParentPagesInEnglish(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "")
	tok := f.tokens[0]
	en := map[string]string{"Cookie": "lang=en"}
	css := f.do(t, "GET", f.site.CSSURL(), nil, nil).Body.Len()
	small := func(t *testing.T, what, body string) {
		t.Helper()
		t.Logf("%s: %d bytes + %d css", what, len(body), css)
		if n := len(body) + css; n > 20<<10 {
			t.Errorf("%s: page + css = %d bytes, want ≤ 20 KB", what, n)
		}
	}

	t.Run("Chinese is the default, with a link to English", func(t *testing.T) {
		body := f.do(t, "GET", "/a/"+tok, nil, nil).Body.String()
		if !strings.Contains(body, `<html lang="zh-CN">`) || !strings.Contains(body, "我已阅读，确认收到") ||
			!strings.Contains(body, `href="/a/`+tok+`?c=q&amp;lang=en"`) || !strings.Contains(body, ">English</a>") {
			t.Fatalf("%.1500s", body)
		}
		small(t, "Chinese letter", body)
	})
	t.Run("?lang=en shows the UI in English around the Chinese letter, and remembers it", func(t *testing.T) {
		rec := f.do(t, "GET", "/a/"+tok+"?c=s&lang=en", nil, nil)
		body := rec.Body.String()
		for _, want := range []string{`<html lang="en">`, "Rest assured", "never asks you to pay", "I have read it — confirm receipt",
			"Please choose your relation to the child", " Father</label>", "Maternal grandparents",
			// The letter is the Chinese letter of the PDF, personalised.
			`<article class="letter" lang="zh-CN">`, "致家长的一封信", "王*明", "李老师",
			// The link back to Chinese keeps the channel and the real token.
			`href="/a/` + tok + `?c=s&amp;lang=zh-CN"`, ">中文</a>"} {
			if !strings.Contains(body, want) {
				t.Errorf("English page lacks %q", want)
			}
		}
		for _, zh := range []string{"我已阅读，确认收到", "请放心", " 父亲</label>"} {
			if strings.Contains(body, zh) {
				t.Errorf("English page shows the Chinese UI string %q", zh)
			}
		}
		small(t, "English letter", body)
		if again := f.do(t, "GET", "/a/"+tok, nil, en).Body.String(); !strings.Contains(again, `<html lang="en">`) {
			t.Error("the cookie does not keep English")
		}
	})
	t.Run("the choices post the Chinese relations", func(t *testing.T) {
		body := f.do(t, "GET", "/a/"+tok, nil, en).Body.String()
		for _, rel := range []string{"父亲", "母亲", "祖父母", "外祖父母", "其他"} {
			if !strings.Contains(body, `value="`+rel+`"`) {
				t.Errorf("no choice with value %s", rel)
			}
		}
	})
	t.Run("an English label posted as the relation is refused with an English prompt", func(t *testing.T) {
		rec := f.do(t, "POST", "/a/"+tok, url.Values{"relation": {"Father"}, "c": {"q"}}, en)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Please choose your relation to the child first") {
			t.Fatalf("%d %.500s", rec.Code, rec.Body.String())
		}
	})
	t.Run("acknowledging on the English page stores 外祖父母", func(t *testing.T) {
		rec := f.do(t, "POST", "/a/"+tok, url.Values{"relation": {"外祖父母"}, "c": {"q"}}, en)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("%d %.500s", rec.Code, rec.Body.String())
		}
		l, err := f.st.ParentLetterByToken(context.Background(), tok)
		if err != nil || !l.Acknowledged() || l.AckRelation != "外祖父母" {
			t.Fatalf("%+v %v", l, err)
		}
		page := f.do(t, "GET", "/a/"+tok, nil, en).Body.String()
		if !strings.Contains(page, "You have confirmed receipt") || !strings.Contains(page, "Confirmed at: ") || strings.Contains(page, "Confirmed at: 20") && strings.Contains(page, "年1") {
			t.Errorf("acknowledged page %.2000s", page)
		}
	})
	t.Run("the quiz is in Chinese under English headings, and small", func(t *testing.T) {
		body := f.do(t, "GET", "/a/"+tok+"/quiz", nil, en).Body.String()
		if !strings.Contains(body, "Anti-fraud quiz (3 questions)") || !strings.Contains(body, `<fieldset class="box q" lang="zh-CN">`) ||
			!strings.Contains(body, "Submit answers") || strings.Contains(body, "防骗小问答") {
			t.Fatalf("%.2000s", body)
		}
		small(t, "English quiz", body)
		small(t, "Chinese quiz", f.do(t, "GET", "/a/"+tok+"/quiz", nil, nil).Body.String())
	})
	t.Run("the thanks page is in English, with 96110", func(t *testing.T) {
		body := f.do(t, "GET", "/a/"+tok+"/thanks", nil, en).Body.String()
		if !strings.Contains(body, "Thank you!") || !strings.Contains(body, "96110") || strings.Contains(body, "谢谢您") {
			t.Fatalf("%.2000s", body)
		}
		small(t, "English thanks", body)
	})
	t.Run("the code form and an unknown code are in English", func(t *testing.T) {
		if body := f.do(t, "GET", "/a?lang=en", nil, nil).Body.String(); !strings.Contains(body, "Enter the code on the receipt slip") ||
			!strings.Contains(body, `href="/a?lang=zh-CN"`) {
			t.Fatalf("%.1500s", body)
		}
		rec := f.do(t, "POST", "/a", url.Values{"code": {"ZZZZ-ZZZZ-ZZZZ"}}, en)
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "This code was not found. Please check") {
			t.Fatalf("%d %.1500s", rec.Code, rec.Body.String())
		}
	})
	t.Run("an unknown language is Chinese", func(t *testing.T) {
		if body := f.do(t, "GET", "/a/"+f.tokens[1]+"?lang=fr", nil, nil).Body.String(); !strings.Contains(body, `<html lang="zh-CN">`) {
			t.Fatalf("%.500s", body)
		}
	})
}
