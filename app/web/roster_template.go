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
	c.Header("Content-Disposition", `attachment; filename="roster-template.xlsx"; filename*=UTF-8''%E5%AD%A6%E7%94%9F%E5%90%8D%E5%86%8C%E6%A8%A1%E6%9D%BF.xlsx`)
	c.Data(200, xlsxType, buf.Bytes())
	return nil
}
