package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// The school-wide roster import: a workbook with a sheet per class, the
// same upload → preview → confirm flow as a class's (roster_upload_page.go,
// whose page and helpers it uses), only not bound to one class.

func (s *Server) schoolRosterData(sc store.School) rosterPageData {
	return rosterPageData{School: sc.Name, SchoolID: sc.ID, Scope: sc.Name, Action: fmt.Sprintf("/schools/%d/roster", sc.ID)}
}

// schoolRosterPage: GET /schools/:school/roster.
func (s *Server) schoolRosterPage(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	return s.renderRoster(c, http.StatusOK, s.schoolRosterData(sc))
}

// schoolRosterUpload: POST /schools/:school/roster (multipart "file"):
// checks the workbook, keeps it for the confirmation, shows the preview.
func (s *Server) schoolRosterUpload(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	return s.previewRoster(c, s.schoolRosterData(sc), store.Upload{SchoolID: sc.ID}, rosterRequest{SchoolID: sc.ID})
}

// schoolRosterConfirm: POST /schools/:school/roster/:upload (valid_only).
func (s *Server) schoolRosterConfirm(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	d := s.schoolRosterData(sc)
	up, err := s.store.Upload(c.Request.Context(), c.Param("upload"), currentUser(c).ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (up.SchoolID != sc.ID || up.ClassID != 0)) {
		d.Error = s.T(c, "roster.error.expired")
		return s.renderRoster(c, http.StatusGone, d)
	}
	if err != nil {
		return err
	}
	rep, ok, err := s.confirmRoster(c, d, up, rosterRequest{SchoolID: sc.ID})
	if !ok {
		return err
	}
	s.audit(c, "roster_imported", fmt.Sprintf("school %d %s: %s, %d classes, added %d, updated %d, unchanged %d, transferred %d",
		sc.ID, sc.Name, up.Filename, len(rep.Classes), rep.Added, rep.Updated, rep.Unchanged, rep.Deactivated))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/schools/%d?imported=%d.%d.%d.%d", sc.ID, rep.Added, rep.Updated, rep.Unchanged, rep.Deactivated))
	return nil
}
