package main

import (
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

type apiSchool struct {
	ID       int64            `json:"id"`
	Name     string           `json:"name"`
	Students int              `json:"students"`
	Classes  []apiSchoolClass `json:"classes,omitempty"`
	Teachers []apiUser        `json:"teachers,omitempty"`
	Admins   []apiUser        `json:"admins,omitempty"`
}

// apiSchools: GET /api/v1/schools: the district's schools, or a school
// administrator's own.
func (s *server) apiSchools(c *gin.Context) {
	u := currentUser(c)
	out := []apiSchool{}
	switch u.Role {
	case store.RoleDistrictAdmin:
		rows, err := s.districtSchools(c)
		if err != nil {
			s.internal(c, err)
			return
		}
		for _, r := range rows {
			out = append(out, apiSchool{ID: r.ID, Name: r.Name, Students: r.Students})
		}
	case store.RoleSchoolAdmin:
		sc, ok := s.schoolForUser(c, u.SchoolID)
		if !ok {
			return
		}
		out = append(out, apiSchool{ID: sc.ID, Name: sc.Name})
	default:
		s.problem(c, http.StatusForbidden, "forbidden", "error.forbidden")
		return
	}
	c.JSON(http.StatusOK, gin.H{"schools": out})
}

// apiCreateSchool: POST /api/v1/schools {"name"} (district).
func (s *server) apiCreateSchool(c *gin.Context) {
	var req struct {
		Name string `json:"name"`
	}
	if err := c.ShouldBindJSON(&req); err != nil {
		s.fail(c, http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
		return
	}
	sc, msgKey, err := s.createSchoolFrom(c, req.Name)
	if err != nil {
		s.internal(c, err)
		return
	}
	if msgKey != "" {
		s.fail(c, http.StatusUnprocessableEntity, "invalid", s.T(c, msgKey))
		return
	}
	c.JSON(http.StatusCreated, apiSchool{ID: sc.ID, Name: sc.Name})
}

// apiSchool: GET /api/v1/schools/:school: classes with their teachers,
// teacher and administrator accounts.
func (s *server) apiSchoolGet(c *gin.Context) {
	sc, ok := s.schoolParam(c, "school")
	if !ok {
		return
	}
	d := schoolPageData{School: sc}
	if err := s.loadSchool(c, &d); err != nil {
		s.internal(c, err)
		return
	}
	out := apiSchool{ID: sc.ID, Name: sc.Name, Students: d.Students, Classes: []apiSchoolClass{}, Teachers: []apiUser{}, Admins: []apiUser{}}
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
}

// apiCreateSchoolUser: POST /api/v1/schools/:school/users
// {"username","display_name","role"}: role "teacher" (school
// administrators and the district) or "school_admin" (the district only).
// The answer carries the one-time password, once.
func (s *server) apiCreateSchoolUser(c *gin.Context) {
	sc, ok := s.schoolParam(c, "school")
	if !ok {
		return
	}
	var req struct {
		Username    string     `json:"username"`
		DisplayName string     `json:"display_name"`
		Role        store.Role `json:"role"`
	}
	if err := c.ShouldBindJSON(&req); err != nil {
		s.fail(c, http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
		return
	}
	if req.Role == "" {
		req.Role = store.RoleTeacher
	}
	switch {
	case req.Role == store.RoleTeacher:
	case req.Role == store.RoleSchoolAdmin && currentUser(c).Role == store.RoleDistrictAdmin:
	default:
		s.fail(c, http.StatusForbidden, "forbidden", s.T(c, "api.error.role"))
		return
	}
	acc, msgKey, err := s.createAccount(c, req.Role, sc.ID, req.Username, req.DisplayName)
	if err != nil {
		s.internal(c, err)
		return
	}
	if msgKey != "" {
		s.fail(c, http.StatusUnprocessableEntity, "invalid", s.T(c, msgKey))
		return
	}
	u, err := s.store.UserByUsername(c.Request.Context(), acc.Username)
	if err != nil {
		s.internal(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"user": toAPIUser(u), "one_time_password": acc.Password})
}

// apiAssignTeacher: POST /api/v1/schools/:school/classes/:class/teachers
// {"user_id"} → 204.
func (s *server) apiAssignTeacher(c *gin.Context) {
	var req struct {
		UserID int64 `json:"user_id"`
	}
	if err := c.ShouldBindJSON(&req); err != nil {
		s.fail(c, http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
		return
	}
	s.changeAssignment(c, strconv.FormatInt(req.UserID, 10), true)
}

// apiUnassignTeacher: DELETE /api/v1/schools/:school/classes/:class/teachers/:user → 204.
func (s *server) apiUnassignTeacher(c *gin.Context) {
	s.changeAssignment(c, c.Param("user"), false)
}

// apiSchoolJobs: GET /api/v1/schools/:school/jobs: the latest jobs.
func (s *server) apiSchoolJobs(c *gin.Context) {
	sc, ok := s.schoolParam(c, "school")
	if !ok {
		return
	}
	jobs, err := s.store.SchoolJobs(c.Request.Context(), sc.ID, 20)
	if err != nil {
		s.internal(c, err)
		return
	}
	out := []apiJob{}
	for _, j := range jobs {
		out = append(out, toAPIJob(j))
	}
	c.JSON(http.StatusOK, gin.H{"jobs": out})
}
