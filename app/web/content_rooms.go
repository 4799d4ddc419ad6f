package web

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"jiashu/app/content"
	"jiashu/letters"
)

// The room each letter keeps on its page, beside the editor (issue 19):
// editing a method shows every letter that prints it — its lines left or
// over, and the methods that take most (letters.Engine.RoomsWith); editing
// a template shows its own letter's.

// roomLine is one letter's room as the editor shows it.
type roomLine struct {
	Label   string // the age group
	OK      bool
	Message string
	// Lines is what the method being edited takes in this letter, as
	// "3.2" (body lines at 10.5 pt); "" when editing a template.
	Lines string
}

// editorRooms is the room of the letters the file or method being edited
// is in; nil when the files do not parse (the lint says why).
func (s *Server) editorRooms(c *gin.Context, files content.Files, ageGroup, methodID string) []roomLine {
	if ageGroup == "" && methodID == "" {
		return nil
	}
	eng, err := files.Engine(s.letters)
	if err != nil {
		return nil
	}
	var rooms []letters.Room
	if methodID != "" {
		rooms, err = eng.RoomsWith(methodID, "")
	} else {
		rooms, err = eng.Rooms("")
	}
	if err != nil {
		return nil
	}
	var out []roomLine
	for _, r := range rooms {
		if methodID == "" && r.AgeGroup != ageGroup {
			continue
		}
		line := roomLine{Label: s.T(c, "agegroup."+r.AgeGroup), OK: r.OK(), Message: r.Message()}
		for _, m := range r.Methods {
			if m.ID == methodID {
				line.Lines = fmt.Sprintf("%.1f", m.Lines)
			}
		}
		out = append(out, line)
	}
	return out
}
