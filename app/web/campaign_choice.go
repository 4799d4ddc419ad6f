package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// A school's pages (class page, 回执登记, reminders, school page, jobs) are
// about one campaign, which they name, and offer the school's other
// campaigns to choose from. The choice travels as ?campaign=ID in links and
// a "campaign" field in forms; without one a page shows the school's newest
// running campaign (store.LatestCampaignOfSchool). Nothing switches on its
// own: a link followed from a page keeps the campaign it showed, and a
// campaign the user chose is remembered for the school (a cookie), so a new
// campaign the center starts does not replace it until the user picks it.
// The API takes the same parameter.

// campaignOption is one campaign in a page's chooser.
type campaignOption struct {
	ID       int64
	Name     string
	Phase    string // store.CampaignRunning, CampaignClosed, CampaignPurged
	Selected bool
}

// campaignChoice is the campaign a page shows and the ones it offers.
type campaignChoice struct {
	Campaign store.Campaign
	Phase    string
	Options  []campaignOption
}

// Query is "?campaign=ID", for links from the page.
func (ch campaignChoice) Query() string { return fmt.Sprintf("?campaign=%d", ch.Campaign.ID) }

// Param is "campaign=ID", for links that have other parameters.
func (ch campaignChoice) Param() string { return fmt.Sprintf("campaign=%d", ch.Campaign.ID) }

// requestedCampaign reads the campaign a request names (query, else form);
// 0 when it names none. A malformed value is a 404, like an unknown id.
func requestedCampaign(c *gin.Context) (int64, error) {
	v := c.Query("campaign")
	if v == "" {
		v = c.PostForm("campaign")
	}
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// chooseCampaign resolves the campaign of a school's page: the one the
// request names, which must be one of the school's (else 404), or the
// school's default. ok is false with no error when the school takes part
// in no campaign yet.
func (s *Server) chooseCampaign(c *gin.Context, schoolID int64) (ch campaignChoice, ok bool, err error) {
	want, err := requestedCampaign(c)
	if err != nil {
		return ch, false, err
	}
	list, err := s.store.SchoolCampaigns(c.Request.Context(), schoolID)
	if err != nil {
		return ch, false, err
	}
	chosen := want != 0
	if want == 0 {
		want = rememberedCampaign(c, schoolID, list)
	}
	if want == 0 {
		want, err = s.store.LatestCampaignOfSchool(c.Request.Context(), schoolID)
		if errors.Is(err, store.ErrNotFound) {
			return ch, false, nil
		}
		if err != nil {
			return ch, false, err
		}
	}
	today := s.store.Today()
	for _, cp := range list {
		o := campaignOption{ID: cp.ID, Name: cp.Name, Phase: cp.Phase(today), Selected: cp.ID == want}
		if o.Selected {
			ch.Campaign, ch.Phase = cp, o.Phase
		}
		ch.Options = append(ch.Options, o)
	}
	if ch.Campaign.ID == 0 {
		return ch, false, errNotFound
	}
	if chosen && !isAPI(c) {
		http.SetCookie(c.Writer, &http.Cookie{Name: campaignCookie(schoolID), Value: strconv.FormatInt(want, 10), Path: "/",
			MaxAge: 180 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c)})
	}
	return ch, true, nil
}

// campaignCookie names the cookie remembering a school's chosen campaign.
func campaignCookie(schoolID int64) string { return fmt.Sprintf("campaign_%d", schoolID) }

// rememberedCampaign is the campaign the user last chose for the school,
// if it is still one of list; 0 otherwise.
func rememberedCampaign(c *gin.Context, schoolID int64, list []store.Campaign) int64 {
	v, err := c.Cookie(campaignCookie(schoolID))
	if err != nil {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0
	}
	for _, cp := range list {
		if cp.ID == id {
			return id
		}
	}
	return 0
}
