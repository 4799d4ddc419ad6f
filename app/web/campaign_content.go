package web

import (
	"cmp"
	"slices"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// The campaign's content version on its pages (issue 9): the new-campaign
// form offers the approved, not retired versions (newest first and
// chosen by default), and the campaign page says which letters follow
// which version.

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

// campaignContentCounts says which letters of cp follow which version.
func (s *Server) campaignContentCounts(c *gin.Context, cp store.Campaign) ([]contentCount, error) {
	counts, err := s.store.CampaignContentCounts(c.Request.Context(), cp.ID)
	if err != nil {
		return nil, err
	}
	out := make([]contentCount, 0, len(counts))
	for _, n := range counts {
		cc := contentCount{ContentLetterCount: n, Current: n.VersionID == cp.ContentVersionID}
		if v, err := s.store.ContentVersion(c.Request.Context(), n.VersionID); err == nil {
			cc.Title = v.Title
		}
		out = append(out, cc)
	}
	return out, nil
}
