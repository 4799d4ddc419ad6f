package web

import (
	"net/http"

	"jiashu/store"
)

// refuseEnded refuses (409) to produce letters or send reminders in a
// campaign that has ended: one whose personal data was purged (its letters
// and codes are gone and the store takes no new ones, so printing would
// fail and a letters job's page would only tell the user to retry), or one
// the center has closed (its pages stay readable and paper slips can still
// be recorded, but nothing new goes out to the families). A campaign only
// past its deadline is not refused: late families may still be chased
// until the center closes it. cp is the campaign as loaded (State, Purged).
func refuseEnded(cp store.Campaign) error {
	switch {
	case cp.Purged:
		return refuse(http.StatusConflict, "campaign_purged", "campaign.error.purged")
	case cp.State == store.CampaignClosed:
		return refuse(http.StatusConflict, "campaign_closed", "campaign.error.closed")
	}
	return nil
}
