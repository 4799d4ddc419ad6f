package parent

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"jiashu/app/campaign"
	"jiashu/letters"
	"jiashu/store"
	"jiashu/store/storetest"
)

func TestParentLetterPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "")
	tok := f.tokens[0]
	rec := f.do(t, "GET", "/a/"+tok, nil, nil)
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, body)
	}
	t.Run("shows school, class and the masked name, never the full name", func(t *testing.T) {
		for _, want := range []string{"阳光实验小学", "三年级1班", "王*明"} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if strings.Contains(body, "王小明") {
			t.Error("page shows the child's full name")
		}
	})
	t.Run("shows the age group's letter with the promise never to ask for money or codes", func(t *testing.T) {
		for _, want := range []string{"致家长的一封信", "尊敬的王*明同学家长", "免费皮肤", "三不一多",
			"绝不会要求您付款", "银行卡号", "身份证号", "验证码", "不会让您下载安装任何软件", "李老师"} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
	})
	t.Run("offers one plain form with who is answering", func(t *testing.T) {
		if n := strings.Count(body, "<form"); n != 1 {
			t.Errorf("%d forms", n)
		}
		for _, rel := range []string{"父亲", "母亲", "祖父母", "外祖父母", "其他"} {
			if !strings.Contains(body, `value="`+rel+`"`) {
				t.Errorf("no choice %s", rel)
			}
		}
		if !strings.Contains(body, `method="post" action="/a/`+tok+`"`) {
			t.Error("form does not post to the letter")
		}
	})
	t.Run("is small, self-contained, with no inline script or style", func(t *testing.T) {
		css := f.do(t, "GET", f.site.CSSURL(), nil, nil)
		if css.Code != 200 || !strings.HasPrefix(css.Header().Get("Content-Type"), "text/css") {
			t.Fatalf("css: %d %s", css.Code, css.Header().Get("Content-Type"))
		}
		if total := len(body) + css.Body.Len(); total > 20<<10 {
			t.Errorf("page + css = %d bytes, want ≤ 20 KB", total)
		}
		if regexp.MustCompile(`(?i)<script|style=|<style|(src|href)="(https?:)?//`).MatchString(body) {
			t.Error("page has a script, inline style or external resource")
		}
		if m := regexp.MustCompile(`font:(\d+)px`).FindStringSubmatch(css.Body.String()); m == nil || m[1] < "18" {
			t.Errorf("base font %v, want ≥ 18px", m)
		}
	})
	t.Run("a name with markup is escaped", func(t *testing.T) {
		rec := f.do(t, "GET", "/a/"+f.tokens[3], nil, nil)
		if strings.Contains(rec.Body.String(), "<b>张") || !strings.Contains(rec.Body.String(), "&lt;*******伟") {
			t.Error("name markup not escaped")
		}
	})
}

func TestParentTokenSpellings(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "")
	tok := f.tokens[1]
	for _, spelling := range []string{strings.ToLower(tok), store.FormatToken(tok), url.PathEscape(tok[:4] + " " + tok[4:])} {
		t.Run(spelling+" opens the letter", func(t *testing.T) {
			if rec := f.do(t, "GET", "/a/"+spelling, nil, nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "李*") {
				t.Fatalf("status %d", rec.Code)
			}
		})
	}
	t.Run("a typed code redirects to the letter as typed channel", func(t *testing.T) {
		rec := f.do(t, "POST", "/a", url.Values{"code": {strings.ToLower(store.FormatToken(tok))}}, nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/a/"+tok+"?c=t" {
			t.Fatalf("%d %q", rec.Code, rec.Header().Get("Location"))
		}
	})
	t.Run("an unknown code answers 404 with a Chinese explanation", func(t *testing.T) {
		rec := f.do(t, "POST", "/a", url.Values{"code": {"ZZZZ-ZZZZ-ZZZZ"}}, nil)
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "没有找到这个确认码") {
			t.Fatalf("%d", rec.Code)
		}
		rec = f.do(t, "GET", "/a/ZZZZZZZZZZZZ", nil, nil)
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "没有找到这个确认码") {
			t.Fatalf("%d", rec.Code)
		}
	})
}

func TestParentRateLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "")
	// A fixed clock: the windows are whole minutes, and a test running
	// across a minute's end must not see its count start again.
	clock := time.Date(2026, 11, 20, 19, 30, 5, 0, campaign.ChinaTime)
	f.now = func() time.Time { return clock }
	// Clients are told apart by their address (no trusted proxies here).
	status := func(remote, target string, form url.Values) int {
		t.Helper()
		method := "GET"
		if form != nil {
			method = "POST"
		}
		return f.do(t, method, target, form, map[string]string{"RemoteAddr": remote}).Code
	}
	for i := 0; i < UnknownCodesPerMinute-1; i++ {
		if got := status("198.51.100.7:1234", "/a", url.Values{"code": {"ZZZZZZZZZZZ" + string(store.TokenAlphabet[i])}}); got != 404 {
			t.Fatalf("guess %d: %d, want 404", i+1, got)
		}
	}
	t.Run("past a few unknown codes a minute the client gets 429", func(t *testing.T) {
		if got := status("198.51.100.7:1234", "/a", url.Values{"code": {"ZZZZZZZZZZZZ"}}); got != 429 {
			t.Fatalf("got %d, want 429", got)
		}
		if got := status("198.51.100.7:1234", "/a/"+f.tokens[0], nil); got != 429 {
			t.Fatalf("a blocked client could still open a letter: %d", got)
		}
	})
	t.Run("other clients are not affected", func(t *testing.T) {
		if got := status("203.0.113.9:999", "/a/"+f.tokens[0], nil); got != 200 {
			t.Fatalf("got %d", got)
		}
	})
	t.Run("the window passes", func(t *testing.T) {
		clock = clock.Add(2 * time.Minute)
		if got := status("198.51.100.7:1234", "/a/"+f.tokens[0], nil); got != 200 {
			t.Fatalf("got %d", got)
		}
	})
}

func TestParentAcknowledgement(t *testing.T) {
	t.Parallel()
	for name, dsn := range storetest.DSNs(t) {
		t.Run(name, func(t *testing.T) { testParentAcknowledgement(t, newFixture(t, dsn)) })
	}
}

func testParentAcknowledgement(t *testing.T, f *fixture) {
	ctx := context.Background()
	tok := f.tokens[0]
	t.Run("without a relation nothing is recorded and the page asks for it", func(t *testing.T) {
		rec := f.do(t, "POST", "/a/"+tok, url.Values{"c": {"s"}}, nil)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "请先选择您与孩子的关系") {
			t.Fatalf("%d", rec.Code)
		}
		if l, _ := f.st.ParentLetterByToken(ctx, tok); l.Acknowledged() {
			t.Fatal("acknowledged without a relation")
		}
	})
	t.Run("a cross-site post is refused", func(t *testing.T) {
		rec := f.do(t, "POST", "/a/"+tok, url.Values{"relation": {"母亲"}}, map[string]string{"Sec-Fetch-Site": "cross-site"})
		if rec.Code < 400 {
			t.Fatalf("cross-site post answered %d", rec.Code)
		}
		if l, _ := f.st.ParentLetterByToken(ctx, tok); l.Acknowledged() {
			t.Fatal("a cross-site post acknowledged the letter")
		}
	})
	t.Run("acknowledging records channel and relation and leads to the quiz", func(t *testing.T) {
		rec := f.do(t, "POST", "/a/"+tok, url.Values{"relation": {"祖父母"}, "c": {"s"}}, map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/a/"+tok+"/quiz" {
			t.Fatalf("%d %q", rec.Code, rec.Header().Get("Location"))
		}
		l, _ := f.st.ParentLetterByToken(ctx, tok)
		if !l.Acknowledged() || l.AckChannel != store.ChannelSMS || l.AckRelation != "祖父母" || l.Status != store.StatusAcknowledged {
			t.Fatalf("%+v", l)
		}
	})
	t.Run("repeating the post keeps the first acknowledgement", func(t *testing.T) {
		before, _ := f.st.ParentLetterByToken(ctx, tok)
		rec := f.do(t, "POST", "/a/"+tok, url.Values{"relation": {"父亲"}, "c": {"q"}}, nil)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("%d", rec.Code)
		}
		after, _ := f.st.ParentLetterByToken(ctx, tok)
		if !after.AcknowledgedAt.Equal(before.AcknowledgedAt) || after.AckRelation != "祖父母" || after.AckChannel != store.ChannelSMS {
			t.Fatalf("repeat changed the record: %+v", after)
		}
		page := f.do(t, "GET", "/a/"+tok, nil, nil).Body.String()
		if !strings.Contains(page, "您已确认收到") || strings.Contains(page, "<form") {
			t.Error("an acknowledged letter still offers the form")
		}
	})
	t.Run("the quiz is scored, saved once and explained on the thanks page", func(t *testing.T) {
		quiz := f.do(t, "GET", "/a/"+tok+"/quiz", nil, nil)
		if quiz.Code != 200 || strings.Count(quiz.Body.String(), "<fieldset") != 3 {
			t.Fatalf("quiz page %d", quiz.Code)
		}
		if rec := f.do(t, "POST", "/a/"+tok+"/quiz", url.Values{"q0": {"B"}}, nil); rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("incomplete answers: %d", rec.Code)
		}
		// Answer the first two right and the last one wrong.
		key := quizKey(t, letters.PrimaryLower)
		answers := key[:2] + wrong(key[2])
		rec := f.do(t, "POST", "/a/"+tok+"/quiz", url.Values{"q0": {answers[0:1]}, "q1": {answers[1:2]}, "q2": {answers[2:3]}}, nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/a/"+tok+"/thanks" {
			t.Fatalf("%d %q", rec.Code, rec.Header().Get("Location"))
		}
		l, _ := f.st.ParentLetterByToken(ctx, tok)
		if l.QuizAnswers != answers || l.QuizScore != 2 {
			t.Fatalf("quiz %q %d", l.QuizAnswers, l.QuizScore)
		}
		thanks := f.do(t, "GET", "/a/"+tok+"/thanks", nil, nil).Body.String()
		for _, want := range []string{"谢谢您", "2 / 3", "正确答案：A.", "96110", "国家反诈中心", "110"} {
			if !strings.Contains(thanks, want) {
				t.Errorf("thanks page lacks %q", want)
			}
		}
	})
	t.Run("views are recorded as opened, first and last", func(t *testing.T) {
		tok := f.tokens[1]
		f.do(t, "GET", "/a/"+tok, nil, nil)
		f.site.FlushViews()
		l, _ := f.st.ParentLetterByToken(ctx, tok)
		if l.Status != store.StatusOpened || l.FirstOpenedAt.IsZero() || l.LastOpenedAt.IsZero() {
			t.Fatalf("%+v", l)
		}
	})
}

func TestConcurrentRepeatsRecordOneAcknowledgement(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "")
	tok := f.tokens[2]
	relations := []string{"父亲", "母亲", "祖父母", "外祖父母", "其他"}
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = f.do(t, "POST", "/a/"+tok, url.Values{"relation": {relations[i%5]}}, nil).Code
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusSeeOther {
			t.Fatalf("request %d: %d", i, c)
		}
	}
	var n int
	if err := f.st.DB().QueryRow(`SELECT COUNT(*) FROM letters WHERE acknowledged_at IS NOT NULL`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d acknowledged letters, want 1 (%v)", n, err)
	}
	l, _ := f.st.ParentLetterByToken(context.Background(), tok)
	if !l.Acknowledged() || !slices.Contains(relations, l.AckRelation) {
		t.Fatalf("%+v", l)
	}
}
