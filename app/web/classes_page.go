package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// classCard is a class in the list of classes.
type classCard struct {
	ID       int64  `json:"id"`
	SchoolID int64  `json:"school_id"`
	School   string `json:"school"`
	Grade    int    `json:"grade"`
	Number   int    `json:"class"`
	Name     string `json:"name"`
	Students int    `json:"students"`
	// HeadTeacher is the name its letters, parents' page and reminder
	// texts carry ("" for none): the class's recorded one (head_teacher.go).
	HeadTeacher string `json:"head_teacher"`
}

// newClassCard is cl of the school named school as cards show it.
func newClassCard(cl store.Class, school string) classCard {
	return classCard{ID: cl.ID, SchoolID: cl.SchoolID, School: school, Grade: cl.Grade, Number: cl.Number, Name: cl.Name,
		Students: cl.ActiveStudents, HeadTeacher: cl.HeadTeacher}
}

// classCards lists the current user's classes with their school names.
func (s *Server) classCards(c *gin.Context) ([]classCard, error) {
	classes, err := s.visibleClasses(c)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	out := make([]classCard, 0, len(classes))
	for _, cl := range classes {
		if _, ok := names[cl.SchoolID]; !ok {
			sc, err := s.store.School(c.Request.Context(), cl.SchoolID)
			if err != nil {
				return nil, err
			}
			names[cl.SchoolID] = sc.Name
		}
		out = append(out, newClassCard(cl, names[cl.SchoolID]))
	}
	return out, nil
}

// classesPageData is the data of the "my classes" page.
type classesPageData struct {
	Classes     []classCard
	ManySchools bool // show the school on each card
	IsTeacher   bool
	// Todo is each class's progress and next step in each running
	// campaign of its school, a line each (classes_todo.go).
	Todo   map[int64][]classTodo
	Notice string // after a redirect (?notice=)
}

// classesPage: GET /classes, the teacher's start page.
func (s *Server) classesPage(c *gin.Context) error {
	cards, err := s.classCards(c)
	if err != nil {
		return err
	}
	d := classesPageData{Classes: cards, IsTeacher: currentUser(c).Role == store.RoleTeacher, Notice: noticeText(s, c)}
	if d.Todo, err = s.classTodos(c, cards); err != nil {
		return err
	}
	for _, cc := range cards {
		if cc.SchoolID != cards[0].SchoolID {
			d.ManySchools = true
		}
	}
	return s.render(c, http.StatusOK, "classes.html", s.T(c, "classes.title"), d)
}

// apiClasses: GET /api/v1/classes, the classes the caller may open.
func (s *Server) apiClasses(c *gin.Context) error {
	cards, err := s.classCards(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"classes": cards})
	return nil
}

// apiMe: GET /api/v1/me, who the caller is.
func (s *Server) apiMe(c *gin.Context) error {
	u := currentUser(c)
	me := gin.H{"id": u.ID, "username": u.Username, "display_name": u.DisplayName, "role": u.Role, "school_id": u.SchoolID}
	if t, ok := c.Get(ctxToken); ok { // called with a token: which one, and what it may do
		tok := t.(store.APIToken)
		me["token"] = gin.H{"id": tok.ID, "name": tok.Name, "read_only": tok.ReadOnly}
	}
	c.JSON(http.StatusOK, me)
	return nil
}
