package main

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// Scope: every page and API call that touches a school, class or student
// goes through these helpers, which load the object, check that the
// current user may act on it, and answer the refusal themselves. The rule:
//
//   - 教管中心 (district_admin): every school.
//   - 学校管理员 (school_admin): their school only.
//   - 班主任 (teacher): the classes assigned to them (teacher_classes).
//   - 审核员 (reviewer): content only, no schools, classes or students.
//
// Something outside the user's scope answers 404, exactly as something
// that does not exist, so IDs cannot be probed; a role that never has
// access to a kind of page answers 403.

// idParam reads the numeric path parameter name; a malformed one is a 404.
func (s *server) idParam(c *gin.Context, name string) (int64, bool) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		s.problem(c, http.StatusNotFound, "not_found", "error.not_found")
		return 0, false
	}
	return id, true
}

// mayManageSchool says whether u administers school schoolID.
func mayManageSchool(u *store.User, schoolID int64) bool {
	switch u.Role {
	case store.RoleDistrictAdmin:
		return true
	case store.RoleSchoolAdmin:
		return u.SchoolID == schoolID
	}
	return false
}

// mayOpenClass says whether u may read and change class cl.
func (s *server) mayOpenClass(c *gin.Context, u *store.User, cl store.Class) (bool, error) {
	switch u.Role {
	case store.RoleDistrictAdmin:
		return true, nil
	case store.RoleSchoolAdmin:
		return u.SchoolID == cl.SchoolID, nil
	case store.RoleTeacher:
		if u.SchoolID != 0 && u.SchoolID != cl.SchoolID {
			return false, nil
		}
		return s.store.TeachesClass(c.Request.Context(), u.ID, cl.ID)
	}
	return false, nil
}

// schoolForUser loads school id if the current user administers it
// (district admin, or that school's administrator). Otherwise it has
// answered (403 for a role without school pages, 404 for another school)
// and returns false.
func (s *server) schoolForUser(c *gin.Context, id int64) (store.School, bool) {
	u := currentUser(c)
	if u == nil || (u.Role != store.RoleDistrictAdmin && u.Role != store.RoleSchoolAdmin) {
		s.problem(c, http.StatusForbidden, "forbidden", "error.forbidden")
		return store.School{}, false
	}
	if !mayManageSchool(u, id) {
		s.problem(c, http.StatusNotFound, "not_found", "error.not_found")
		return store.School{}, false
	}
	sc, err := s.store.School(c.Request.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.problem(c, http.StatusNotFound, "not_found", "error.not_found")
		return store.School{}, false
	}
	if err != nil {
		s.internal(c, err)
		return store.School{}, false
	}
	return sc, true
}

// schoolParam is schoolForUser for the path parameter name.
func (s *server) schoolParam(c *gin.Context, name string) (store.School, bool) {
	id, ok := s.idParam(c, name)
	if !ok {
		return store.School{}, false
	}
	return s.schoolForUser(c, id)
}

// classForUser loads class id if the current user may open it, else has
// answered 404 (or 403 for a reviewer) and returns false.
func (s *server) classForUser(c *gin.Context, id int64) (store.Class, bool) {
	u := currentUser(c)
	if u == nil || u.Role == store.RoleReviewer {
		s.problem(c, http.StatusForbidden, "forbidden", "error.forbidden")
		return store.Class{}, false
	}
	cl, err := s.store.Class(c.Request.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.problem(c, http.StatusNotFound, "not_found", "error.not_found")
		return store.Class{}, false
	}
	if err != nil {
		s.internal(c, err)
		return store.Class{}, false
	}
	ok, err := s.mayOpenClass(c, u, cl)
	if err != nil {
		s.internal(c, err)
		return store.Class{}, false
	}
	if !ok {
		s.problem(c, http.StatusNotFound, "not_found", "error.not_found")
		return store.Class{}, false
	}
	return cl, true
}

// classParam is classForUser for the path parameter name.
func (s *server) classParam(c *gin.Context, name string) (store.Class, bool) {
	id, ok := s.idParam(c, name)
	if !ok {
		return store.Class{}, false
	}
	return s.classForUser(c, id)
}

// studentForUser loads student id and their class if the current user may
// open that class, else has answered and returns false.
func (s *server) studentForUser(c *gin.Context, id int64) (store.Student, store.Class, bool) {
	u := currentUser(c)
	if u == nil || u.Role == store.RoleReviewer {
		s.problem(c, http.StatusForbidden, "forbidden", "error.forbidden")
		return store.Student{}, store.Class{}, false
	}
	st, err := s.store.Student(c.Request.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.problem(c, http.StatusNotFound, "not_found", "error.not_found")
		return store.Student{}, store.Class{}, false
	}
	if err != nil {
		s.internal(c, err)
		return store.Student{}, store.Class{}, false
	}
	cl, ok := s.classForUser(c, st.ClassID)
	return st, cl, ok
}

// visibleClasses lists the classes the current user works with: a
// teacher's assigned classes, a school administrator's school, every class
// for the district (grouped by school).
func (s *server) visibleClasses(c *gin.Context) ([]store.Class, error) {
	u := currentUser(c)
	switch u.Role {
	case store.RoleTeacher:
		return s.store.TeacherClasses(c.Request.Context(), u.ID)
	case store.RoleSchoolAdmin:
		return s.store.Classes(c.Request.Context(), u.SchoolID)
	case store.RoleDistrictAdmin:
		schools, err := s.store.Schools(c.Request.Context())
		if err != nil {
			return nil, err
		}
		var out []store.Class
		for _, sc := range schools {
			cls, err := s.store.Classes(c.Request.Context(), sc.ID)
			if err != nil {
				return nil, err
			}
			out = append(out, cls...)
		}
		return out, nil
	}
	return nil, nil
}
