package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
)

// postImport: POST /api/v1/schools/:school/imports (multipart "file", optional
// "class", "dry_run", "valid_only"). Answers the import report: 200 when
// imported (or importable, in a dry run), 422 with the report when the file
// has errors, 422 with an error when the file is unusable.
func (s *Server) postImport(c *gin.Context) error {
	school, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	data, name, msgKey := s.readUpload(c)
	if msgKey != "" {
		status, code := http.StatusBadRequest, "file_missing"
		if msgKey == "roster.error.too_large" {
			status, code = http.StatusRequestEntityTooLarge, "too_large"
		}
		return refuseMsg(status, code, s.uploadRefusal(c, msgKey))
	}
	rep, err := campaign.ImportRoster(c.Request.Context(), s.store, bytes.NewReader(data), campaign.ImportRequest{
		SchoolID: school.ID, Class: c.PostForm("class"), Name: name,
		DryRun: formBool(c, "dry_run"), ValidOnly: formBool(c, "valid_only"),
		MaxBytes: s.cfg.MaxUploadBytes, Printable: s.letters.Printable,
	})
	switch {
	case errors.Is(err, campaign.ErrRosterHasErrors): // the report says what to correct
		c.JSON(http.StatusUnprocessableEntity, rep)
	case err != nil:
		return err
	default:
		if rep.Written {
			s.audit(c, "roster_imported", fmt.Sprintf("school %d %s via API: added %d, updated %d, unchanged %d, transferred %d",
				school.ID, school.Name, rep.Added, rep.Updated, rep.Unchanged, rep.Deactivated))
		}
		c.JSON(http.StatusOK, rep)
	}
	return nil
}

func formBool(c *gin.Context, name string) bool {
	v, _ := strconv.ParseBool(c.DefaultPostForm(name, c.Query(name)))
	return v
}

func megabytes(n int64) string { return strconv.FormatInt(n>>20, 10) + " MB" }
