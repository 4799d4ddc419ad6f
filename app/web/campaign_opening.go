package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/content"
	"jiashu/store"
)

// A letter for its season (issue 19) on the campaign page and the API: the
// campaign's opening line is one of its content version's reviewed
// openings (openings.txt), chosen by name (campaign.SetOpening); the page
// shows each with its text and the one chosen, as every letter and the
// parents' page will print it first.

// openingCard is the campaign page's card of its opening line.
type openingCard struct {
	CampaignID int64
	Name, Text string // the campaign's, "" for none
	Version    int64  // the content version offering Options
	Options    []openingOption
	Error      string
}

type openingOption struct {
	Name, Text string
	Selected   bool
}

// openingCard builds the card of cp: its opening and its version's.
func (s *Server) openingCard(c *gin.Context, cp store.Campaign) (*openingCard, error) {
	card := &openingCard{CampaignID: cp.ID, Name: cp.OpeningName, Text: cp.Opening, Version: cp.ContentVersionID}
	list, err := s.content.Openings(c.Request.Context(), cp.ContentVersionID)
	if err != nil {
		return nil, err
	}
	for _, o := range list {
		card.Options = append(card.Options, openingOption{Name: o.Name, Text: o.Text, Selected: o.Name == cp.OpeningName && o.Text == cp.Opening})
	}
	return card, nil
}

// saveOpening: POST /campaigns/:campaign/opening (opening: a name, "" for
// none); a refusal is shown on the campaign page.
func (s *Server) saveOpening(c *gin.Context) error {
	cp, err := s.campaignParam(c)
	if err != nil {
		return err
	}
	if _, err := campaign.SetOpening(c.Request.Context(), s.store, s.content, cp, c.PostForm("opening"), currentUser(c).ID); err != nil {
		msg := s.refusedInput(c, err)
		if msg == "" {
			return err
		}
		return s.renderCampaign(c, http.StatusUnprocessableEntity, cp, campaignPageData{Error: msg})
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d?saved=1#opening", cp.ID))
	return nil
}

// apiOpeningPut: PUT /api/v1/campaigns/:campaign/opening {"opening": "寒假"}
// ("" for none) answers the campaign.
func (s *Server) apiOpeningPut(c *gin.Context) error {
	cp, err := s.campaignParam(c)
	if err != nil {
		return err
	}
	var in struct {
		Opening *string `json:"opening"`
	}
	if err := c.ShouldBindJSON(&in); err != nil || in.Opening == nil {
		return refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
	}
	saved, err := campaign.SetOpening(c.Request.Context(), s.store, s.content, cp, *in.Opening, currentUser(c).ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.toAPICampaignLife(saved))
	return nil
}

// apiOpenings: GET /api/v1/campaigns/:campaign/openings: the openings the
// campaign's content version offers.
func (s *Server) apiOpenings(c *gin.Context) error {
	cp, err := s.campaignParam(c)
	if err != nil {
		return err
	}
	list, err := s.content.Openings(c.Request.Context(), cp.ContentVersionID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []content.Opening{}
	}
	c.JSON(http.StatusOK, gin.H{"content_version": cp.ContentVersionID, "openings": list})
	return nil
}

// openingInput resolves the "opening" a campaign's JSON names into cp:
// on creation (id 0) from the version cp pins (which it then pins
// exactly), on an update from the campaign's own version; nil keeps the
// campaign's (none for a new one).
func (s *Server) openingInput(c *gin.Context, name *string, cp *store.Campaign, id int64) error {
	version := cp.ContentVersionID
	if id != 0 {
		old, err := s.store.Campaign(c.Request.Context(), id)
		if err != nil {
			return err
		}
		cp.OpeningName, cp.Opening, version = old.OpeningName, old.Opening, old.ContentVersionID
	}
	if name == nil {
		return nil
	}
	o, err := campaign.ResolveOpening(c.Request.Context(), s.content, version, *name)
	if err != nil {
		return err
	}
	cp.OpeningName, cp.Opening = o.Name, o.Text
	if id == 0 && o.Name != "" {
		cp.ContentVersionID = o.Version
	}
	return nil
}

// openingRoutes: the campaign's opening line, the center's.
func (s *Server) openingRoutes(district, api *gin.RouterGroup) {
	district.POST("/campaigns/:campaign/opening", s.h(s.saveOpening))
	center := api.Group("/campaigns/:campaign", s.requireRole(store.RoleDistrictAdmin))
	center.GET("/openings", s.h(s.apiOpenings))
	center.PUT("/opening", s.h(s.apiOpeningPut))
}
