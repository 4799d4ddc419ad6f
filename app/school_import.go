package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/roster"
	"jiashu/store"
)

// The school-wide roster import: a workbook with a sheet per class, the
// same upload → preview → confirm flow as a class's (roster_upload_page.go,
// whose page and helpers it uses), only not bound to one class.

func (s *server) schoolRosterData(sc store.School) rosterPageData {
	return rosterPageData{School: sc.Name, SchoolID: sc.ID, Scope: sc.Name, Action: fmt.Sprintf("/schools/%d/roster", sc.ID)}
}

// schoolRosterPage: GET /schools/:school/roster.
func (s *server) schoolRosterPage(c *gin.Context) {
	sc, ok := s.schoolParam(c, "school")
	if !ok {
		return
	}
	s.renderRoster(c, http.StatusOK, s.schoolRosterData(sc))
}

// checkSchoolRoster dry-runs a school workbook. problem is a message for
// people when the file is unusable.
func (s *server) checkSchoolRoster(c *gin.Context, sc store.School, data []byte) (importReport, string, error) {
	return s.dryRunRoster(c, data, importRequest{SchoolID: sc.ID})
}

// schoolRosterUpload: POST /schools/:school/roster (multipart "file"):
// checks the workbook, keeps it for the confirmation, shows the preview.
func (s *server) schoolRosterUpload(c *gin.Context) {
	sc, ok := s.schoolParam(c, "school")
	if !ok {
		return
	}
	s.previewRoster(c, s.schoolRosterData(sc), store.Upload{SchoolID: sc.ID},
		func(data []byte) (importReport, string, error) { return s.checkSchoolRoster(c, sc, data) })
}

// schoolRosterConfirm: POST /schools/:school/roster/:upload (valid_only).
func (s *server) schoolRosterConfirm(c *gin.Context) {
	sc, ok := s.schoolParam(c, "school")
	if !ok {
		return
	}
	d := s.schoolRosterData(sc)
	up, err := s.store.Upload(c.Request.Context(), c.Param("upload"), currentUser(c).ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (up.SchoolID != sc.ID || up.ClassID != 0)) {
		d.Error = s.T(c, "roster.error.expired")
		s.renderRoster(c, http.StatusGone, d)
		return
	}
	if err != nil {
		s.internal(c, err)
		return
	}
	rep, err := importRoster(c.Request.Context(), s.store, bytes.NewReader(up.Data), importRequest{
		SchoolID: sc.ID, ValidOnly: formBool(c, "valid_only"), MaxBytes: s.cfg.MaxUploadBytes, Printable: s.letters.Printable,
	})
	var fe *roster.FileError
	switch {
	case errors.Is(err, errRosterHasErrors):
		d.Report, d.UploadID, d.Filename = &rep, up.ID, up.Filename
		s.renderRoster(c, http.StatusUnprocessableEntity, d)
		return
	case errors.As(err, &fe):
		d.Error = fe.Message
		s.renderRoster(c, http.StatusUnprocessableEntity, d)
		return
	case err != nil:
		s.internal(c, err)
		return
	}
	if err := s.store.DeleteUpload(c.Request.Context(), up.ID); err != nil {
		s.log.Warn("delete upload", "err", err)
	}
	s.audit(c, "roster_imported", fmt.Sprintf("school %d %s: %s, %d classes, added %d, updated %d, unchanged %d, transferred %d",
		sc.ID, sc.Name, up.Filename, len(rep.Classes), rep.Added, rep.Updated, rep.Unchanged, rep.Deactivated))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/schools/%d?imported=%d.%d.%d.%d", sc.ID, rep.Added, rep.Updated, rep.Unchanged, rep.Deactivated))
}
