package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/letters"
	"jiashu/store"
)

// The class meeting (主题班会) on the class page: the teacher downloads the
// lesson sheet and slides of the class's age group, holds the meeting and
// records "班会已开展" with its day; the letters printed afterwards say so
// ({班会日期}) and the overview counts it. Whoever may open the class may
// record it (scope.go): its teachers, its school's administrators, the
// district.

// meetingCard is the class page's class-meeting card, also the API's
// answer about the meeting.
type meetingCard struct {
	ClassID    int64  `json:"class_id"`
	CampaignID int64  `json:"campaign_id,omitempty"` // 0: the school has no campaign yet (recording creates it)
	Campaign   string `json:"campaign,omitempty"`
	HeldOn     string `json:"held_on"`                // YYYY-MM-DD, "" when not recorded
	HeldOnText string `json:"held_on_text,omitempty"` // 2026年11月20日
	AgeGroup   string `json:"age_group,omitempty"`    // "" for a class outside the grade mapping: no kit
	AgeLabel   string `json:"age_group_label,omitempty"`
	SheetURL   string `json:"sheet_url,omitempty"`
	SlidesURL  string `json:"slides_url,omitempty"`
	Today      string `json:"-"` // the date input's bounds
	Earliest   string `json:"-"`
}

// meetingCard is the class's meeting card from a read of the class in the
// campaign its page shows (campaign.Class). Its links are the API's in an
// API answer (a token opens those, not the pages).
func (s *Server) meetingCard(c *gin.Context, cl store.Class, v campaign.ClassView) *meetingCard {
	today := s.now().In(campaign.ChinaTime)
	m := &meetingCard{ClassID: cl.ID, Today: today.Format("2006-01-02"), Earliest: today.AddDate(-1, 0, 0).Format("2006-01-02")}
	if ag := s.cfg.AgeGroups.Of(cl.Grade); ag != "" {
		base := ""
		if isAPI(c) {
			base = "/api/v1"
		}
		m.AgeGroup, m.AgeLabel = string(ag), ag.Label()
		m.SheetURL = fmt.Sprintf("%s/classes/%d/lesson-sheet.pdf", base, cl.ID)
		m.SlidesURL = fmt.Sprintf("%s/classes/%d/lesson-slides.pdf", base, cl.ID)
	}
	if v.HasCampaign {
		m.meetingIn(v.Campaign, v.Meeting)
		if isAPI(c) && m.SheetURL != "" { // a class holding several campaigns' letters would answer them 409
			q := fmt.Sprintf("?campaign=%d", v.Campaign.ID)
			m.SheetURL, m.SlidesURL = m.SheetURL+q, m.SlidesURL+q
		}
	}
	return m
}

// meetingIn sets the card's campaign and the meeting held in it.
func (m *meetingCard) meetingIn(camp store.Campaign, held store.ClassMeeting) {
	m.CampaignID, m.Campaign, m.HeldOn, m.HeldOnText = camp.ID, camp.Name, "", ""
	if held.HeldOn != "" {
		m.HeldOn, m.HeldOnText = held.HeldOn, letters.DateFormat(campaign.ChinaDay(held.HeldOn))
	}
}

// meetingDay reads the day typed, refusing it with a Chinese message.
func (s *Server) meetingDay(c *gin.Context, typed string) (string, error) {
	day, err := campaign.MeetingDay(typed, s.now())
	switch {
	case errors.Is(err, campaign.ErrMeetingDayFuture):
		return "", refuse(http.StatusUnprocessableEntity, "meeting_day_future", "meeting.error.future")
	case errors.Is(err, campaign.ErrMeetingDayOld):
		return "", refuse(http.StatusUnprocessableEntity, "meeting_day_old", "meeting.error.old")
	case err != nil:
		return "", refuse(http.StatusUnprocessableEntity, "meeting_day_invalid", "meeting.error.invalid")
	}
	return day, nil
}

// meetingCampaign is campaignID, or for 0 the class's campaign as its
// pages show it (campaign.Choose; the term's default one, created, when
// the school takes part in none).
func (s *Server) meetingCampaign(c *gin.Context, cl store.Class, campaignID int64) (int64, error) {
	if campaignID != 0 {
		return campaignID, nil
	}
	v, _, err := s.classView(c, cl, campaign.ClassQuery{})
	if err != nil || v.HasCampaign {
		return v.Campaign.ID, err
	}
	camp, err := s.store.DefaultCampaign(c.Request.Context(), cl.SchoolID)
	return camp.ID, err
}

// recordMeeting records the class's meeting on day in campaign campaignID
// (0: the school's current one); the store audits it.
func (s *Server) recordMeeting(c *gin.Context, cl store.Class, campaignID int64, day string) error {
	campaignID, err := s.meetingCampaign(c, cl, campaignID)
	if err != nil {
		return err
	}
	_, err = s.store.RecordClassMeeting(c.Request.Context(), campaignID, cl.ID, day, currentUser(c).ID)
	if errors.Is(err, store.ErrNotInCampaign) {
		return errNotFound
	}
	return err
}

// classMeetingSave: POST /classes/:id/meeting (form: date).
func (s *Server) classMeetingSave(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	day, err := s.meetingDay(c, c.PostForm("date"))
	if err != nil {
		return err
	}
	if err := s.recordMeeting(c, cl, 0, day); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/classes/%d?notice=meeting_saved#meeting", cl.ID))
	return nil
}

// classMeetingDelete: POST /classes/:id/meeting/delete: taken back.
func (s *Server) classMeetingDelete(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	campaignID, err := s.meetingCampaign(c, cl, 0)
	if err != nil {
		return err
	}
	if err := s.store.DeleteClassMeeting(c.Request.Context(), campaignID, cl.ID, currentUser(c).ID); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/classes/%d?notice=meeting_deleted#meeting", cl.ID))
	return nil
}

// apiClassMeetingSave: POST /api/v1/classes/:id/meeting
// {"date": "2026-11-20", "campaign_id": 0}: the meeting's card.
func (s *Server) apiClassMeetingSave(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	var req struct {
		Date       string `json:"date"`
		CampaignID int64  `json:"campaign_id"`
	}
	if err := c.ShouldBindJSON(&req); err != nil || req.CampaignID < 0 {
		return refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
	}
	day, err := s.meetingDay(c, req.Date)
	if err != nil {
		return err
	}
	if err := s.recordMeeting(c, cl, req.CampaignID, day); err != nil {
		return err
	}
	return s.apiMeetingCard(c, cl, req.CampaignID)
}

// apiClassMeetingDelete: DELETE /api/v1/classes/:id/meeting[?campaign_id=].
func (s *Server) apiClassMeetingDelete(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	var campaignID int64
	if q := strings.TrimSpace(c.Query("campaign_id")); q != "" {
		if _, err := fmt.Sscan(q, &campaignID); err != nil || campaignID <= 0 {
			return errNotFound
		}
	}
	target, err := s.meetingCampaign(c, cl, campaignID)
	if err != nil {
		return err
	}
	if err := s.store.DeleteClassMeeting(c.Request.Context(), target, cl.ID, currentUser(c).ID); err != nil {
		if errors.Is(err, store.ErrNotInCampaign) {
			return errNotFound
		}
		return err
	}
	return s.apiMeetingCard(c, cl, campaignID)
}

// apiMeetingCard answers the class's meeting card in the campaign the
// request names (campaignID, from campaign_id, else ?campaign=), else the
// class's default one.
func (s *Server) apiMeetingCard(c *gin.Context, cl store.Class, campaignID int64) error {
	v, _, err := s.classView(c, cl, campaign.ClassQuery{Want: campaignID})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.meetingCard(c, cl, v))
	return nil
}
