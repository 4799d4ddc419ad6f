package parent

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/locale"
	"jiashu/letters"
	"jiashu/store"
)

// The parents' pages (flows 3 and 4 of PRODUCT.md): /a/{token} shows the
// letter and takes the acknowledgement, /a takes a typed code. Parents
// have no account: the token in the URL is the only key, unknown codes are
// rate-limited per client, and every form is a plain POST that works
// without JavaScript and is safe to repeat (POST → commit → 303).

// parentPage is the data of every parent template.
type parentPage struct {
	Title    string
	Lang     string // the page's language (html lang)
	LangLink string // this page in the other language, "" for none
	LangTo   string // that language
	CSS      string
	Header   *parentHeader
	Problem  string

	// Letter page.
	Alerts    template.HTML // the campaign's new-scam alerts (alerts.go)
	Letter    template.HTML
	Acked     bool
	AckedAt   string
	QuizOpen  bool
	AckURL    string
	QuizURL   string
	ThanksURL string
	Relations []relationChoice
	Channel   string

	// Quiz and thanks pages.
	Quiz    []letters.Question
	Results []quizResult
	Score   int

	// Code and message pages.
	Code    string
	Heading string
	Back    bool
}

type parentHeader struct{ School, Class, Student string }

// quizResult is one answered question on the thanks page.
type quizResult struct {
	Text, Answer, Explanation string
	Right                     bool
}

// channelOf maps the c parameter of a link to the acknowledgement channel:
// c=s on SMS links, c=t after a typed code, nothing on the QR code.
func channelOf(c string) string {
	switch c {
	case "s":
		return store.ChannelSMS
	case "t":
		return store.ChannelTyped
	}
	return store.ChannelQR
}

// channelParam is the inverse of channelOf, for the form's hidden field.
func channelParam(channel string) string {
	switch channel {
	case store.ChannelSMS:
		return "s"
	case store.ChannelTyped:
		return "t"
	}
	return "q"
}

// execute renders a parent template of pl into a buffer, so a template
// error never sends half a page.
func (p *Site) execute(pl *parentLang, name string, page *parentPage) ([]byte, error) {
	page.CSS, page.Lang = p.cssURL, pl.lang
	if page.LangLink != "" {
		page.LangTo = pl.other
	}
	if page.Title == "" {
		page.Title = pl.t("parent.title")
	}
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	if err := pl.tmpl.ExecuteTemplate(&buf, name, page); err != nil {
		return nil, fmt.Errorf("parent pages: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// langOf is the request's language for the parents' pages (?lang=, the
// cookie, else Chinese; the staff site's middleware remembers a ?lang= in
// the cookie).
func (p *Site) langOf(c *gin.Context) *parentLang {
	ck, _ := c.Cookie(locale.Cookie)
	lang, _ := p.cat.Pick(c.Query("lang"), ck)
	return p.in(lang)
}

// render answers with a rendered parent template in the request's
// language, with a link to the same address in the other language.
func (p *Site) render(c *gin.Context, status int, name string, page *parentPage) {
	pl := p.langOf(c)
	if pl.other != "" && page.LangLink == "" {
		page.LangLink = locale.SwitchLink(c.Request.URL, pl.other)
	}
	b, err := p.execute(pl, name, page)
	if err != nil {
		p.log.Error("parent pages", "err", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte(pl.t("parent.error.text")))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", b)
}

// message answers with a short page saying what went wrong.
func (p *Site) message(c *gin.Context, status int, key string, back bool) {
	pl := p.langOf(c)
	p.render(c, status, "message", &parentPage{Heading: pl.t(key + ".title"), Problem: pl.t(key + ".text"), Back: back})
	c.Abort()
}

// serveCSS serves the one stylesheet; its URL carries its hash.
func (p *Site) serveCSS(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(http.StatusOK, "text/css; charset=utf-8", p.css)
}

// codeForm shows the form to type the code from the slip.
func (p *Site) codeForm(c *gin.Context) {
	p.render(c, http.StatusOK, "code", &parentPage{})
}

// codeSubmit looks up a typed code and opens its letter.
func (p *Site) codeSubmit(c *gin.Context) {
	if !p.sameOrigin(c) {
		return
	}
	ip := c.ClientIP()
	if p.limiter.Blocked(ip) {
		p.message(c, http.StatusTooManyRequests, "parent.limited", false)
		return
	}
	code := c.PostForm("code")
	token, ok := store.NormalizeToken(code)
	if ok {
		_, err := p.reader.ByToken(c.Request.Context(), token)
		if err == nil {
			c.Redirect(http.StatusSeeOther, "/a/"+token+"?c=t")
			return
		}
		if !errors.Is(err, store.ErrNotFound) {
			p.internal(c, err)
			return
		}
	}
	if p.limiter.Fail(c.Request.Context(), ip) {
		p.message(c, http.StatusTooManyRequests, "parent.limited", false)
		return
	}
	if len(code) > 40 {
		code = code[:40]
	}
	pl := p.langOf(c)
	p.render(c, http.StatusNotFound, "code", &parentPage{
		Code: code, Problem: pl.t("parent.unknown.title") + pl.t("parent.sentence.end") + pl.t("parent.unknown.text")})
}

// letter loads the letter of the :token parameter, answering 404 or
// 429 itself; ok is false when it has answered.
func (p *Site) letter(c *gin.Context) (store.ParentLetter, bool) {
	ip := c.ClientIP()
	if p.limiter.Blocked(ip) {
		p.message(c, http.StatusTooManyRequests, "parent.limited", false)
		return store.ParentLetter{}, false
	}
	token, ok := store.NormalizeToken(c.Param("token"))
	if ok {
		l, err := p.reader.ByToken(c.Request.Context(), token)
		if err == nil {
			return l, true
		}
		if !errors.Is(err, store.ErrNotFound) {
			p.internal(c, err)
			return store.ParentLetter{}, false
		}
	}
	if p.limiter.Fail(c.Request.Context(), ip) {
		p.message(c, http.StatusTooManyRequests, "parent.limited", false)
	} else {
		p.message(c, http.StatusNotFound, "parent.unknown", true)
	}
	return store.ParentLetter{}, false
}

// internal logs err and shows a calm message: a database too busy to
// answer (store.IsBusy, or a commit that ran out of time) is a 503 asking
// to try again in a moment, never a 500.
func (p *Site) internal(c *gin.Context, err error) {
	if store.IsBusy(err) || errors.Is(err, context.DeadlineExceeded) {
		p.log.Warn("parent pages: busy", "route", c.FullPath(), "err", err)
		c.Header("Retry-After", "5")
		p.message(c, http.StatusServiceUnavailable, "parent.busy", true)
		return
	}
	p.log.Error("parent pages", "route", c.FullPath(), "err", err) // the route, never the token
	p.message(c, http.StatusInternalServerError, "parent.error", false)
}

// sameOrigin refuses cross-site form posts (Sec-Fetch-Site/Origin, as
// net/http.CrossOriginProtection checks them). Requests from browsers that
// send neither, as some in-app browsers do, pass: the forms change nothing
// a repeat would not (acknowledging is idempotent), so there is no token.
func (p *Site) sameOrigin(c *gin.Context) bool {
	if err := p.origin.Check(c.Request); err != nil {
		p.message(c, http.StatusForbidden, "parent.forbidden", false)
		return false
	}
	return true
}

// letterFieldsOf returns the personal values shown for a letter.
func letterFieldsOf(l store.ParentLetter) letterFields {
	return letterFields{fieldStudent: campaign.MaskChildName(l.StudentName), fieldClass: l.ClassName, fieldSchool: l.SchoolName,
		fieldTeacher: l.HeadTeacher, fieldToken: l.Token}
}

// composedLetter returns the cached letter of l's age group and dates.
func (p *Site) composedLetter(ctx context.Context, l store.ParentLetter) (*cachedLetter, error) {
	k, date, deadline := p.letterKeyOf(l)
	return p.letters.get(ctx, k, date, deadline)
}

// letterKeyOf says which cached letter serves l.
func (p *Site) letterKeyOf(l store.ParentLetter) (letterKey, time.Time, time.Time) {
	ag := string(p.ageGroups.Of(l.Grade))
	if ag == "" {
		ag = letters.PrimaryUpper // a class without a grade: the middle letter fits most
	}
	date := l.ProducedAt.In(campaign.ChinaTime)
	deadline := campaign.AckDeadline(l.AckDeadline)
	key := letterKey{version: l.ContentVersionID, schoolPhone: l.SchoolPhone, feeRule: l.FeeRule,
		policeStation: l.PoliceStation, policePhone: l.PolicePhone, meeting: l.MeetingDay, ageGroup: ag, date: letters.DateFormat(date), teacherKnow: strings.TrimSpace(l.HeadTeacher) != "",
		opening: l.Opening}
	if !deadline.IsZero() {
		key.deadline = l.AckDeadline
	}
	return key, date, deadline
}

// view shows a letter: GET /a/:token.
func (p *Site) view(c *gin.Context) {
	l, ok := p.letter(c)
	if !ok {
		return
	}
	p.opens.Record(l.LetterID, p.now())
	p.renderLetterPage(c, http.StatusOK, l, channelOf(c.Query("c")), "")
}

func (p *Site) renderLetterPage(c *gin.Context, status int, l store.ParentLetter, channel, problem string) {
	f := letterFieldsOf(l)
	pl := p.langOf(c)
	alerts, err := p.alertsHTML(c.Request.Context(), pl, l)
	if err != nil {
		p.internal(c, err)
		return
	}
	f[fieldAlert] = string(alerts)
	if !l.Acknowledged() && problem == "" {
		// The common case of an evening rush: the page is the same for
		// every letter of its kind but for the personal fields.
		k, date, deadline := p.letterKeyOf(l)
		pk := pageKey{letterKey: k, channel: channel, lang: pl.lang}
		pg, err := p.letters.page(pk, func() ([]byte, error) {
			var markers letterFields
			copy(markers[:], fieldMarkers[:])
			return p.letterPage(c.Request.Context(), pl, l, markers, k, date, deadline, channel, "")
		})
		if err != nil {
			p.internal(c, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.Data(status, "text/html; charset=utf-8", []byte(pg.html(f)))
		return
	}
	k, date, deadline := p.letterKeyOf(l)
	b, err := p.letterPage(c.Request.Context(), pl, l, f, k, date, deadline, channel, problem)
	if err != nil {
		p.internal(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", b)
}

// letterPage renders the letter page of l in pl's language with the
// personal values f. Its language link is built from f's token (not the
// request's address), so the page can be cached with markers.
func (p *Site) letterPage(ctx context.Context, pl *parentLang, l store.ParentLetter, f letterFields, k letterKey, date, deadline time.Time, channel, problem string) ([]byte, error) {
	cl, err := p.letters.get(ctx, k, date, deadline)
	if err != nil {
		return nil, err
	}
	base := "/a/" + f[fieldToken]
	page := &parentPage{
		Header:    &parentHeader{School: f[fieldSchool], Class: f[fieldClass], Student: f[fieldStudent]},
		Alerts:    template.HTML(f[fieldAlert]), // the marker in a cached page
		Letter:    cl.html(f),
		Acked:     l.Acknowledged(),
		QuizOpen:  l.QuizEnabled && !l.QuizAnswered && len(cl.quiz) > 0,
		AckURL:    base,
		QuizURL:   base + "/quiz",
		ThanksURL: base + "/thanks",
		Relations: p.relations(pl),
		Channel:   channelParam(channel),
		Problem:   problem,
	}
	if pl.other != "" {
		page.LangLink = base + "?c=" + channelParam(channel) + "&lang=" + pl.other
	}
	if page.Acked {
		page.AckedAt = pl.t("parent.ack.at") + l.AcknowledgedAt.In(campaign.ChinaTime).Format(pl.t("parent.ack.at.layout"))
	}
	return p.execute(pl, "letter", page)
}

// ack records the acknowledgement: POST /a/:token. The redirect is
// sent only after the statement has committed.
func (p *Site) ack(c *gin.Context) {
	if !p.sameOrigin(c) {
		return
	}
	l, ok := p.letter(c)
	if !ok {
		return
	}
	channel := channelOf(c.PostForm("c"))
	if !l.Acknowledged() {
		relation := c.PostForm("relation")
		if !p.validRelation(relation) {
			p.renderLetterPage(c, http.StatusUnprocessableEntity, l, channel, p.langOf(c).t("parent.ack.pick"))
			return
		}
		if _, err := p.acknowledge(c.Request.Context(), store.Ack{LetterID: l.LetterID, Channel: channel, Relation: relation, At: p.now()}); err != nil {
			p.internal(c, err)
			return
		}
	}
	next := "/a/" + l.Token + "/thanks"
	if l.QuizEnabled && !l.QuizAnswered {
		next = "/a/" + l.Token + "/quiz"
	}
	c.Redirect(http.StatusSeeOther, next)
}

// acknowledge writes an acknowledgement through the group committer.
func (p *Site) acknowledge(_ context.Context, a store.Ack) (bool, error) {
	return p.acks.Acknowledge(a)
}

// quiz shows the quiz of an acknowledged letter: GET /a/:token/quiz.
func (p *Site) quiz(c *gin.Context) {
	l, ok := p.letter(c)
	if !ok {
		return
	}
	p.renderQuiz(c, http.StatusOK, l, "")
}

func (p *Site) renderQuiz(c *gin.Context, status int, l store.ParentLetter, problem string) {
	base := "/a/" + l.Token
	if !l.Acknowledged() {
		c.Redirect(http.StatusSeeOther, base+"#ack")
		return
	}
	cl, err := p.composedLetter(c.Request.Context(), l)
	if err != nil {
		p.internal(c, err)
		return
	}
	if !l.QuizEnabled || l.QuizAnswered || len(cl.quiz) == 0 {
		c.Redirect(http.StatusSeeOther, base+"/thanks")
		return
	}
	f := letterFieldsOf(l)
	p.render(c, status, "quiz", &parentPage{
		Header:  &parentHeader{School: l.SchoolName, Class: l.ClassName, Student: f[fieldStudent]},
		Quiz:    cl.questions(f),
		QuizURL: base + "/quiz", ThanksURL: base + "/thanks", Problem: problem,
	})
}

// quizSubmit scores and records the answers: POST /a/:token/quiz.
func (p *Site) quizSubmit(c *gin.Context) {
	if !p.sameOrigin(c) {
		return
	}
	l, ok := p.letter(c)
	if !ok {
		return
	}
	base := "/a/" + l.Token
	if !l.Acknowledged() || !l.QuizEnabled || l.QuizAnswered {
		c.Redirect(http.StatusSeeOther, base+"/thanks")
		return
	}
	cl, err := p.composedLetter(c.Request.Context(), l)
	if err != nil {
		p.internal(c, err)
		return
	}
	answers := make([]byte, len(cl.quiz))
	score := 0
	for i, q := range cl.quiz {
		a := c.PostForm("q" + string(rune('0'+i)))
		if len(a) != 1 || a[0] < 'A' || int(a[0]-'A') >= len(q.Options) {
			p.renderQuiz(c, http.StatusUnprocessableEntity, l, p.langOf(c).t("parent.quiz.missing"))
			return
		}
		answers[i] = a[0]
		if int(a[0]-'A') == q.Answer {
			score++
		}
	}
	mu := p.st.WriteLock()
	mu.Lock()
	_, err = p.st.SaveQuiz(c.Request.Context(), l.LetterID, string(answers), score)
	mu.Unlock()
	if err != nil {
		p.internal(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, base+"/thanks")
}

// thanks thanks the family and explains the quiz: GET /a/:token/thanks.
func (p *Site) thanks(c *gin.Context) {
	l, ok := p.letter(c)
	if !ok {
		return
	}
	if !l.Acknowledged() {
		c.Redirect(http.StatusSeeOther, "/a/"+l.Token+"#ack")
		return
	}
	f := letterFieldsOf(l)
	page := &parentPage{Header: &parentHeader{School: l.SchoolName, Class: l.ClassName, Student: f[fieldStudent]}}
	if l.QuizAnswered {
		cl, err := p.composedLetter(c.Request.Context(), l)
		if err != nil {
			p.internal(c, err)
			return
		}
		for i, q := range cl.questions(f) {
			r := quizResult{Text: q.Text, Explanation: q.Explanation}
			if q.Answer >= 0 && q.Answer < len(q.Options) {
				r.Answer = string(rune('A'+q.Answer)) + ". " + q.Options[q.Answer]
			}
			r.Right = i < len(l.QuizAnswers) && int(l.QuizAnswers[i]-'A') == q.Answer
			page.Results = append(page.Results, r)
		}
		page.Score = l.QuizScore
	}
	p.render(c, http.StatusOK, "thanks", page)
}
