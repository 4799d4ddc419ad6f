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
			// A cell of thousands of characters (a note pasted into the
			// name column) is cut: the message says how long it is.
			p.Value = campaign.Clip(p.Value, 60)
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
	return s.previewRoster(c, rosterPageData{Class: cl}, store.Upload{SchoolID: cl.SchoolID, ClassID: cl.ID}, s.classRequest(cl))
}

// previewRoster reads the uploaded roster, checks it against req (a dry
// run answering the report, or a problem to show instead), keeps it in the
// database for the confirmation (any instance may receive that) and shows
// the preview on the roster page d. keep says whose upload it is.
func (s *Server) previewRoster(c *gin.Context, d rosterPageData, keep store.Upload, req rosterRequest) error {
	data, name, msgKey := s.readUpload(c)
	if msgKey != "" {
		d.Error = s.uploadRefusal(c, msgKey)
		return s.renderRoster(c, http.StatusUnprocessableEntity, d)
	}
	f, unusable, err := s.readRoster(c, data, name, req)
	if err != nil {
		return err
	}
	if unusable != "" {
		d.Error = unusable
		return s.renderRoster(c, http.StatusUnprocessableEntity, d)
	}
	rep, err := f.Apply(c.Request.Context(), s.store, campaign.ImportRequest{SchoolID: req.SchoolID, DryRun: true})
	if msg := s.refusedInput(c, err); msg != "" && !errors.Is(err, campaign.ErrRosterHasErrors) { // a class too large
		d.Error = msg
		return s.renderRoster(c, http.StatusUnprocessableEntity, d)
	}
	if err != nil && !errors.Is(err, campaign.ErrRosterHasErrors) {
		return err
	}
	keep.UserID, keep.Filename, keep.Data = currentUser(c).ID, name, data
	id, err := s.store.SaveUpload(c.Request.Context(), keep, uploadTTL)
	if err != nil {
		return err
	}
	d.Report, d.UploadID, d.Filename = &rep, id, name
	return s.renderRoster(c, http.StatusOK, d)
}

// confirmRoster imports a previewed upload (read once more, not dry-run
// again), or only its valid rows, and answers the page d on a refusal.
// ok is false when it has answered.
func (s *Server) confirmRoster(c *gin.Context, d rosterPageData, up store.Upload, req rosterRequest) (campaign.ImportReport, bool, error) {
	f, unusable, err := s.readRoster(c, up.Data, up.Filename, req)
	if err != nil {
		return campaign.ImportReport{}, false, err
	}
	if unusable != "" {
		d.Error = unusable
		return campaign.ImportReport{}, false, s.renderRoster(c, http.StatusUnprocessableEntity, d)
	}
	rep, err := f.Apply(c.Request.Context(), s.store, campaign.ImportRequest{SchoolID: req.SchoolID, ValidOnly: formBool(c, "valid_only")})
	if errors.Is(err, campaign.ErrRosterHasErrors) {
		d.Report, d.UploadID, d.Filename = &rep, up.ID, up.Filename
		return rep, false, s.renderRoster(c, http.StatusUnprocessableEntity, d)
	}
	if msg := s.refusedInput(c, err); msg != "" { // a class too large
		d.Error = msg
		return rep, false, s.renderRoster(c, http.StatusUnprocessableEntity, d)
	}
	if err != nil {
		return rep, false, err
	}
	if err := s.store.DeleteUpload(c.Request.Context(), up.ID); err != nil {
		s.log.Warn("delete upload", "err", err)
	}
	return rep, true, nil
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
	// The file is read again (the rule that a class page imports only that
	// class must hold whatever happens), then written: no second dry run.
	rep, ok, err := s.confirmRoster(c, rosterPageData{Class: cl}, up, s.classRequest(cl))
	if !ok {
		return err
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

// uploadRefusal is the message of readUpload's refusal key: the size
// limit is in the one that names it.
func (s *Server) uploadRefusal(c *gin.Context, msgKey string) string {
	if msgKey == "roster.error.too_large" {
		return s.Tf(c, msgKey, megabytes(s.cfg.MaxUploadBytes))
	}
	return s.T(c, msgKey)
}

// rosterRequest is what a roster page imports into: the school, and for
// a class page the class (which the file may name only).
type rosterRequest struct {
	SchoolID int64
	Class    *store.Class
}

func (s *Server) classRequest(cl store.Class) rosterRequest {
	return rosterRequest{SchoolID: cl.SchoolID, Class: &cl}
}

// readRoster parses data for req. problem is a message for people when the
// file is unusable or, on a class page, names another class: a class page
// never writes into another class. Rows with errors are no problem here:
// they are in the report.
func (s *Server) readRoster(c *gin.Context, data []byte, name string, req rosterRequest) (campaign.RosterFile, string, error) {
	in := campaign.ImportRequest{SchoolID: req.SchoolID, Name: name, MaxBytes: s.cfg.MaxUploadBytes, Printable: s.letters.Printable}
	if req.Class != nil {
		in.Class = req.Class.Name
	}
	f, err := campaign.ReadRoster(c.Request.Context(), bytes.NewReader(data), in)
	if msg := s.refusedInput(c, err); msg != "" { // the file is unusable: the page says why
		return f, msg, nil
	}
	if err != nil {
		return f, "", err
	}
	if cl := req.Class; cl != nil {
		var others []string
		for _, rc := range f.Report.Classes {
			if !(rc.Grade == cl.Grade && rc.Class == cl.Number) && rc.Name != cl.Name {
				others = append(others, rc.Name)
			}
		}
		if len(others) > 0 {
			return f, s.Tf(c, "roster.error.other_class", strings.Join(others, "、"), cl.Name), nil
		}
	}
	return f, "", nil
}
