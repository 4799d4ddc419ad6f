package web

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"jiashu/app/content"
	"jiashu/letters"
	"jiashu/store"
)

// The school's details every letter may need (issue 9): the school
// administrator (or the center) keeps the school's phone, fee rule and
// partner police station; validated, audited in the store's transaction.
// The page shows which of them the campaigns' letters use.

type schoolDetailsData struct {
	School  store.School
	Details store.SchoolDetails
	Uses    []string // the placeholders this school's letters need, with no fallback
	Notice  string
	Error   string
}

// schoolDetailsPage: GET /schools/:school/details.
func (s *Server) schoolDetailsPage(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	d, err := s.store.SchoolDetails(c.Request.Context(), sc.ID)
	if err != nil {
		return err
	}
	data := schoolDetailsData{School: sc, Details: d}
	if c.Query("saved") != "" {
		data.Notice = s.T(c, "details.saved")
	}
	return s.renderDetails(c, http.StatusOK, data)
}

func (s *Server) renderDetails(c *gin.Context, status int, d schoolDetailsData) error {
	var version int64 // the newest approved; 0 (embedded) if none
	if v, err := s.store.LatestApprovedContent(c.Request.Context()); err == nil {
		version = v.ID
	}
	lib, err := s.content.Library(c.Request.Context(), version)
	if err != nil {
		return err
	}
	for _, ag := range letters.AgeGroups() {
		if t, err := lib.Template(ag); err == nil {
			for _, p := range t.Needs(letters.SchoolDetailPlaceholders()) {
				if !slices.Contains(d.Uses, p) {
					d.Uses = append(d.Uses, p)
				}
			}
		}
	}
	return s.render(c, status, "school_details.html", s.T(c, "details.title"), d)
}

// saveSchoolDetails: POST /schools/:school/details.
func (s *Server) saveSchoolDetails(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	in := store.SchoolDetails{SchoolID: sc.ID, Phone: c.PostForm("phone"), FeeRule: c.PostForm("fee_rule"),
		PoliceStation: c.PostForm("police_station"), PolicePhone: c.PostForm("police_phone")}
	d, err := content.CheckDetails(in)
	if err != nil {
		return s.renderDetails(c, http.StatusUnprocessableEntity, schoolDetailsData{School: sc, Details: in, Error: err.Error()})
	}
	if err := s.store.SetSchoolDetails(c.Request.Context(), d, currentUser(c).ID); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/schools/%d/details?saved=1", sc.ID))
	return nil
}

// apiSchoolDetails is the details as the API shows and takes them.
type apiSchoolDetails struct {
	Phone         string `json:"phone"`
	FeeRule       string `json:"fee_rule"`
	PoliceStation string `json:"police_station"`
	PolicePhone   string `json:"police_phone"`
}

// apiSchoolDetailsGet: GET /api/v1/schools/:school/details.
func (s *Server) apiSchoolDetailsGet(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	d, err := s.store.SchoolDetails(c.Request.Context(), sc.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, apiSchoolDetails{d.Phone, d.FeeRule, d.PoliceStation, d.PolicePhone})
	return nil
}

// apiSchoolDetailsPut: PUT /api/v1/schools/:school/details (all four fields).
func (s *Server) apiSchoolDetailsPut(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	var in apiSchoolDetails
	if err := c.ShouldBindJSON(&in); err != nil {
		return refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
	}
	d, err := content.CheckDetails(store.SchoolDetails{SchoolID: sc.ID, Phone: in.Phone, FeeRule: in.FeeRule,
		PoliceStation: in.PoliceStation, PolicePhone: in.PolicePhone})
	if err != nil {
		return refuseMsg(http.StatusUnprocessableEntity, "invalid", err.Error())
	}
	if err := s.store.SetSchoolDetails(c.Request.Context(), d, currentUser(c).ID); err != nil {
		return err
	}
	c.JSON(http.StatusOK, apiSchoolDetails{d.Phone, d.FeeRule, d.PoliceStation, d.PolicePhone})
	return nil
}
