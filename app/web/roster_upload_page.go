package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/roster"
	"jiashu/store"
)

// uploadTTL is how long an uploaded roster waits for its confirmation.
const uploadTTL = 2 * time.Hour

// rosterPageData is the roster page: the upload form, and after an upload
// the preview (counts and every problem) with the confirm buttons.
type rosterPageData struct {
	Class  store.Class
	School string
	// A school-wide import (school_import.go) has no Class: it sets these,
	// which a class page leaves for renderRoster to derive from Class.
	SchoolID int64                  // the school whose page the breadcrumbs lead back to
	Action   string                 // where the form posts: /classes/ID/roster or /schools/ID/roster
	Scope    string                 // what is imported, in the heading: the class or school name
	Error    string                 // the file is unusable: why
	Report   *campaign.ImportReport // the dry run of the uploaded file
	UploadID string
	Filename string
	Rows     []problemRow
}

// problemRow is a problem as the preview lists it.
type problemRow struct {
	roster.Problem
	IsError bool
}

// rosterPage: GET /classes/:id/roster, the upload form.
func (s *Server) rosterPage(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	return s.renderRoster(c, http.StatusOK, rosterPageData{Class: cl})
}

func (s *Server) renderRoster(c *gin.Context, status int, d rosterPageData) error {
	if d.Class.ID != 0 {
		if sc, err := s.store.School(c.Request.Context(), d.Class.SchoolID); err == nil {
			d.School = sc.Name
		}
		d.Action, d.Scope = fmt.Sprintf("/classes/%d/roster", d.Class.ID), d.Class.Name
	}
	if d.Report != nil {
		for _, p := range d.Report.Problems {
			d.Rows = append(d.Rows, problemRow{Problem: p, IsError: p.Severity == roster.Error})
		}
	}
	return s.render(c, status, "roster.html", s.T(c, "roster.title")+" · "+d.Scope, d)
}

// rosterUpload: POST /classes/:id/roster (multipart "file"). Checks the
// file without writing anything, keeps it in the database for the
// confirmation (any instance may receive that), and shows the preview.
func (s *Server) rosterUpload(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	s.previewRoster(c, rosterPageData{Class: cl}, store.Upload{SchoolID: cl.SchoolID, ClassID: cl.ID},
		func(data []byte) (campaign.ImportReport, string, error) { return s.checkClassRoster(c, cl, data) })
	return nil
}

// previewRoster reads the uploaded workbook, checks it with check (a dry
// run answering the report, or a problem to show instead), keeps it in the
// database for the confirmation (any instance may receive that) and shows
// the preview on the roster page d. keep says whose upload it is.
func (s *Server) previewRoster(c *gin.Context, d rosterPageData, keep store.Upload, check func([]byte) (campaign.ImportReport, string, error)) error {
	data, name, msgKey := s.readUpload(c)
	if msgKey != "" {
		d.Error = s.Tf(c, msgKey, megabytes(s.cfg.MaxUploadBytes))
		return s.renderRoster(c, http.StatusUnprocessableEntity, d)
	}
	rep, problem, err := check(data)
	if err != nil {
		return err
	}
	if problem != "" {
		d.Error = problem
		return s.renderRoster(c, http.StatusUnprocessableEntity, d)
	}
	keep.UserID, keep.Filename, keep.Data = currentUser(c).ID, name, data
	id, err := s.store.SaveUpload(c.Request.Context(), keep, uploadTTL)
	if err != nil {
		return err
	}
	d.Report, d.UploadID, d.Filename = &rep, id, name
	return s.renderRoster(c, http.StatusOK, d)
}

// rosterConfirm: POST /classes/:id/roster/:upload (valid_only): imports the
// previewed file, or only its valid rows.
func (s *Server) rosterConfirm(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	up, err := s.store.Upload(c.Request.Context(), c.Param("upload"), currentUser(c).ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && up.ClassID != cl.ID) {
		return s.renderRoster(c, http.StatusGone, rosterPageData{Class: cl, Error: s.T(c, "roster.error.expired")})
	}
	if err != nil {
		return err
	}
	// Check again, then write: the file is the one previewed, but the rule
	// that a class page imports only that class must hold whatever happens.
	if _, problem, err := s.checkClassRoster(c, cl, up.Data); err != nil || problem != "" {
		if err != nil {
			return err
		}
		return s.renderRoster(c, http.StatusUnprocessableEntity, rosterPageData{Class: cl, Error: problem})
	}
	rep, err := campaign.ImportRoster(c.Request.Context(), s.store, bytes.NewReader(up.Data), campaign.ImportRequest{
		SchoolID: cl.SchoolID, Class: cl.Name, ValidOnly: formBool(c, "valid_only"),
		MaxBytes: s.cfg.MaxUploadBytes, Printable: s.letters.Printable,
	})
	if errors.Is(err, campaign.ErrRosterHasErrors) {
		return s.renderRoster(c, http.StatusUnprocessableEntity, rosterPageData{Class: cl, Report: &rep, UploadID: up.ID, Filename: up.Filename})
	}
	if err != nil {
		return err
	}
	if err := s.store.DeleteUpload(c.Request.Context(), up.ID); err != nil {
		s.log.Warn("delete upload", "err", err)
	}
	s.audit(c, "roster_imported", fmt.Sprintf("class %d %s: %s, added %d, updated %d, unchanged %d, transferred %d",
		cl.ID, cl.Name, up.Filename, rep.Added, rep.Updated, rep.Unchanged, rep.Deactivated))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/classes/%d?imported=%d.%d.%d.%d", cl.ID, rep.Added, rep.Updated, rep.Unchanged, rep.Deactivated))
	return nil
}

// readUpload reads the multipart "file" within the size limit. msgKey
// names the catalogue text of a refusal.
// The body is capped by the limitBody middleware.
func (s *Server) readUpload(c *gin.Context) (data []byte, name, msgKey string) {
	fh, err := c.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, "", "roster.error.too_large"
		}
		return nil, "", "roster.error.no_file"
	}
	if fh.Size > s.cfg.MaxUploadBytes {
		return nil, "", "roster.error.too_large"
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", "roster.error.no_file"
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, s.cfg.MaxUploadBytes+1))
	if err != nil || len(data) == 0 {
		return nil, "", "roster.error.no_file"
	}
	return data, filepath.Base(fh.Filename), ""
}

// checkClassRoster dry-runs the file into cl. problem is a message for the
// teacher when the file is unusable or names a class other than cl: a class
// page never writes into another class.
func (s *Server) checkClassRoster(c *gin.Context, cl store.Class, data []byte) (campaign.ImportReport, string, error) {
	rep, problem, err := s.dryRunRoster(c, data, campaign.ImportRequest{SchoolID: cl.SchoolID, Class: cl.Name})
	if err != nil || problem != "" {
		return rep, problem, err
	}
	var others []string
	for _, rc := range rep.Classes {
		if !(rc.Grade == cl.Grade && rc.Class == cl.Number) && rc.Name != cl.Name {
			others = append(others, rc.Name)
		}
	}
	if len(others) > 0 {
		return rep, s.Tf(c, "roster.error.other_class", strings.Join(others, "、"), cl.Name), nil
	}
	return rep, "", nil
}

// dryRunRoster checks data against req's school (and class) without
// writing. problem is the file's own message when it is unusable; rows
// with errors are no error here: they are in the report.
func (s *Server) dryRunRoster(c *gin.Context, data []byte, req campaign.ImportRequest) (campaign.ImportReport, string, error) {
	req.DryRun, req.MaxBytes, req.Printable = true, s.cfg.MaxUploadBytes, s.letters.Printable
	rep, err := campaign.ImportRoster(c.Request.Context(), s.store, bytes.NewReader(data), req)
	var fe *roster.FileError
	switch {
	case errors.As(err, &fe):
		return rep, fe.Message, nil
	case err != nil && !errors.Is(err, campaign.ErrRosterHasErrors):
		return rep, "", err
	}
	return rep, "", nil
}
