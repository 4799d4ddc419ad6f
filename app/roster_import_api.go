package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiashu/roster"
)

// postImport: POST /api/v1/schools/:school/imports (multipart "file", optional
// "class", "dry_run", "valid_only"). Answers the import report: 200 when
// imported (or importable, in a dry run), 422 with the report when the file
// has errors, 422 with an error when the file is unusable.
func (s *server) postImport(c *gin.Context) {
	school, ok := s.schoolParam(c, "school")
	if !ok {
		return
	}
	data, _, msgKey := s.readUpload(c)
	if msgKey != "" {
		status, code := http.StatusBadRequest, "file_missing"
		if msgKey == "roster.error.too_large" {
			status, code = http.StatusRequestEntityTooLarge, "too_large"
		}
		s.fail(c, status, code, s.Tf(c, msgKey, megabytes(s.cfg.MaxUploadBytes)))
		return
	}
	rep, err := importRoster(c.Request.Context(), s.store, bytes.NewReader(data), importRequest{
		SchoolID: school.ID, Class: c.PostForm("class"),
		DryRun: formBool(c, "dry_run"), ValidOnly: formBool(c, "valid_only"),
		MaxBytes: s.cfg.MaxUploadBytes, Printable: s.letters.Printable,
	})
	var fe *roster.FileError
	switch {
	case errors.As(err, &fe):
		s.fail(c, http.StatusUnprocessableEntity, fe.Code, fe.Message)
	case errors.Is(err, errRosterHasErrors):
		c.JSON(http.StatusUnprocessableEntity, rep)
	case err != nil:
		s.internal(c, err)
	default:
		if rep.Written {
			s.audit(c, "roster_imported", fmt.Sprintf("school %d %s via API: added %d, updated %d, unchanged %d, transferred %d",
				school.ID, school.Name, rep.Added, rep.Updated, rep.Unchanged, rep.Deactivated))
		}
		c.JSON(http.StatusOK, rep)
	}
}

func formBool(c *gin.Context, name string) bool {
	v, _ := strconv.ParseBool(c.DefaultPostForm(name, c.Query(name)))
	return v
}

func megabytes(n int64) string { return strconv.FormatInt(n>>20, 10) + " MB" }
