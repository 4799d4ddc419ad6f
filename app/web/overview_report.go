package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/report"
	"jiashu/store"
)

// sendReport answers the report of d's campaign (d.School zero: the
// district), after writing the audit entry.
func (s *Server) sendReport(c *gin.Context, d overviewData) error {
	in, err := report.Load(c.Request.Context(), s.breakdowns(), s.tr(c), d.Campaign, d.School, s.now())
	if err != nil {
		return err
	}
	body, err := report.XLSX(in, s.tr(c))
	if err != nil {
		return err
	}
	label := fmt.Sprintf("campaign %d", d.Campaign.ID)
	name := "回执报表-" + d.Campaign.Name
	if d.School.ID != 0 {
		label = fmt.Sprintf("school %d campaign %d", d.School.ID, d.Campaign.ID)
		name += "-" + d.School.Name
	}
	if err := s.store.Audit(c.Request.Context(), currentUser(c).ID, "reach_report", label+" xlsx (aggregates)"); err != nil {
		return err
	}
	name = fmt.Sprintf("%s-%s.xlsx", name, s.now().In(campaign.ChinaTime).Format("20060102"))
	c.Header("Content-Disposition", attachment("report.xlsx", name))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body)
	return nil
}

// overviewReport: GET /overview/report.xlsx?campaign= and the same under
// /api/v1 (the education center): the district's report.
func (s *Server) overviewReport(c *gin.Context) error {
	scope, err := s.districtScope(c)
	if err != nil {
		return err
	}
	return s.reportOfCampaign(c, scope, store.School{})
}

// overviewSchoolReport: GET /overview/schools/:school/report.xlsx?campaign=
// and the same under /api/v1 (the center, or that school's administrator).
func (s *Server) overviewSchoolReport(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	scope, err := s.schoolScope(c, sc.ID)
	if err != nil {
		return err
	}
	return s.reportOfCampaign(c, scope, sc)
}

// reportOfCampaign sends the report of the campaign of scope ?campaign=
// names (else campaign.Choose's), for the whole district or school sc.
func (s *Server) reportOfCampaign(c *gin.Context, scope campaignScope, sc store.School) error {
	ch, err := s.pickCampaign(c, scope)
	if err != nil {
		return err
	}
	if ch == nil {
		return refuseMsg(http.StatusNotFound, "no_campaign", s.T(c, "overview.none"))
	}
	cp, err := s.store.Campaign(c.Request.Context(), ch.Campaign.ID)
	if err != nil {
		return err
	}
	return s.sendReport(c, overviewData{Campaign: cp, School: sc})
}
