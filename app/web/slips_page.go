package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/jobs"
	"jiashu/store"
)

// The paper-slip page (flow 4): the class's students with their status and
// a checkbox each; ticking the returned slips and saving once records paper
// acknowledgements entered by the user, unticking undoes a paper one. It
// also offers the class's reminder list (reminders_*.go).

// slipRowView is one student on the page.
type slipRowView struct {
	StudentID int64
	Number    string
	Name      string
	Status    string
	NoLetter  bool // no letter produced for the student in the campaign
	Online    bool // the family acknowledged themselves: shown, never changed
	Paper     bool // a paper slip is recorded
}

// slipsView is the page's data.
type slipsView struct {
	ClassID    int64
	ClassName  string
	CampaignID int64
	Campaign   string
	Rows       []slipRowView
	Pending    int  // guardians a reminder would go to
	Sends      bool // an SMS provider is configured
	// Letters and NoLetter count the class's active students with and
	// without a letter in the campaign: only the first can be reminded.
	Letters, NoLetter int
	// The class's texts in the campaign, newest first, and how they went.
	Texts    []store.TextRow
	Delivery deliveryView
	Notice   string
	Error    string          // a refused slip code (slips_code.go)
	Choice   *campaignChoice // the campaign shown and the school's others
}

// classCampaign returns the campaign the class's pages show: the one the
// request names (?campaign= or a form's campaign field), else the school's
// default (campaign_choice.go). ok is false with no error when the school
// has none.
func (s *Server) classCampaign(c *gin.Context, cl store.Class) (store.Campaign, bool, error) {
	v, _, err := s.classView(c, cl, campaign.ClassQuery{})
	return v.Campaign, v.HasCampaign, err
}

// slipsPage shows the class's paper slips: GET /classes/:id/slips.
func (s *Server) slipsPage(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	v := slipsView{ClassID: cl.ID, ClassName: cl.Name, Sends: s.cfg.SMSSends()}
	cv, choice, err := s.classView(c, cl, campaign.ClassQuery{Slips: true})
	if err != nil {
		return err
	}
	if cv.HasCampaign {
		v.CampaignID, v.Campaign, v.Choice, v.Pending = cv.Campaign.ID, cv.Campaign.Name, choice, cv.Pending
		for _, r := range cv.Slips {
			if r.LetterID == 0 {
				v.NoLetter++
			} else {
				v.Letters++
			}
			v.Rows = append(v.Rows, slipRowView{StudentID: r.StudentID, Number: r.Number, Name: r.Name, Status: r.Status,
				NoLetter: r.LetterID == 0, Online: !r.AcknowledgedAt.IsZero() && !r.Paper(), Paper: r.Paper()})
		}
		if err := s.classTexts(c, cv.Campaign.ID, cl.ID, &v); err != nil {
			return err
		}
	}
	if a, err := strconv.Atoi(c.Query("added")); err == nil {
		r, _ := strconv.Atoi(c.Query("removed"))
		v.Notice = s.cat.Tf(langOf(c), "slips.saved", a, r)
	}
	if n := c.Query("notice"); n != "" {
		v.Notice = n
	}
	s.slipCodeNotice(c, &v)
	return s.render(c, http.StatusOK, "slips.html", s.T(c, "slips.title"), v)
}

// slipsSave records the ticked slips: POST /classes/:id/slips with a
// "returned" value per ticked student. Saving the same form twice changes
// nothing the second time.
func (s *Server) slipsSave(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	camp, ok, err := s.classCampaign(c, cl)
	if err != nil {
		return err
	}
	if !ok {
		return refuse(http.StatusConflict, "no_campaign", "slips.no_campaign")
	}
	var returned []int64
	for _, v := range c.PostFormArray("returned") {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return refuse(http.StatusBadRequest, "bad_request", "error.not_found")
		}
		returned = append(returned, id)
	}
	u := currentUser(c)
	ch, err := s.store.SetPaperSlips(c.Request.Context(), camp.ID, cl.ID, u.ID, returned)
	if err != nil {
		return err
	}
	if ch.Added+ch.Removed > 0 {
		if err := s.store.Audit(c.Request.Context(), u.ID, "paper_slips", fmt.Sprintf("class %d campaign %d: +%d -%d", cl.ID, camp.ID, ch.Added, ch.Removed)); err != nil {
			s.log.Error("audit", "err", err)
		}
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/classes/%d/slips?campaign=%d&added=%d&removed=%d", cl.ID, camp.ID, ch.Added, ch.Removed))
	return nil
}

// classTexts fills the texts sent about the class's letters in the
// campaign: to whom (masked), when, and whether each arrived.
func (s *Server) classTexts(c *gin.Context, campaignID, classID int64, v *slipsView) error {
	rows, err := s.store.ClassTexts(c.Request.Context(), campaignID, classID, classTextsShown)
	if err != nil {
		return err
	}
	counts, err := s.store.TextCountsOf(c.Request.Context(), store.ReminderScope{CampaignID: campaignID, ClassID: classID})
	if err != nil {
		return err
	}
	v.Texts, v.Delivery = rows, deliveryOf(jobs.SummaryOf(counts), s.cfg.SMSReports())
	return nil
}

// classTextsShown is how many of a class's texts its page lists.
const classTextsShown = 300
