package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// JSON API of campaigns and the overview (district only, except a school's
// own overview). See docs/api.md.

type apiCampaign struct {
	ID          int64             `json:"id"`
	Name        string            `json:"name"`
	Term        string            `json:"term"`
	AckDeadline string            `json:"ack_deadline"`
	QuizEnabled bool              `json:"quiz_enabled"`
	Templates   map[string]string `json:"templates"`
	SchoolIDs   []int64           `json:"school_ids"`
	// ContentVersion is the approved content version the letters follow.
	ContentVersion int64 `json:"content_version"`
}

func toAPICampaign(cp store.Campaign) apiCampaign {
	out := apiCampaign{ID: cp.ID, Name: cp.Name, Term: cp.Term, AckDeadline: cp.AckDeadline, QuizEnabled: cp.QuizEnabled,
		Templates: cp.Templates, SchoolIDs: cp.SchoolIDs, ContentVersion: cp.ContentVersionID}
	if out.Templates == nil {
		out.Templates = map[string]string{}
	}
	if out.SchoolIDs == nil {
		out.SchoolIDs = []int64{}
	}
	return out
}

// apiCampaigns: GET /api/v1/campaigns.
func (s *Server) apiCampaigns(c *gin.Context) error {
	list, err := s.loadCampaigns(c)
	if err != nil {
		return err
	}
	out := []apiCampaignLife{}
	for _, cp := range list {
		out = append(out, s.toAPICampaignLife(cp))
	}
	c.JSON(http.StatusOK, gin.H{"campaigns": out})
	return nil
}

// apiCampaignGet: GET /api/v1/campaigns/:campaign.
func (s *Server) apiCampaignGet(c *gin.Context) error {
	cp, err := s.campaignParam(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.toAPICampaignLife(cp))
	return nil
}

// bindCampaign reads and checks the JSON body; it has answered when ok is false.
func (s *Server) bindCampaign(c *gin.Context, id int64) (store.Campaign, error) {
	var in campaignInput
	if err := c.ShouldBindJSON(&in); err != nil {
		return store.Campaign{}, refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
	}
	cp, msgKey, err := s.checkCampaign(c, in)
	if err == nil && msgKey == "" {
		if other, e := s.store.CampaignByName(c.Request.Context(), cp.Name); e == nil && other.ID != id {
			msgKey = "campaign.error.name_taken"
		}
	}
	if err != nil {
		return cp, err
	}
	if msgKey != "" {
		return cp, refuseMsg(http.StatusUnprocessableEntity, "invalid", s.T(c, msgKey))
	}
	cp.ID = id
	return cp, nil
}

// apiCreateCampaign: POST /api/v1/campaigns → 201.
func (s *Server) apiCreateCampaign(c *gin.Context) error {
	cp, err := s.bindCampaign(c, 0)
	if err != nil {
		return err
	}
	made, err := s.store.CreateCampaign(c.Request.Context(), cp)
	if err != nil {
		return err
	}
	s.audit(c, "campaign_created", "campaign "+made.Name+" via API")
	created(c, fmt.Sprintf("/api/v1/campaigns/%d", made.ID), s.toAPICampaignLife(made))
	return nil
}

// apiUpdateCampaign: PUT /api/v1/campaigns/:campaign (the whole campaign).
func (s *Server) apiUpdateCampaign(c *gin.Context) error {
	old, err := s.campaignParam(c)
	if err != nil {
		return err
	}
	cp, err := s.bindCampaign(c, old.ID)
	if err != nil {
		return err
	}
	saved, err := s.store.UpdateCampaign(c.Request.Context(), cp)
	if err != nil {
		return err
	}
	s.audit(c, "campaign_updated", "campaign "+saved.Name+" via API")
	c.JSON(http.StatusOK, s.toAPICampaignLife(saved))
	return nil
}

// apiStartCampaignLetters: POST /api/v1/campaigns/:campaign/letters
// {"duplex": false} → 202 with the job.
func (s *Server) apiStartCampaignLetters(c *gin.Context) error {
	cp, err := s.campaignParam(c)
	if err != nil {
		return err
	}
	var req struct {
		Duplex bool `json:"duplex"`
	}
	if c.Request.ContentLength != 0 {
		if err := c.ShouldBindJSON(&req); err != nil {
			return refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
		}
	}
	j, err := s.campaignLettersJob(c, cp, req.Duplex)
	if err != nil {
		return err
	}
	accepted(c, j)
	return nil
}

// apiReach is a row of the overview.
type apiReach struct {
	SchoolID     int64          `json:"school_id"`
	School       string         `json:"school"`
	ClassID      int64          `json:"class_id,omitempty"`
	Class        string         `json:"class,omitempty"`
	Students     int            `json:"students"`
	Produced     int            `json:"produced"`
	Opened       int            `json:"opened"`
	Acknowledged int            `json:"acknowledged"`
	Rate         float64        `json:"rate"`
	ByChannel    map[string]int `json:"by_channel"`
	// ClassMeetings: the classes that held their class meeting, and when.
	ClassMeetings apiMeetings `json:"class_meetings"`
}

func toAPIReach(r store.Reach) apiReach {
	return apiReach{SchoolID: r.SchoolID, School: r.SchoolName, ClassID: r.ClassID, Class: r.ClassName,
		Students: r.Students, Produced: r.Produced, Opened: r.Opened, Acknowledged: r.Acknowledged,
		Rate:          float64(int(r.Rate()*1000+0.5)) / 1000,
		ByChannel:     map[string]int{store.ChannelQR: r.QR, store.ChannelSMS: r.SMS, store.ChannelTyped: r.Typed, store.ChannelPaper: r.Paper},
		ClassMeetings: toAPIMeetings(r)}
}

func (s *Server) overviewJSON(c *gin.Context, d overviewData) {
	rows := []apiReach{}
	for _, r := range d.Rows {
		rows = append(rows, toAPIReach(r))
	}
	total := toAPIReach(d.Total)
	total.SchoolID, total.School = d.School.ID, d.School.Name
	c.JSON(http.StatusOK, gin.H{"campaign": s.toAPICampaignLife(d.Campaign), "total": total, "rows": rows,
		"by_grade": apiGrades(d.Detail), "by_age_group": apiAges(d.Detail), "per_day": apiDays(d.Detail)})
}

// apiOverview: GET /api/v1/overview?campaign=ID: per school, furthest
// behind first.
func (s *Server) apiOverview(c *gin.Context) error {
	d, ok, err := s.districtOverview(c)
	if err != nil {
		return err
	}
	if !ok {
		return refuseMsg(http.StatusNotFound, "no_campaign", s.T(c, "overview.none"))
	}
	s.overviewJSON(c, d)
	return nil
}

// apiOverviewSchool: GET /api/v1/overview/schools/:school?campaign=ID: per
// class of one school, furthest behind first.
func (s *Server) apiOverviewSchool(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	d, ok, err := s.schoolOverview(c, sc)
	if err != nil {
		return err
	}
	if !ok {
		return refuseMsg(http.StatusNotFound, "no_campaign", s.T(c, "overview.none"))
	}
	s.overviewJSON(c, d)
	return nil
}
