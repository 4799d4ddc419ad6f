package web

import (
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
