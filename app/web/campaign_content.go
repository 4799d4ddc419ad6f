package web

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/content"
	"jiashu/store"
)

// The campaign's content version on its pages (issues 9 and 22): the
// new-campaign form offers the approved, not retired versions (newest
// first and chosen by default); the campaign page says which letters
// follow which version and offers "改用第 N 版" for each newer approved
// version, through a page that shows what changes — the comparison, the
// age groups whose letter changes, and that letters printed from now on
// follow the new version while those printed keep theirs — before the
// center confirms (audited: campaign_content_moved).

// versionChoice is one option of the form's content version.
type versionChoice struct {
	ID       int64
	Title    string
	Selected bool
}

// contentChoices lists the approved versions, newest first; want (0: the
// newest) is selected.
func (s *Server) contentChoices(c *gin.Context, want int64) ([]versionChoice, error) {
	vs, err := s.store.ContentVersions(c.Request.Context())
	if err != nil {
		return nil, err
	}
	var out []versionChoice
	for _, v := range vs {
		if v.State == store.ContentApproved {
			out = append(out, versionChoice{ID: v.ID, Title: v.Title})
		}
	}
	// Newest first whatever order the store lists them in.
	slices.SortFunc(out, func(a, b versionChoice) int { return cmp.Compare(b.ID, a.ID) })
	for i := range out {
		out[i].Selected = out[i].ID == want
	}
	if want == 0 && len(out) > 0 {
		out[0].Selected = true
	}
	return out, nil
}

// contentCount is how many of a campaign's letters follow a version.
type contentCount struct {
	store.ContentLetterCount
	Title   string
	Current bool // the campaign's pinned version
}

// campaignVersions is the campaign page's content card.
type campaignVersions struct {
	Current store.ContentVersion
	Counts  []contentCount         // which letters follow which version
	Newer   []store.ContentVersion // approved versions newer than Current, newest first
	Open    bool                   // the campaign may still print (neither closed nor purged)
}

// campaignVersionsOf reads the content card of campaign cp.
func (s *Server) campaignVersionsOf(c *gin.Context, cp store.Campaign) (campaignVersions, error) {
	d := campaignVersions{Open: campaign.CheckOpen(cp) == nil}
	counts, err := s.store.CampaignContentCounts(c.Request.Context(), cp.ID)
	if err != nil {
		return d, err
	}
	vs, err := s.store.ContentVersions(c.Request.Context())
	if err != nil {
		return d, err
	}
	title := map[int64]string{}
	for _, v := range vs {
		title[v.ID] = v.Title
		switch {
		case v.ID == cp.ContentVersionID:
			d.Current = v
		case v.State == store.ContentApproved && v.ID > cp.ContentVersionID:
			d.Newer = append(d.Newer, v)
		}
	}
	slices.SortFunc(d.Newer, func(a, b store.ContentVersion) int { return cmp.Compare(b.ID, a.ID) })
	for _, n := range counts {
		d.Counts = append(d.Counts, contentCount{ContentLetterCount: n, Title: title[n.VersionID], Current: n.VersionID == cp.ContentVersionID})
	}
	return d, nil
}

// contentMoveData is the page that asks before a campaign moves to a
// newer version.
type contentMoveData struct {
	Campaign store.Campaign
	From, To store.ContentVersion
	Review   contentReview // To compared with From: methods, files, age groups
	Printed  int           // letters already printed, which keep their version
	Error    string
}

// campaignContentPage: GET /campaigns/:campaign/content?version=N — what
// moving the campaign to version N changes, and the button that does it;
// without a version, the campaign page's list of versions to choose from.
func (s *Server) campaignContentPage(c *gin.Context) error {
	d, ok, err := s.askedMove(c)
	if !ok || err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "campaign_content.html", s.Tf(c, "move.title", d.To.ID), d)
}

// contentMove reads the move of cp to version to: a newer approved version
// (else 404), of a campaign that may still print (else 409).
func (s *Server) contentMove(c *gin.Context, cp store.Campaign, to int64) (contentMoveData, error) {
	d := contentMoveData{Campaign: cp}
	if err := campaign.CheckOpen(cp); err != nil {
		return d, err
	}
	var err error
	d.To, err = s.store.ContentVersion(c.Request.Context(), to)
	if errors.Is(err, store.ErrNotFound) || err == nil && (d.To.State != store.ContentApproved || d.To.ID <= cp.ContentVersionID) {
		return d, errNotFound
	}
	if err != nil {
		return d, err
	}
	if d.From, err = s.store.ContentVersion(c.Request.Context(), cp.ContentVersionID); err != nil {
		return d, err
	}
	old, err := s.contentFlow().Files(c.Request.Context(), d.From.ID)
	if err != nil {
		return d, err
	}
	files, err := s.contentFlow().Files(c.Request.Context(), d.To.ID)
	if err != nil {
		return d, err
	}
	d.Review = contentReview{Against: d.From.ID, Diff: content.Compare(old, files)}
	d.Review.Touched = content.Touched(old, files, d.Review.Diff)
	for _, ag := range d.Review.Touched {
		d.Review.Labels = append(d.Review.Labels, s.T(c, "agegroup."+ag))
	}
	counts, err := s.store.CampaignContentCounts(c.Request.Context(), cp.ID)
	for _, n := range counts {
		d.Printed += n.Letters
	}
	return d, err
}

// versionAsked is the version a request names (query, else form); 0 for
// none or a malformed one.
func versionAsked(c *gin.Context) int64 {
	v := c.Query("version")
	if v == "" {
		v = c.PostForm("version")
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}

// askedMove reads the move the request asks for: the campaign and
// ?version= (or the form's version). Without a version it leads back to
// the campaign's versions and answers ok false.
func (s *Server) askedMove(c *gin.Context) (d contentMoveData, ok bool, err error) {
	cp, err := s.campaignParam(c)
	if err != nil {
		return d, false, err
	}
	v := versionAsked(c)
	if v == 0 {
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d#content-versions", cp.ID))
		return d, false, nil
	}
	d, err = s.contentMove(c, cp, v)
	return d, err == nil, err
}

// campaignContentMove: POST /campaigns/:campaign/content (version): moves
// the campaign to the newer approved version; letters already printed keep
// theirs (store.MoveCampaignContent, audited). A form without a version
// changes nothing and leads back to the campaign's versions.
func (s *Server) campaignContentMove(c *gin.Context) error {
	d, ok, err := s.askedMove(c)
	if !ok || err != nil {
		return err
	}
	if err := s.store.MoveCampaignContent(c.Request.Context(), d.Campaign.ID, d.To.ID, currentUser(c).ID); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d?saved=content#content-versions", d.Campaign.ID))
	return nil
}
