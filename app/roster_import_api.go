package main

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiashu/roster"
)

// postImport: POST /api/v1/schools/:school/imports (multipart "file", optional
// "class", "dry_run", "valid_only"). Answers the import report.
func (s *server) postImport(c *gin.Context) {
	schoolID, err := strconv.ParseInt(c.Param("school"), 10, 64)
	if err != nil {
		s.fail(c, http.StatusNotFound, "not_found", "学校不存在")
		return
	}
	// Cap the body before anything reads it: excelize would read it whole.
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxUploadBytes+1<<20)
	fh, err := c.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(c, http.StatusRequestEntityTooLarge, "too_large", "文件太大，名册文件不能超过 "+megabytes(s.cfg.MaxUploadBytes))
			return
		}
		s.fail(c, http.StatusBadRequest, "file_missing", "请选择要上传的名册文件（.xlsx）")
		return
	}
	if _, err := s.store.School(c, schoolID); err != nil {
		s.fail(c, http.StatusNotFound, "not_found", "学校不存在")
		return
	}
	f, err := fh.Open()
	if err != nil {
		s.internal(c, err)
		return
	}
	defer f.Close()
	rep, err := importRoster(c, s.store, f, importRequest{
		SchoolID: schoolID, Class: c.PostForm("class"),
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
		c.JSON(http.StatusOK, rep)
	}
}

func formBool(c *gin.Context, name string) bool {
	v, _ := strconv.ParseBool(c.DefaultPostForm(name, c.Query(name)))
	return v
}

func megabytes(n int64) string { return strconv.FormatInt(n>>20, 10) + " MB" }
