package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/reach"
	"jiashu/store"
)

// The overview (总览): how far a campaign's letters got, per school and,
// drilling down, per class; sorted so those furthest behind come first
// (store/reach.go). The district sees every school; a school
// administrator sees the class view of their own school.

// overviewData is the overview page, for the district or one school.
type overviewData struct {
	Campaign  store.Campaign
	Campaigns []store.Campaign // to switch between
	Choice    *campaignChoice  // the campaign shown, the running ones beside it, the earlier ones
	School    store.School     // the drill-down's school; zero on the district view
	Rows      []store.Reach
	Total     store.Reach
	Deadline  string
	Detail    reach.Detail // per grade, age group, day, quiz (app/reach)
	// Across campaigns (overview_year.go): the school year's campaigns as a
	// chart, and the families reached before but not in this campaign.
	// Alerts are the campaign's new-scam alerts with their opened counts
	// (the district's overview).
	Alerts []campaignAlert
	Gaps   []schoolGapRow // the campaign's schools whose letters lack details (school_gaps.go)
	// SMS is how the campaign's texts went (sms_views.go); nil before any.
	SMS         *deliveryView
	Year        yearChart
	Lapsed      []store.LapsedFamily
	LapsedTotal int
	// LapsedNoLetter: families reached before with no letter in this
	// campaign yet (尚未生成家书), counted apart: no reminder reaches them.
	LapsedNoLetter int
}

// DayChart is the acknowledgements per day as the page draws them.
func (d overviewData) DayChart() dayChart { return drawDays(d.Detail.Days) }

// districtScope is the center's district-wide pages' campaigns (drafts
// too: the center may look at one) and the running ones whose letters the
// district holds.
func (s *Server) districtScope(c *gin.Context) (campaignScope, error) {
	sc := campaignScope{}
	var err error
	if sc.List, err = s.store.Campaigns(c.Request.Context()); err != nil {
		return sc, err
	}
	sc.Holding, err = s.store.CampaignsWithLetters(c.Request.Context(), campaign.IDs(campaign.Running(sc.List, s.store.Today())))
	return sc, err
}

// pickCampaign chooses the campaign of a page of scope sc (the district,
// or a school): campaign.Choose, the one rule of every page.
func (s *Server) pickCampaign(c *gin.Context, sc campaignScope) (*campaignChoice, error) {
	of := s.T(c, "campaign.several.school")
	if sc.ID == 0 {
		of = s.T(c, "campaign.several.district")
	}
	ch, ok, err := s.choose(c, sc, of)
	if err != nil || !ok {
		return nil, err
	}
	return &ch, nil
}

// districtOverview loads the district view for ?campaign=.
func (s *Server) districtOverview(c *gin.Context) (overviewData, bool, error) {
	var d overviewData
	scope, err := s.districtScope(c)
	if err != nil {
		return d, false, err
	}
	ch, err := s.pickCampaign(c, scope)
	if err != nil || ch == nil {
		return d, false, err
	}
	cp := ch.Campaign
	d.Campaigns, d.Choice = scope.List, ch
	if d.Campaign, err = s.store.Campaign(c.Request.Context(), cp.ID); err != nil { // with its schools and letters
		return d, false, err
	}
	var classes []store.Reach
	if d.Rows, classes, d.Total, err = s.store.ReachDistrict(c.Request.Context(), cp.ID); err != nil {
		return d, false, err
	}
	if d.Detail, err = s.breakdowns().Load(c.Request.Context(), s.tr(c), store.ReachFilter{CampaignID: cp.ID}, classes); err != nil {
		return d, false, err
	}
	d.Detail.Behind = reach.FurthestBehind(classes, reach.BehindShown)
	return d, true, s.loadYear(c, &d, 0)
}

// schoolOverview loads the class view of school sc for ?campaign= (one of
// the school's campaigns), with its breakdowns.
func (s *Server) schoolOverview(c *gin.Context, sc store.School) (overviewData, bool, error) {
	d, ok, err := s.schoolReach(c, sc)
	if err != nil || !ok {
		return d, ok, err
	}
	if d.Detail, err = s.breakdowns().Load(c.Request.Context(), s.tr(c), store.ReachFilter{CampaignID: d.Campaign.ID, SchoolID: sc.ID}, d.Rows); err != nil {
		return d, false, err
	}
	return d, true, s.loadYear(c, &d, sc.ID)
}

// schoolReach loads the campaign and the per-class rows of school sc.
func (s *Server) schoolReach(c *gin.Context, sc store.School) (overviewData, bool, error) {
	d := overviewData{School: sc}
	scope, err := s.schoolScope(c, sc.ID)
	if err != nil {
		return d, false, err
	}
	ch, err := s.pickCampaign(c, scope)
	if err != nil || ch == nil {
		return d, false, err
	}
	cp := ch.Campaign
	d.Campaigns, d.Choice = scope.List, ch
	if d.Campaign, err = s.store.Campaign(c.Request.Context(), cp.ID); err != nil {
		return d, false, err
	}
	if d.Rows, err = s.store.ReachByClass(c.Request.Context(), cp.ID, sc.ID); err != nil {
		return d, false, err
	}
	for _, r := range d.Rows {
		d.Total.Add(r) // a class row counts one class
	}
	return d, true, nil
}

// overviewPage: GET /overview (district).
func (s *Server) overviewPage(c *gin.Context) error {
	d, _, err := s.districtOverview(c) // without a campaign the page says so
	if err != nil {
		return err
	}
	if d.Campaign.ID != 0 {
		// The campaign's new-scam alerts and how many families opened the
		// page since each (alerts.go), beside the letters' reach.
		if d.Alerts, err = s.campaignAlerts(c, d.Campaign.ID); err != nil {
			return err
		}
		schools, err := s.campaignSchools(c, d.Campaign)
		if err != nil {
			return err
		}
		if d.Gaps, err = s.schoolsGaps(c, d.Campaign.ContentVersionID, schools); err != nil {
			return err
		}
		if d.SMS, err = s.textsOverview(c, store.ReminderScope{CampaignID: d.Campaign.ID}); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, "overview.html", s.T(c, "overview.title"), d)
}

// overviewSchoolPage: GET /overview/schools/:school (district, or that
// school's administrator).
func (s *Server) overviewSchoolPage(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	d, _, err := s.schoolOverview(c, sc)
	if err != nil {
		return err
	}
	if d.Campaign.ID != 0 {
		if d.SMS, err = s.textsOverview(c, store.ReminderScope{CampaignID: d.Campaign.ID, SchoolID: sc.ID}); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, "overview.html", s.T(c, "overview.title")+" · "+sc.Name, d)
}
