package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/letters"
	"jiashu/store"
)

const pdfType = "application/pdf"

// Letters are produced by an explicit act, never as the side effect of a
// GET (a prefetching browser, a crawler or a link preview must not issue
// codes): POST /classes/:id/letters (the class page's 生成家书 button) and
// POST /students/:id/letter issue the missing letters in the school's
// current campaign and answer the PDF at once, one click; the GETs
// /classes/:id/letters.pdf and /students/:id/letter.pdf re-print letters
// already issued, with the same codes, and say plainly when some must be
// generated first. The same four routes are under /api/v1. large_print=true
// (query or form) sets every letter in large print; a grandparent's
// grandchild gets it without asking (campaign.LargePrint).

// generateClassLetters: POST /classes/:id/letters.
func (s *Server) generateClassLetters(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	return s.writeLetters(c, cl, nil, true, cl.Name+"-致家长的一封信.pdf")
}

// classLetters: GET /classes/:id/letters.pdf: the class's letters already
// issued.
func (s *Server) classLetters(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	return s.writeLetters(c, cl, nil, false, cl.Name+"-致家长的一封信.pdf")
}

// generateStudentLetter: POST /students/:id/letter: issues one student's
// letter and answers it.
func (s *Server) generateStudentLetter(c *gin.Context) error {
	return s.studentLetterPDF(c, true)
}

// studentLetter: GET /students/:id/letter.pdf: one student's letter,
// already issued.
func (s *Server) studentLetter(c *gin.Context) error {
	return s.studentLetterPDF(c, false)
}

func (s *Server) studentLetterPDF(c *gin.Context, issue bool) error {
	id, err := s.idParam(c, "id")
	if err != nil {
		return err
	}
	st, cl, err := s.studentForUser(c, id)
	if err != nil {
		return err
	}
	return s.writeLetters(c, cl, []int64{st.ID}, issue, cl.Name+"-"+st.Name+"-致家长的一封信.pdf")
}

// writeLetters answers the PDF of the letters of the class's students (nil:
// all its active ones) in the campaign the page shows (campaign_choice.go),
// from one store read (campaign.Class): issuing the missing letters when
// issue is set, and otherwise refusing while any is missing. The PDF is
// written straight to the response: a class holds at most
// roster.MaxClassStudents students, so one document stays a few MB. Every
// download is in the audit log: it is personal data.
func (s *Server) writeLetters(c *gin.Context, cl store.Class, studentIDs []int64, issue bool, filename string) error {
	v, _, err := s.classView(c, cl, campaign.ClassQuery{Print: &store.PrintQuery{StudentIDs: studentIDs, Issue: issue}})
	if err != nil {
		return printRefusal(err)
	}
	ls, err := s.build().Print(c.Request.Context(), s.now(), v.Print)
	if err != nil {
		return err
	}
	if err := s.printable(c, v.Print, studentIDs, ls); err != nil {
		return err
	}
	c.Header("Content-Disposition", attachment("letters-"+strconv.FormatInt(cl.ID, 10)+".pdf", filename))
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Type", pdfType)
	c.Status(http.StatusOK)
	stats, err := s.letters.WriteLetters(c.Writer, ls, letters.Options{LargePrint: formBool(c, "large_print")})
	if err != nil {
		if c.Writer.Written() {
			// Halfway through the body: nothing can be said any more but
			// the log; the client sees a cut-off download.
			s.log.Error("letters: write PDF", "class", cl.ID, "err", err)
			c.Abort()
			return nil
		}
		for _, h := range []string{"Content-Disposition", "Content-Type"} { // no-store stays: the error is not kept either
			c.Writer.Header().Del(h)
		}
		return err
	}
	for _, a := range stats.Attention {
		s.log.Warn("letter needs attention", "class", cl.ID, "ref", a.Ref, "field", a.Field, "message", a.Message)
	}
	s.audit(c, "letters_downloaded", fmt.Sprintf("class %d %s, campaign %d, %d letters, %d large print", cl.ID, cl.Name, v.Print.Campaign.ID, len(ls), stats.LargePrint))
	return nil
}

// printRefusal says why a class's letters cannot be read: its campaign's
// personal data was purged.
func printRefusal(err error) error {
	if errors.Is(err, store.ErrAlreadyPurged) {
		return refuse(http.StatusConflict, "campaign_purged", "letters.error.purged")
	}
	return err
}

// printable refuses a print with no letter to write: letters not issued
// yet (a re-print), or no student.
func (s *Server) printable(c *gin.Context, p store.ClassPrint, studentIDs []int64, ls []letters.Letter) error {
	switch {
	case p.Missing > 0 && studentIDs != nil:
		return refuse(http.StatusConflict, "letter_not_generated", "letters.error.not_generated_one")
	case p.Missing > 0:
		return refuseMsg(http.StatusConflict, "letters_not_generated", s.Tf(c, "letters.error.not_generated", p.Missing))
	case len(ls) == 0:
		return refuse(http.StatusConflict, "no_students", "letters.error.no_students")
	}
	return nil
}
