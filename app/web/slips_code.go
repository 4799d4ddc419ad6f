package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// A paper slip recorded by its code: the teacher types the code printed on
// the slip (7KQ2-XP9M-4TRW) or scans its QR code with a scanner that types
// the link (…/a/7KQ2XP9M4TRW). The code names the exact letter, so the slip
// counts for the campaign it was printed for, whichever campaign the page
// shows; the page then shows that campaign.

// slipCodeToken finds the letter code in what was typed or scanned.
func slipCodeToken(input string) (string, bool) {
	input = strings.TrimSpace(input)
	if i := strings.LastIndex(input, "/a/"); i >= 0 {
		input = input[i+len("/a/"):]
		if j := strings.IndexAny(input, "?#/"); j >= 0 {
			input = input[:j]
		}
	}
	return store.NormalizeToken(input)
}

// slipsCode records one slip: POST /classes/:id/slips/code (code). The
// letter must be of a student of this class; anything else is one plain
// refusal, so codes of other classes cannot be probed.
func (s *Server) slipsCode(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	back := func(campaignID int64, q string) error {
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/classes/%d/slips?campaign=%d&%s#slip-code", cl.ID, campaignID, q))
		return nil
	}
	shown, _ := requestedCampaign(c)
	token, ok := slipCodeToken(c.PostForm("code"))
	if !ok {
		return back(shown, "code=bad")
	}
	lv, err := s.store.LetterByToken(c.Request.Context(), token)
	if errors.Is(err, store.ErrNotFound) || err == nil && lv.Student.ClassID != cl.ID {
		return back(shown, "code=other")
	}
	if err != nil {
		return err
	}
	u := currentUser(c)
	first, err := s.store.Acknowledge(c.Request.Context(), store.Ack{LetterID: lv.Letter.ID, Channel: store.ChannelPaper, EnteredBy: u.ID})
	if err != nil {
		return err
	}
	outcome := "dup"
	if first {
		outcome = "ok"
		s.audit(c, "paper_slips", fmt.Sprintf("class %d campaign %d: +1 by code, letter %d", cl.ID, lv.Campaign.ID, lv.Letter.ID))
	}
	return back(lv.Campaign.ID, fmt.Sprintf("code=%s&student=%d", outcome, lv.Student.ID))
}

// slipCodeNotice puts the outcome of a slip code (from the redirect) on the
// page: the student's name comes from the page's own rows, never the URL.
func (s *Server) slipCodeNotice(c *gin.Context, v *slipsView) {
	name := ""
	if id, err := strconv.ParseInt(c.Query("student"), 10, 64); err == nil {
		for _, r := range v.Rows {
			if r.StudentID == id {
				name = r.Name
			}
		}
	}
	switch c.Query("code") {
	case "ok":
		if name != "" {
			v.Notice = s.Tf(c, "slips.code.saved", name, v.Campaign)
		}
	case "dup":
		if name != "" {
			v.Notice = s.Tf(c, "slips.code.already", name, v.Campaign)
		}
	case "bad":
		v.Error = s.T(c, "slips.code.bad")
	case "other":
		v.Error = s.T(c, "slips.code.other")
	}
}
