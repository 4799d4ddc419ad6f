package web

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
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
	Uses    []string // the placeholders this school's letters print
	Gaps    string   // what the letters print for those not filled in, in Chinese ("" when none)
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
			for _, p := range t.Uses(letters.SchoolDetailPlaceholders()) {
				if !slices.Contains(d.Uses, p) {
					d.Uses = append(d.Uses, p)
				}
			}
		}
	}
	if d.Error == "" {
		if gaps := content.DetailGaps(lib, d.Details); len(gaps) > 0 {
			d.Gaps = s.gapText(c, gaps)
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

// apiSchoolDetails is the details as the API shows them.
type apiSchoolDetails struct {
	Phone         string `json:"phone"`
	FeeRule       string `json:"fee_rule"`
	PoliceStation string `json:"police_station"`
	PolicePhone   string `json:"police_phone"`
}

// apiSchoolDetailsOut is the details as the API shows them, with the
// details the letters of the school's current campaign use and it lacks.
type apiSchoolDetailsOut struct {
	apiSchoolDetails
	Missing []content.DetailGap `json:"missing"`
}

// answerDetails answers school sc's details d with what its letters lack.
func (s *Server) answerDetails(c *gin.Context, sc store.School, d store.SchoolDetails) error {
	version, err := s.content.Newest(c.Request.Context())
	if err != nil {
		return err
	}
	if cp, ok, err := campaign.Current(c.Request.Context(), s.store, sc.ID); err != nil {
		return err
	} else if ok {
		full, err := s.store.Campaign(c.Request.Context(), cp.ID)
		if err != nil {
			return err
		}
		version = full.ContentVersionID
	}
	lib, err := s.content.Library(c.Request.Context(), version)
	if err != nil {
		return err
	}
	out := apiSchoolDetailsOut{apiSchoolDetails{d.Phone, d.FeeRule, d.PoliceStation, d.PolicePhone}, content.DetailGaps(lib, d)}
	if out.Missing == nil {
		out.Missing = []content.DetailGap{}
	}
	c.JSON(http.StatusOK, out)
	return nil
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
	return s.answerDetails(c, sc, d)
}

// apiSchoolDetailsPut: PUT /api/v1/schools/:school/details (all four
// fields); PATCH changes those given, as `app school details` does.
func (s *Server) apiSchoolDetailsPut(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	var in struct {
		Phone         *string `json:"phone"`
		FeeRule       *string `json:"fee_rule"`
		PoliceStation *string `json:"police_station"`
		PolicePhone   *string `json:"police_phone"`
	}
	if err := c.ShouldBindJSON(&in); err != nil {
		return refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
	}
	d := store.SchoolDetails{SchoolID: sc.ID}
	if c.Request.Method == http.MethodPatch {
		if d, err = s.store.SchoolDetails(c.Request.Context(), sc.ID); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		from *string
		to   *string
	}{{in.Phone, &d.Phone}, {in.FeeRule, &d.FeeRule}, {in.PoliceStation, &d.PoliceStation}, {in.PolicePhone, &d.PolicePhone}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if d, err = content.CheckDetails(d); err != nil {
		return refuseMsg(http.StatusUnprocessableEntity, "invalid", err.Error())
	}
	if err := s.store.SetSchoolDetails(c.Request.Context(), d, currentUser(c).ID); err != nil {
		return err
	}
	return s.answerDetails(c, sc, d)
}
