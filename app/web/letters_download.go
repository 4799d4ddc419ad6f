package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiashu/app/content"
	"jiashu/letters"
	"jiashu/store"
)

const pdfType = "application/pdf"

// classLetters: GET /classes/:id/letters.pdf (and the same under /api/v1):
// one PDF with a letter per active student of the class, in the school's
// current campaign. Letters are issued on first download; a re-download
// prints the same codes.
func (s *Server) classLetters(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	return s.writeLetters(c, cl, nil, cl.Name+"-致家长的一封信.pdf")
}

// studentLetter: GET /students/:id/letter.pdf: one student's letter.
func (s *Server) studentLetter(c *gin.Context) error {
	id, err := s.idParam(c, "id")
	if err != nil {
		return err
	}
	st, cl, err := s.studentForUser(c, id)
	if err != nil {
		return err
	}
	return s.writeLetters(c, cl, []int64{st.ID}, cl.Name+"-"+st.Name+"-致家长的一封信.pdf")
}

// writeLetters issues the letters of the class's students (nil: all its
// active ones) in the school's campaign, from one store read, and answers
// the PDF. Every download is in the audit log: it is personal data.
func (s *Server) writeLetters(c *gin.Context, cl store.Class, studentIDs []int64, filename string) error {
	p, ls, err := s.build().Class(c.Request.Context(), s.now(), 0, cl.ID, studentIDs)
	if errors.Is(err, store.ErrAlreadyPurged) {
		return refuse(http.StatusConflict, "campaign_purged", "letters.error.purged")
	}
	var missing *content.MissingDetailsError
	if errors.As(err, &missing) {
		return refuseMsg(http.StatusConflict, "school_details_missing", missing.Error())
	}
	if err != nil {
		return err
	}
	if len(ls) == 0 {
		return refuse(http.StatusConflict, "no_students", "letters.error.no_students")
	}
	var buf bytes.Buffer
	stats, err := s.letters.WriteLetters(&buf, ls, letters.Options{})
	if err != nil {
		return err
	}
	for _, a := range stats.Attention {
		s.log.Warn("letter needs attention", "class", cl.ID, "attention", fmt.Sprintf("%+v", a))
	}
	s.audit(c, "letters_downloaded", fmt.Sprintf("class %d %s, campaign %d, %d letters", cl.ID, cl.Name, p.Campaign.ID, len(ls)))
	c.Header("Content-Disposition", "attachment; filename=\"letters-"+strconv.FormatInt(cl.ID, 10)+".pdf\"; filename*=UTF-8''"+url.PathEscape(filename))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, pdfType, buf.Bytes())
	return nil
}
