package main

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

// flushParentViews writes the letter views still batched in memory; serve
// calls it after the last request has finished.
func (s *server) flushParentViews() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.parent.opens.Flush(ctx)
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
func (p *parentSite) execute(pl *parentLang, name string, page *parentPage) ([]byte, error) {
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

// parentLangOf is the request's language for the parents' pages (?lang=,
// the cookie, else Chinese: locale.go).
func (s *server) parentLangOf(c *gin.Context) *parentLang {
	return s.parent.in(langOf(c))
}

// renderParent answers with a rendered parent template in the request's
// language, with a link to the same address in the other language.
func (s *server) renderParent(c *gin.Context, status int, name string, page *parentPage) {
	pl := s.parentLangOf(c)
	if pl.other != "" && page.LangLink == "" {
		page.LangLink = langSwitch(c, pl.other)
	}
	b, err := s.parent.execute(pl, name, page)
	if err != nil {
		s.log.Error("parent pages", "err", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte(pl.t("parent.error.text")))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", b)
}

// parentMessage answers with a short page saying what went wrong.
func (s *server) parentMessage(c *gin.Context, status int, key string, back bool) {
	pl := s.parentLangOf(c)
	s.renderParent(c, status, "message", &parentPage{Heading: pl.t(key + ".title"), Problem: pl.t(key + ".text"), Back: back})
	c.Abort()
}

// parentCSS serves the one stylesheet; its URL carries its hash.
func (s *server) parentCSS(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(http.StatusOK, "text/css; charset=utf-8", s.parent.css)
}

// parentCodeForm shows the form to type the code from the slip.
func (s *server) parentCodeForm(c *gin.Context) {
	s.renderParent(c, http.StatusOK, "code", &parentPage{})
}

// parentCodeSubmit looks up a typed code and opens its letter.
func (s *server) parentCodeSubmit(c *gin.Context) {
	p := s.parent
	if !s.parentSameOrigin(c) {
		return
	}
	ip := c.ClientIP()
	if p.limiter.Blocked(ip) {
		s.parentMessage(c, http.StatusTooManyRequests, "parent.limited", false)
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
			s.parentInternal(c, err)
			return
		}
	}
	if p.limiter.Fail(c.Request.Context(), ip) {
		s.parentMessage(c, http.StatusTooManyRequests, "parent.limited", false)
		return
	}
	if len(code) > 40 {
		code = code[:40]
	}
	pl := s.parentLangOf(c)
	s.renderParent(c, http.StatusNotFound, "code", &parentPage{
		Code: code, Problem: pl.t("parent.unknown.title") + pl.t("parent.sentence.end") + pl.t("parent.unknown.text")})
}

// parentLetter loads the letter of the :token parameter, answering 404 or
// 429 itself; ok is false when it has answered.
func (s *server) parentLetter(c *gin.Context) (store.ParentLetter, bool) {
	p := s.parent
	ip := c.ClientIP()
	if p.limiter.Blocked(ip) {
		s.parentMessage(c, http.StatusTooManyRequests, "parent.limited", false)
		return store.ParentLetter{}, false
	}
	token, ok := store.NormalizeToken(c.Param("token"))
	if ok {
		l, err := p.reader.ByToken(c.Request.Context(), token)
		if err == nil {
			return l, true
		}
		if !errors.Is(err, store.ErrNotFound) {
			s.parentInternal(c, err)
			return store.ParentLetter{}, false
		}
	}
	if p.limiter.Fail(c.Request.Context(), ip) {
		s.parentMessage(c, http.StatusTooManyRequests, "parent.limited", false)
	} else {
		s.parentMessage(c, http.StatusNotFound, "parent.unknown", true)
	}
	return store.ParentLetter{}, false
}

// parentInternal logs err and shows a calm message.
func (s *server) parentInternal(c *gin.Context, err error) {
	s.log.Error("parent pages", "path", c.Request.URL.Path, "err", err)
	s.parentMessage(c, http.StatusInternalServerError, "parent.error", false)
}

// parentSameOrigin refuses cross-site form posts (Sec-Fetch-Site/Origin, as
// net/http.CrossOriginProtection checks them). Requests from browsers that
// send neither, as some in-app browsers do, pass: the forms change nothing
// a repeat would not (acknowledging is idempotent), so there is no token.
func (s *server) parentSameOrigin(c *gin.Context) bool {
	if err := s.parent.origin.Check(c.Request); err != nil {
		s.parentMessage(c, http.StatusForbidden, "parent.forbidden", false)
		return false
	}
	return true
}

// letterFieldsOf returns the personal values shown for a letter.
func letterFieldsOf(l store.ParentLetter) letterFields {
	return letterFields{fieldStudent: maskChildName(l.StudentName), fieldClass: l.ClassName, fieldSchool: l.SchoolName,
		fieldTeacher: l.HeadTeacher, fieldToken: l.Token}
}

// composedLetter returns the cached letter of l's age group and dates.
func (s *server) composedLetter(l store.ParentLetter) (*cachedLetter, error) {
	k, date, deadline := s.letterKeyOf(l)
	return s.parent.letters.get(k, date, deadline)
}

// letterKeyOf says which cached letter serves l.
func (s *server) letterKeyOf(l store.ParentLetter) (letterKey, time.Time, time.Time) {
	ag := string(s.cfg.AgeGroups.Of(l.Grade))
	if ag == "" {
		ag = letters.PrimaryUpper // a class without a grade: the middle letter fits most
	}
	date := l.ProducedAt.In(chinaTime)
	deadline := ackDeadline(l.AckDeadline)
	key := letterKey{ageGroup: ag, date: letters.DateFormat(date), teacherKnow: strings.TrimSpace(l.HeadTeacher) != ""}
	if !deadline.IsZero() {
		key.deadline = l.AckDeadline
	}
	return key, date, deadline
}

// parentView shows a letter: GET /a/:token.
func (s *server) parentView(c *gin.Context) {
	l, ok := s.parentLetter(c)
	if !ok {
		return
	}
	p := s.parent
	p.opens.Record(l.LetterID, s.now())
	s.renderLetterPage(c, http.StatusOK, l, channelOf(c.Query("c")), "")
}

func (s *server) renderLetterPage(c *gin.Context, status int, l store.ParentLetter, channel, problem string) {
	f := letterFieldsOf(l)
	pl := s.parentLangOf(c)
	if !l.Acknowledged() && problem == "" {
		// The common case of an evening rush: the page is the same for
		// every letter of its kind but for the personal fields.
		k, date, deadline := s.letterKeyOf(l)
		pk := pageKey{letterKey: k, channel: channel, lang: pl.lang}
		pg, err := s.parent.letters.page(pk, func() ([]byte, error) {
			var markers letterFields
			copy(markers[:], fieldMarkers[:])
			return s.letterPage(pl, l, markers, k, date, deadline, channel, "")
		})
		if err != nil {
			s.parentInternal(c, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.Data(status, "text/html; charset=utf-8", []byte(pg.html(f)))
		return
	}
	k, date, deadline := s.letterKeyOf(l)
	b, err := s.letterPage(pl, l, f, k, date, deadline, channel, problem)
	if err != nil {
		s.parentInternal(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", b)
}

// letterPage renders the letter page of l in pl's language with the
// personal values f. Its language link is built from f's token (not the
// request's address), so the page can be cached with markers.
func (s *server) letterPage(pl *parentLang, l store.ParentLetter, f letterFields, k letterKey, date, deadline time.Time, channel, problem string) ([]byte, error) {
	p := s.parent
	cl, err := p.letters.get(k, date, deadline)
	if err != nil {
		return nil, err
	}
	base := "/a/" + f[fieldToken]
	page := &parentPage{
		Header:    &parentHeader{School: f[fieldSchool], Class: f[fieldClass], Student: f[fieldStudent]},
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
		page.AckedAt = pl.t("parent.ack.at") + l.AcknowledgedAt.In(chinaTime).Format(pl.t("parent.ack.at.layout"))
	}
	return p.execute(pl, "letter", page)
}

// parentAck records the acknowledgement: POST /a/:token. The redirect is
// sent only after the statement has committed.
func (s *server) parentAck(c *gin.Context) {
	if !s.parentSameOrigin(c) {
		return
	}
	l, ok := s.parentLetter(c)
	if !ok {
		return
	}
	p := s.parent
	channel := channelOf(c.PostForm("c"))
	if !l.Acknowledged() {
		relation := c.PostForm("relation")
		if !p.validRelation(relation) {
			s.renderLetterPage(c, http.StatusUnprocessableEntity, l, channel, s.parentLangOf(c).t("parent.ack.pick"))
			return
		}
		if _, err := s.acknowledge(c.Request.Context(), store.Ack{LetterID: l.LetterID, Channel: channel, Relation: relation, At: s.now()}); err != nil {
			s.parentInternal(c, err)
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
func (s *server) acknowledge(_ context.Context, a store.Ack) (bool, error) {
	return s.parent.acks.Acknowledge(a)
}

// parentQuiz shows the quiz of an acknowledged letter: GET /a/:token/quiz.
func (s *server) parentQuiz(c *gin.Context) {
	l, ok := s.parentLetter(c)
	if !ok {
		return
	}
	s.renderQuiz(c, http.StatusOK, l, "")
}

func (s *server) renderQuiz(c *gin.Context, status int, l store.ParentLetter, problem string) {
	base := "/a/" + l.Token
	if !l.Acknowledged() {
		c.Redirect(http.StatusSeeOther, base+"#ack")
		return
	}
	cl, err := s.composedLetter(l)
	if err != nil {
		s.parentInternal(c, err)
		return
	}
	if !l.QuizEnabled || l.QuizAnswered || len(cl.quiz) == 0 {
		c.Redirect(http.StatusSeeOther, base+"/thanks")
		return
	}
	f := letterFieldsOf(l)
	s.renderParent(c, status, "quiz", &parentPage{
		Header:  &parentHeader{School: l.SchoolName, Class: l.ClassName, Student: f[fieldStudent]},
		Quiz:    cl.questions(f),
		QuizURL: base + "/quiz", ThanksURL: base + "/thanks", Problem: problem,
	})
}

// parentQuizSubmit scores and records the answers: POST /a/:token/quiz.
func (s *server) parentQuizSubmit(c *gin.Context) {
	if !s.parentSameOrigin(c) {
		return
	}
	l, ok := s.parentLetter(c)
	if !ok {
		return
	}
	base := "/a/" + l.Token
	if !l.Acknowledged() || !l.QuizEnabled || l.QuizAnswered {
		c.Redirect(http.StatusSeeOther, base+"/thanks")
		return
	}
	cl, err := s.composedLetter(l)
	if err != nil {
		s.parentInternal(c, err)
		return
	}
	answers := make([]byte, len(cl.quiz))
	score := 0
	for i, q := range cl.quiz {
		a := c.PostForm("q" + string(rune('0'+i)))
		if len(a) != 1 || a[0] < 'A' || int(a[0]-'A') >= len(q.Options) {
			s.renderQuiz(c, http.StatusUnprocessableEntity, l, s.parentLangOf(c).t("parent.quiz.missing"))
			return
		}
		answers[i] = a[0]
		if int(a[0]-'A') == q.Answer {
			score++
		}
	}
	mu := &s.parent.ackWrite
	mu.Lock()
	_, err = s.store.SaveQuiz(c.Request.Context(), l.LetterID, string(answers), score)
	mu.Unlock()
	if err != nil {
		s.parentInternal(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, base+"/thanks")
}

// parentThanks thanks the family and explains the quiz: GET /a/:token/thanks.
func (s *server) parentThanks(c *gin.Context) {
	l, ok := s.parentLetter(c)
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
		cl, err := s.composedLetter(l)
		if err != nil {
			s.parentInternal(c, err)
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
	s.renderParent(c, http.StatusOK, "thanks", page)
}
