package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// JSON API of the school administrator's and the district's actions on
// schools (docs/api.md). Same scope checks as the pages: schoolParam lets
// the district reach every school and a school administrator only theirs.

type apiUser struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Role        store.Role `json:"role"`
	SchoolID    int64      `json:"school_id,omitempty"`
	Disabled    bool       `json:"disabled"`
}

func toAPIUser(u store.User) apiUser {
	return apiUser{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, SchoolID: u.SchoolID, Disabled: u.Disabled}
}

type apiSchoolClass struct {
	ID       int64     `json:"id"`
	Name     string    `json:"name"`
	Grade    int       `json:"grade"`
	Number   int       `json:"class"`
	Students int       `json:"students"`
	Teachers []apiUser `json:"teachers"`
}

// apiSchool is a school in a list: its name and active students.
type apiSchool struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Students int    `json:"students"`
}

// apiSchoolDetail is one school with its classes and accounts (empty
// lists for a new school, never left out).
type apiSchoolDetail struct {
	apiSchool
	Classes  []apiSchoolClass `json:"classes"`
	Teachers []apiUser        `json:"teachers"`
	Admins   []apiUser        `json:"admins"`
}

// apiSchools: GET /api/v1/schools: the district's schools, or a school
// administrator's own.
func (s *Server) apiSchools(c *gin.Context) error {
	u := currentUser(c)
	out := []apiSchool{}
	switch u.Role {
	case store.RoleDistrictAdmin:
		rows, err := s.districtSchools(c)
		if err != nil {
			return err
		}
		for _, r := range rows {
			out = append(out, apiSchool{ID: r.ID, Name: r.Name, Students: r.Students})
		}
	case store.RoleSchoolAdmin:
		sc, err := s.schoolForUser(c, u.SchoolID)
		if err != nil {
			return err
		}
		classes, err := s.store.Classes(c.Request.Context(), sc.ID)
		if err != nil {
			return err
		}
		row := apiSchool{ID: sc.ID, Name: sc.Name}
		for _, cl := range classes {
			row.Students += cl.ActiveStudents // as the center's list counts them
		}
		out = append(out, row)
	default:
		return errForbidden
	}
	c.JSON(http.StatusOK, gin.H{"schools": out})
	return nil
}

// apiCreateSchool: POST /api/v1/schools {"name"} (district).
func (s *Server) apiCreateSchool(c *gin.Context) error {
	var req struct {
		Name string `json:"name"`
	}
	if err := c.ShouldBindJSON(&req); err != nil {
		return refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
	}
	sc, msgKey, err := s.createSchoolFrom(c, req.Name)
	if err != nil {
		return err
	}
	if msgKey != "" {
		return refuseMsg(http.StatusUnprocessableEntity, "invalid", s.T(c, msgKey))
	}
	created(c, fmt.Sprintf("/api/v1/schools/%d", sc.ID), apiSchool{ID: sc.ID, Name: sc.Name})
	return nil
}

// apiSchool: GET /api/v1/schools/:school: classes with their teachers,
// teacher and administrator accounts.
func (s *Server) apiSchoolGet(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	d := schoolPageData{School: sc}
	if err := s.loadSchool(c, &d); err != nil {
		return err
	}
	out := apiSchoolDetail{apiSchool: apiSchool{ID: sc.ID, Name: sc.Name, Students: d.Students},
		Classes: []apiSchoolClass{}, Teachers: []apiUser{}, Admins: []apiUser{}}
	for _, cl := range d.Classes {
		row := apiSchoolClass{ID: cl.ID, Name: cl.Name, Grade: cl.Grade, Number: cl.Number, Students: cl.ActiveStudents, Teachers: []apiUser{}}
		for _, t := range cl.Teachers {
			row.Teachers = append(row.Teachers, toAPIUser(t))
		}
		out.Classes = append(out.Classes, row)
	}
	for _, t := range d.Teachers {
		out.Teachers = append(out.Teachers, toAPIUser(t))
	}
	for _, a := range d.Admins {
		out.Admins = append(out.Admins, toAPIUser(a))
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// apiCreateSchoolUser: POST /api/v1/schools/:school/users
// {"username","display_name","role"}: role "teacher" (school
// administrators and the district) or "school_admin" (the district only).
// The answer carries the one-time password, once.
func (s *Server) apiCreateSchoolUser(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	var req struct {
		Username    string     `json:"username"`
		DisplayName string     `json:"display_name"`
		Role        store.Role `json:"role"`
	}
	if err := c.ShouldBindJSON(&req); err != nil {
		return refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
	}
	if req.Role == "" {
		req.Role = store.RoleTeacher
	}
	switch {
	case req.Role == store.RoleTeacher:
	case req.Role == store.RoleSchoolAdmin && currentUser(c).Role == store.RoleDistrictAdmin:
	default:
		return refuseMsg(http.StatusForbidden, "forbidden", s.T(c, "api.error.role"))
	}
	acc, u, err := s.createAccount(c, req.Role, sc.ID, req.Username, req.DisplayName)
	if err != nil {
		return err // a refusal is a problem.Invalid: 422 "invalid" with its message
	}
	created(c, fmt.Sprintf("/api/v1/users/%d", u.ID), gin.H{"user": toAPIUser(u), "one_time_password": acc.Password})
	return nil
}

// apiAssignTeacher: POST /api/v1/schools/:school/classes/:class/teachers
// {"user_id"} → 204.
func (s *Server) apiAssignTeacher(c *gin.Context) error {
	var req struct {
		UserID int64 `json:"user_id"`
	}
	if err := c.ShouldBindJSON(&req); err != nil {
		return refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
	}
	return s.changeAssignment(c, strconv.FormatInt(req.UserID, 10), true)
}

// apiUnassignTeacher: DELETE /api/v1/schools/:school/classes/:class/teachers/:user → 204.
func (s *Server) apiUnassignTeacher(c *gin.Context) error {
	return s.changeAssignment(c, c.Param("user"), false)
}

// apiSchoolJobs: GET /api/v1/schools/:school/jobs: the latest jobs.
func (s *Server) apiSchoolJobs(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	jobs, err := s.store.SchoolJobs(c.Request.Context(), sc.ID, 20)
	if err != nil {
		return err
	}
	out := []apiJob{}
	for _, j := range jobs {
		out = append(out, toAPIJob(j))
	}
	c.JSON(http.StatusOK, gin.H{"jobs": out})
	return nil
}
