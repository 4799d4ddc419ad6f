package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// A campaign's life on the education center's pages (store/campaign_life.go):
// a new campaign is saved as a draft or started at once; the campaign page
// starts a draft (or a closed campaign again) and closes a running one; the
// campaigns page lists them side by side with their reach.

// campaignRow fills a campaigns-page row: its phase and district total.
func (s *Server) campaignRow(c *gin.Context, cp store.Campaign) (campaignRow, error) {
	row := campaignRow{Campaign: cp, Schools: len(cp.SchoolIDs), Phase: cp.Phase(s.store.Today())}
	if row.Phase == store.CampaignDraft {
		return row, nil
	}
	_, total, err := s.store.ReachBySchool(c.Request.Context(), cp.ID)
	row.Reach = total
	return row, err
}

// setCampaignState moves a campaign in its life, for the page and the API;
// a change that does not fit (closing a draft, starting a purged campaign)
// is a 409 with a plain message.
func (s *Server) setCampaignState(c *gin.Context, state string) (store.Campaign, error) {
	cp, err := s.campaignParam(c)
	if err != nil {
		return cp, err
	}
	if state != store.CampaignRunning && state != store.CampaignClosed {
		return cp, refuse(http.StatusUnprocessableEntity, "invalid", "campaign.error.state") // as on create
	}
	next, err := s.store.SetCampaignState(c.Request.Context(), cp.ID, state)
	if errors.Is(err, store.ErrCampaignState) {
		return cp, refuse(http.StatusConflict, "campaign_state", "campaign.error.state_change")
	}
	if err != nil {
		return cp, err
	}
	s.audit(c, "campaign_"+state, fmt.Sprintf("campaign %d %s: %s → %s", cp.ID, cp.Name, cp.State, state))
	return next, nil
}

// campaignState: POST /campaigns/:campaign/state (state=running|closed).
func (s *Server) campaignState(c *gin.Context) error {
	state := c.PostForm("state")
	cp, err := s.setCampaignState(c, state)
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d?saved=%s", cp.ID, state))
	return nil
}

// apiCampaignState: POST /api/v1/campaigns/:campaign/state {"state": "closed"}.
func (s *Server) apiCampaignState(c *gin.Context) error {
	var req struct {
		State string `json:"state"`
	}
	if err := c.ShouldBindJSON(&req); err != nil {
		return refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
	}
	cp, err := s.setCampaignState(c, req.State)
	if err != nil {
		return err
	}
	full, err := s.store.Campaign(c.Request.Context(), cp.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.toAPICampaignLife(full))
	return nil
}

// apiCampaignLife is a campaign in the API with where it is in its life.
type apiCampaignLife struct {
	apiCampaign
	State string `json:"state"` // draft, running, closed (as set)
	Phase string `json:"phase"` // draft, running, closed (also by its deadline), purged
}

func (s *Server) toAPICampaignLife(cp store.Campaign) apiCampaignLife {
	return apiCampaignLife{apiCampaign: toAPICampaign(cp), State: cp.State, Phase: cp.Phase(s.store.Today())}
}
