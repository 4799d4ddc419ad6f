package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/gin-gonic/gin"

	"jiashu/roster"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// rosterTemplate serves the empty roster workbook teachers fill in.
func (s *server) rosterTemplate(c *gin.Context) {
	var buf bytes.Buffer
	if err := roster.WriteTemplate(&buf); err != nil {
		s.internal(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="roster-template.xlsx"; filename*=UTF-8''%E5%AD%A6%E7%94%9F%E5%90%8D%E5%86%8C%E6%A8%A1%E6%9D%BF.xlsx`)
	c.Data(200, xlsxType, buf.Bytes())
}

// cmdRosterTemplate: app roster-template FILE
func cmdRosterTemplate(_ context.Context, e *env, args []string) int {
	var cfg Config
	fs := flag.NewFlagSet("roster-template", flag.ContinueOnError)
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "usage: app roster-template FILE")
		return exitUnusable
	}
	f, err := os.Create(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(e.stderr, "app roster-template:", err)
		return exitUnusable
	}
	if err := roster.WriteTemplate(f); err != nil {
		f.Close()
		fmt.Fprintln(e.stderr, "app roster-template:", err)
		return exitUnusable
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(e.stderr, "app roster-template:", err)
		return exitUnusable
	}
	fmt.Fprintf(e.stdout, "已写入名册模板 %s\n", fs.Arg(0))
	return exitOK
}
