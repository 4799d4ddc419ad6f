package web

import (
	"jiashu/store"
	"net/http"

	"github.com/gin-gonic/gin"
)

// refusePurged refuses with 409 and the catalogue text msgKey when the
// campaign's personal data was purged: its letters and codes
// are gone and the store takes no new ones, so printing would fail and a
// letters job's page would only tell the user to retry.
func (s *Server) refusePurged(c *gin.Context, campaignID int64, msgKey string) error {
	_, purged, err := s.store.CampaignPurge(c.Request.Context(), campaignID)
	if err != nil {
		return err
	}
	if purged {
		return refuse(http.StatusConflict, "campaign_purged", msgKey)
	}
	return nil
}

// refuseClosed refuses with 409 (campaign.error.closed) to send reminders
// or produce letters in a campaign the center has closed: its pages stay
// readable and paper slips can still be recorded, but nothing new goes out
// to the families. A campaign only past its deadline is not refused: late
// families may still be chased until the center closes it.
func (s *Server) refuseClosed(c *gin.Context, campaignID int64) error {
	cp, err := s.store.Campaign(c.Request.Context(), campaignID)
	if err != nil {
		return err
	}
	if cp.State == store.CampaignClosed {
		return refuse(http.StatusConflict, "campaign_closed", "campaign.error.closed")
	}
	return nil
}
