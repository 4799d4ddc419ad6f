package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/letters"
	"jiashu/store"
)

// One true head teacher (issue 19): the class page shows the name the
// class's letters sign with — the name the parents' page and the reminder
// texts carry too — and its teachers, the school's administrator and the
// center change it there or through the API (audited by the store). A
// roster never switches it (store/import_plan.go).

// headTeacherCard is the class page's card of its head teacher.
type headTeacherCard struct {
	ClassID int64
	Name    string   // "" for none
	Lines   []string // the letters' signature lines with it (重庆市…学校 / 三年级1班班主任 王老师)
	Error   string   // a refused name, on the page that refused it
	Value   string   // what the form shows
}

// headTeacherCard builds the card of class cl from its read cv: the
// signature lines of the template of the campaign the page shows.
func (s *Server) headTeacherCard(c *gin.Context, cl store.Class, cv campaign.ClassView) (*headTeacherCard, error) {
	card := &headTeacherCard{ClassID: cl.ID, Name: cl.HeadTeacher, Value: cl.HeadTeacher}
	version, err := s.content.Newest(c.Request.Context())
	if err != nil {
		return nil, err
	}
	if cv.HasCampaign {
		full, err := s.store.Campaign(c.Request.Context(), cv.Campaign.ID)
		if err != nil {
			return nil, err
		}
		version = full.ContentVersionID
	}
	lib, err := s.content.Library(c.Request.Context(), version)
	if err != nil {
		return nil, err
	}
	ag := string(s.cfg.AgeGroups.Of(cl.Grade))
	if ag == "" {
		ag = letters.PrimaryUpper
	}
	if t, err := lib.Template(ag); err == nil {
		card.Lines = campaign.Signature(t, cv.School, cl)
	}
	return card, nil
}

// saveHeadTeacher: POST /classes/:id/head-teacher (name): a refused name
// is shown on the class page with what to do.
func (s *Server) saveHeadTeacher(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	name := c.PostForm("name")
	if _, err := campaign.SetHeadTeacher(c.Request.Context(), s.store, cl.ID, name, currentUser(c).ID); err != nil {
		msg := s.refusedInput(c, err)
		if msg == "" {
			return err
		}
		v, lerr := s.loadClassView(c, cl, classPageSize)
		if lerr != nil {
			return lerr
		}
		v.HeadTeacher.Error, v.HeadTeacher.Value = msg, name
		return s.render(c, http.StatusUnprocessableEntity, "class.html", cl.Name, v)
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/classes/%d?notice=head_teacher_saved#head-teacher", cl.ID))
	return nil
}

// apiHeadTeacherPut: PUT /api/v1/classes/:id/head-teacher
// {"head_teacher": "王老师"} ("" for none) answers the class's card.
func (s *Server) apiHeadTeacherPut(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		HeadTeacher *string `json:"head_teacher"`
	}
	if err := c.ShouldBindJSON(&in); err != nil || in.HeadTeacher == nil {
		return refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
	}
	cl, err = campaign.SetHeadTeacher(c.Request.Context(), s.store, cl.ID, *in.HeadTeacher, currentUser(c).ID)
	if err != nil {
		return err
	}
	sc, err := s.store.School(c.Request.Context(), cl.SchoolID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, newClassCard(cl, sc.Name))
	return nil
}

// headTeacherRoutes: the class's head teacher on its page and the API,
// for whoever may open the class (scope per class, classParam).
func (s *Server) headTeacherRoutes(signed, api *gin.RouterGroup) {
	signed.POST("/classes/:id/head-teacher", s.h(s.saveHeadTeacher))
	api.PUT("/classes/:id/head-teacher", s.h(s.apiHeadTeacherPut))
}
