package web

import (
	"errors"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiashu/app/content"
	"jiashu/store"
)

// The reviewer sees what families will see (issue 22): a version's page
// and its comparison show, for every age group the change touches, the
// sample letter's real PDF and the parents' phone page, with the lint's
// findings, above 通过 / 退回 — the same previews the editor has.

// contentReview is a version compared with the one it replaces, and the
// previews of the age groups the change touches.
type contentReview struct {
	Against  int64 // the version compared with; 0 for none (the first)
	Diff     content.Diff
	Touched  []string       // age groups, letters.AgeGroups order
	Labels   []string       // their names
	Previews []*previewData // one per touched age group that prints
}

// diffAgainst is the version v is compared with: ?against= (an existing
// version other than v), else the one v was based on, else the newest
// approved other than v; 0 for none.
func (s *Server) diffAgainst(c *gin.Context, v store.ContentVersion) (int64, error) {
	if a := c.Query("against"); a != "" {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 || id == v.ID {
			return 0, errNotFound
		}
		if _, err := s.store.ContentVersion(c.Request.Context(), id); errors.Is(err, store.ErrNotFound) {
			return 0, errNotFound
		} else if err != nil {
			return 0, err
		}
		return id, nil
	}
	if v.BasedOn != 0 {
		return v.BasedOn, nil
	}
	if latest, err := s.store.LatestApprovedContent(c.Request.Context()); err == nil && latest.ID != v.ID {
		return latest.ID, nil
	}
	return 0, nil
}

// contentReview compares version v with the one it replaces and makes the
// previews of the age groups it touches (all of them for a first version).
func (s *Server) contentReview(c *gin.Context, v store.ContentVersion) (contentReview, error) {
	var r contentReview
	var err error
	if r.Against, err = s.diffAgainst(c, v); err != nil {
		return r, err
	}
	files, err := s.contentFlow().Files(c.Request.Context(), v.ID)
	if err != nil {
		return r, err
	}
	old := content.Files{}
	if r.Against != 0 {
		if old, err = s.contentFlow().Files(c.Request.Context(), r.Against); err != nil {
			return r, err
		}
	}
	r.Diff = content.Compare(old, files)
	r.Touched = content.Touched(old, files, r.Diff)
	for _, ag := range r.Touched {
		r.Labels = append(r.Labels, s.T(c, "agegroup."+ag))
		if p := s.previewOf(c, v.ID, files, ag); p != nil {
			r.Previews = append(r.Previews, p)
		}
	}
	return r, nil
}
