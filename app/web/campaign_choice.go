package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/store"
)

// A school's pages (class page, 回执登记, reminders, school page, jobs) are
// about one campaign, which they name, and offer the school's other
// campaigns to choose from. The choice travels as ?campaign=ID in links and
// a "campaign" field in forms; without one a page shows the school's newest
// running campaign (campaign.Choose, the one rule). Nothing switches on its
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
// request names, which must be one of the school's (else 404), else the
// one the user last chose for the school, else the school's default
// (campaign.Shown, campaign.Choose). ok is false with no error when the
// school takes part in no campaign yet.
func (s *Server) chooseCampaign(c *gin.Context, schoolID int64) (ch campaignChoice, ok bool, err error) {
	want, err := requestedCampaign(c)
	if err != nil {
		return ch, false, err
	}
	list, err := s.store.SchoolCampaigns(c.Request.Context(), schoolID)
	if err != nil {
		return ch, false, err
	}
	today := s.store.Today()
	chosen, ok, err := campaign.Shown(list, want, rememberedCampaign(c, schoolID), today)
	if errors.Is(err, store.ErrNotFound) {
		return ch, false, errNotFound
	}
	if err != nil || !ok {
		return ch, false, err
	}
	return s.choice(c, schoolID, list, chosen, want, today), true, nil
}

// classView reads class cl in the campaign its page shows (the one the
// request names, else the one the user last chose for the school, else the
// school's default), with what q asks for: campaign.Class, one store read.
// The choice is nil when the school takes part in no campaign yet.
func (s *Server) classView(c *gin.Context, cl store.Class, q campaign.ClassQuery) (campaign.ClassView, *campaignChoice, error) {
	want, err := requestedCampaign(c)
	if err != nil {
		return campaign.ClassView{}, nil, err
	}
	q.ClassID, q.Want, q.Remembered = cl.ID, want, rememberedCampaign(c, cl.SchoolID)
	v, err := campaign.Class(c.Request.Context(), s.store, q)
	if errors.Is(err, store.ErrNotFound) {
		return v, nil, errNotFound
	}
	if err != nil || !v.HasCampaign {
		return v, nil, err
	}
	ch := s.choice(c, cl.SchoolID, v.Campaigns, v.Campaign, want, v.Today)
	return v, &ch, nil
}

// choice is the chooser of a school's page showing chosen among list; a
// campaign the request named (want) is remembered for the school.
func (s *Server) choice(c *gin.Context, schoolID int64, list []store.Campaign, chosen store.Campaign, want int64, today string) campaignChoice {
	ch := campaignChoice{Campaign: chosen, Phase: chosen.Phase(today)}
	for _, cp := range list {
		ch.Options = append(ch.Options, campaignOption{ID: cp.ID, Name: cp.Name, Phase: cp.Phase(today), Selected: cp.ID == chosen.ID})
	}
	if want != 0 && !isAPI(c) {
		http.SetCookie(c.Writer, &http.Cookie{Name: campaignCookie(schoolID), Value: strconv.FormatInt(want, 10), Path: "/",
			MaxAge: 180 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c)})
	}
	return ch
}

// campaignCookie names the cookie remembering a school's chosen campaign.
func campaignCookie(schoolID int64) string { return fmt.Sprintf("campaign_%d", schoolID) }

// rememberedCampaign is the campaign the user last chose for the school
// (campaign.Shown takes it while it is still one of the school's); 0 when
// none.
func rememberedCampaign(c *gin.Context, schoolID int64) int64 {
	v, err := c.Cookie(campaignCookie(schoolID))
	if err != nil {
		return 0
	}
	id, _ := strconv.ParseInt(v, 10, 64)
	return id
}
