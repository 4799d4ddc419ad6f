package web

import (
	"bytes"

	"github.com/gin-gonic/gin"

	"jiashu/roster"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// rosterTemplate serves the empty roster workbook teachers fill in.
func (s *Server) rosterTemplate(c *gin.Context) error {
	var buf bytes.Buffer
	if err := roster.WriteTemplate(&buf); err != nil {
		return err
	}
	c.Header("Content-Disposition", attachment("roster-template.xlsx", "学生名册模板.xlsx"))
	c.Data(200, xlsxType, buf.Bytes())
	return nil
}
