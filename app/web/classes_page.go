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
		out = append(out, classCard{ID: cl.ID, SchoolID: cl.SchoolID, School: names[cl.SchoolID], Grade: cl.Grade,
			Number: cl.Number, Name: cl.Name, Students: cl.ActiveStudents})
	}
	return out, nil
}

// classesPageData is the data of the "my classes" page.
type classesPageData struct {
	Classes     []classCard
	ManySchools bool // show the school on each card
	IsTeacher   bool
	// Todo is each class's progress and next step (classes_todo.go);
	// Choice the campaign shown, when the classes are of one school.
	Todo   map[int64]classTodo
	Choice *campaignChoice
	Notice string // after a redirect (?notice=)
}

// classesPage: GET /classes, the teacher's start page.
func (s *Server) classesPage(c *gin.Context) error {
	cards, err := s.classCards(c)
	if err != nil {
		return err
	}
	d := classesPageData{Classes: cards, IsTeacher: currentUser(c).Role == store.RoleTeacher, Notice: noticeText(s, c)}
	if d.Todo, d.Choice, err = s.classTodos(c, cards); err != nil {
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
