package web

import (
	"errors"
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
func (s *Server) idParam(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
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
func (s *Server) mayOpenClass(c *gin.Context, u *store.User, cl store.Class) (bool, error) {
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
func (s *Server) schoolForUser(c *gin.Context, id int64) (store.School, error) {
	u := currentUser(c)
	if u == nil || (u.Role != store.RoleDistrictAdmin && u.Role != store.RoleSchoolAdmin) {
		return store.School{}, errForbidden
	}
	if !mayManageSchool(u, id) {
		return store.School{}, errNotFound
	}
	sc, err := s.store.School(c.Request.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return store.School{}, errNotFound
	}
	if err != nil {
		return store.School{}, err
	}
	return sc, nil
}

// schoolParam is schoolForUser for the path parameter name.
func (s *Server) schoolParam(c *gin.Context, name string) (store.School, error) {
	id, err := s.idParam(c, name)
	if err != nil {
		return store.School{}, err
	}
	return s.schoolForUser(c, id)
}

// classForUser loads class id if the current user may open it, else has
// answered 404 (or 403 for a reviewer) and returns false.
func (s *Server) classForUser(c *gin.Context, id int64) (store.Class, error) {
	u := currentUser(c)
	if u == nil || u.Role == store.RoleReviewer {
		return store.Class{}, errForbidden
	}
	cl, err := s.store.Class(c.Request.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Class{}, errNotFound
	}
	if err != nil {
		return store.Class{}, err
	}
	ok, err := s.mayOpenClass(c, u, cl)
	if err != nil {
		return store.Class{}, err
	}
	if !ok {
		return store.Class{}, errNotFound
	}
	return cl, nil
}

// classParam is classForUser for the path parameter name.
func (s *Server) classParam(c *gin.Context, name string) (store.Class, error) {
	id, err := s.idParam(c, name)
	if err != nil {
		return store.Class{}, err
	}
	return s.classForUser(c, id)
}

// studentForUser loads student id and their class if the current user may
// open that class, else has answered and returns false.
func (s *Server) studentForUser(c *gin.Context, id int64) (store.Student, store.Class, error) {
	u := currentUser(c)
	if u == nil || u.Role == store.RoleReviewer {
		return store.Student{}, store.Class{}, errForbidden
	}
	st, err := s.store.Student(c.Request.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Student{}, store.Class{}, errNotFound
	}
	if err != nil {
		return store.Student{}, store.Class{}, err
	}
	cl, ok := s.classForUser(c, st.ClassID)
	return st, cl, ok
}

// visibleClasses lists the classes the current user works with: a
// teacher's assigned classes, a school administrator's school, every class
// for the district (grouped by school).
func (s *Server) visibleClasses(c *gin.Context) ([]store.Class, error) {
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
