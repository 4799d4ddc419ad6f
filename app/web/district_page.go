package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// The education center's (教管中心) page: the district's schools with
// their size and administrators; creating schools and school
// administrator accounts. Routes are for district_admin only (routes.go).

// districtSchool is a school row of the district page.
type districtSchool struct {
	store.School
	Classes  int
	Students int
	Admins   []store.User
}

// districtPageData is the district page.
type districtPageData struct {
	Schools   []districtSchool
	Campaigns []store.Campaign
	Students  int
	Notice    string
	Error     string
	Created   *newAccount
	Locked    []lockedAccount // accounts (not a school's teachers) whose sign-in is locked (account_locks.go)
}

// districtSchools lists every school with its counts and administrators.
func (s *Server) districtSchools(c *gin.Context) ([]districtSchool, error) {
	schools, err := s.store.Schools(c.Request.Context())
	if err != nil {
		return nil, err
	}
	users, err := s.store.Users(c.Request.Context())
	if err != nil {
		return nil, err
	}
	out := make([]districtSchool, 0, len(schools))
	for _, sc := range schools {
		row := districtSchool{School: sc}
		classes, err := s.store.Classes(c.Request.Context(), sc.ID)
		if err != nil {
			return nil, err
		}
		row.Classes = len(classes)
		for _, cl := range classes {
			row.Students += cl.ActiveStudents
		}
		for _, u := range users {
			if u.SchoolID == sc.ID && u.Role == store.RoleSchoolAdmin {
				row.Admins = append(row.Admins, u)
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// districtPage: GET /district.
func (s *Server) districtPage(c *gin.Context) error {
	d := districtPageData{Notice: noticeText(s, c)}
	if c.Query("created") == "school" {
		d.Notice = s.T(c, "district.notice.school_created")
	}
	switch c.Query("done") {
	case "disabled":
		d.Notice = s.T(c, "account.admin.notice.disabled")
	case "enabled":
		d.Notice = s.T(c, "account.admin.notice.enabled")
	}
	var err error
	if d.Created, err = s.takeAccountFlash(c); err != nil {
		return err
	}
	return s.renderDistrict(c, http.StatusOK, d)
}

func (s *Server) renderDistrict(c *gin.Context, status int, d districtPageData) error {
	var err error
	if d.Schools, err = s.districtSchools(c); err != nil {
		return err
	}
	for _, sc := range d.Schools {
		d.Students += sc.Students
	}
	if d.Campaigns, err = s.store.Campaigns(c.Request.Context()); err != nil {
		return err
	}
	users, err := s.store.Users(c.Request.Context())
	if err != nil {
		return err
	}
	var managedHere []store.User // a school's teachers are managed from its page
	for _, u := range users {
		if u.Role != store.RoleTeacher || u.SchoolID == 0 {
			managedHere = append(managedHere, u)
		}
	}
	if d.Locked, err = s.lockedAmong(c, managedHere); err != nil {
		return err
	}
	return s.render(c, status, "district.html", s.T(c, "district.title"), d)
}

// createSchoolFrom validates and creates a school; msgKey is a catalogue
// key when refused.
func (s *Server) createSchoolFrom(c *gin.Context, name string) (store.School, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 60 {
		return store.School{}, "district.error.school_name", nil
	}
	sc, created, err := s.store.EnsureSchool(c.Request.Context(), name)
	if err != nil {
		return sc, "", err
	}
	if !created {
		return sc, "district.error.school_exists", nil
	}
	s.audit(c, "school_created", fmt.Sprintf("school %d %s", sc.ID, sc.Name))
	return sc, "", nil
}

// createSchool: POST /district/schools (name).
func (s *Server) createSchool(c *gin.Context) error {
	_, msgKey, err := s.createSchoolFrom(c, c.PostForm("name"))
	if err != nil {
		return err
	}
	if msgKey != "" {
		return s.renderDistrict(c, http.StatusUnprocessableEntity, districtPageData{Error: s.T(c, msgKey)})
	}
	c.Redirect(http.StatusSeeOther, "/district?created=school")
	return nil
}

// createSchoolAdmin: POST /district/admins (school, username,
// display_name): the one-time password is shown on this response only.
func (s *Server) createSchoolAdmin(c *gin.Context) error {
	id, _ := strconv.ParseInt(c.PostForm("school"), 10, 64)
	sc, err := s.schoolForUser(c, id)
	if err != nil {
		return err
	}
	acc, _, err := s.createAccount(c, store.RoleSchoolAdmin, sc.ID, c.PostForm("username"), c.PostForm("display_name"))
	if msg := s.refusedInput(c, err); msg != "" {
		return s.renderDistrict(c, http.StatusUnprocessableEntity, districtPageData{Error: msg})
	}
	if err != nil {
		return err
	}
	acc.School = sc.Name
	q, err := s.flashAccount(c, acc)
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/district?"+q+"#one-time-password")
	return nil
}
