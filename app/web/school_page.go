package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"jiashu/app/account"
	"jiashu/problem"
	"jiashu/store"
)

// The school administrator's page (学校管理员): the school's classes and
// teachers, teacher accounts, assignments, the school-wide roster import
// (school_import.go) and the school's letters as a ZIP (jobs_pages.go).
// The district sees the same page for any school.

// schoolClass is a class row of the school page.
type schoolClass struct {
	store.Class
	Teachers []store.User
}

// newAccount is an account just created: its one-time password is shown
// on this one response and never again.
type newAccount struct {
	Username, DisplayName, Password string
	Role                            store.Role
	School                          string // shown when the page is not the school's own
	Reset                           bool   // an existing account's password was reset
}

// schoolPageData is the school page.
type schoolPageData struct {
	School     store.School
	Classes    []schoolClass
	Teachers   []store.User // the school's teacher accounts
	Admins     []store.User // its administrators
	Campaigns  []store.Campaign
	Jobs       []store.Job
	Running    *store.Job // the newest job, if it has not finished
	Students   int
	Notice     string
	Error      string
	Created    *newAccount
	IsDistrict bool
	Reminders  *reminderCard   // nil when the school takes part in no campaign
	Locked     []lockedAccount // its teachers whose sign-in is locked (account_locks.go)
	// Choice is the campaign the page is about and the school's others
	// (nil when it takes part in none); CampaignNames names the jobs'.
	Choice        *campaignChoice
	CampaignNames map[int64]string
	Lessons       []lessonKitLink // the class-meeting kits of its age groups (lesson_download.go)
	// Gaps: the details the letters use that the school has not filled in
	// (school_gaps.go); nil when none.
	Gaps *schoolGapRow
}

// mySchool: GET /school: a school administrator's own school.
func (s *Server) mySchool(c *gin.Context) error {
	u := currentUser(c)
	switch u.Role {
	case store.RoleSchoolAdmin:
		dest := fmt.Sprintf("/schools/%d", u.SchoolID)
		if n := c.Query("notice"); n != "" {
			dest += "?notice=" + url.QueryEscape(n)
		}
		c.Redirect(http.StatusSeeOther, dest)
	case store.RoleDistrictAdmin:
		c.Redirect(http.StatusSeeOther, "/district")
	default:
		return errForbidden
	}
	return nil
}

// schoolPage: GET /schools/:school.
func (s *Server) schoolPage(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	d := schoolPageData{School: sc, Notice: noticeText(s, c)}
	if v := c.Query("imported"); v != "" {
		var a, u, n, t int
		if _, err := fmt.Sscanf(v, "%d.%d.%d.%d", &a, &u, &n, &t); err == nil {
			d.Notice = s.Tf(c, "class.imported", a, u, n, t)
		}
	}
	switch c.Query("done") {
	case "assigned":
		d.Notice = s.T(c, "school.notice.assigned")
	case "unassigned":
		d.Notice = s.T(c, "school.notice.unassigned")
	case "disabled":
		d.Notice = s.T(c, "account.admin.notice.disabled")
	case "enabled":
		d.Notice = s.T(c, "account.admin.notice.enabled")
	}
	if d.Created, err = s.takeAccountFlash(c); err != nil {
		return err
	}
	return s.renderSchool(c, http.StatusOK, d)
}

func (s *Server) renderSchool(c *gin.Context, status int, d schoolPageData) error {
	if err := s.loadSchool(c, &d); err != nil {
		return err
	}
	d.IsDistrict = currentUser(c).Role == store.RoleDistrictAdmin
	return s.render(c, status, "school.html", d.School.Name, d)
}

// loadSchool fills the school page's lists.
func (s *Server) loadSchool(c *gin.Context, d *schoolPageData) error {
	classes, err := s.store.Classes(c.Request.Context(), d.School.ID)
	if err != nil {
		return err
	}
	users, err := account.Users(c.Request.Context(), s.store, d.School.ID)
	if err != nil {
		return err
	}
	byID := map[int64]store.User{}
	d.Teachers, d.Admins = nil, nil
	for _, u := range users {
		byID[u.ID] = u
		switch u.Role {
		case store.RoleTeacher:
			d.Teachers = append(d.Teachers, u)
		case store.RoleSchoolAdmin:
			d.Admins = append(d.Admins, u)
		}
	}
	if d.Locked, err = s.lockedAmong(c, d.Teachers); err != nil {
		return err
	}
	assigned, err := s.store.SchoolTeachers(c.Request.Context(), d.School.ID)
	if err != nil {
		return err
	}
	d.Classes, d.Students = nil, 0
	for _, cl := range classes {
		row := schoolClass{Class: cl}
		for _, uid := range assigned[cl.ID] {
			if u, ok := byID[uid]; ok {
				row.Teachers = append(row.Teachers, u)
			}
		}
		d.Classes = append(d.Classes, row)
		d.Students += cl.ActiveStudents
	}
	d.Lessons = s.schoolLessonKits(d.School.ID, classes)
	if d.Campaigns, err = s.store.SchoolCampaigns(c.Request.Context(), d.School.ID); err != nil {
		return err
	}
	choice, ok, err := s.chooseCampaign(c, d.School.ID)
	if err != nil {
		return err
	}
	d.CampaignNames = map[int64]string{}
	for _, cp := range d.Campaigns {
		d.CampaignNames[cp.ID] = cp.Name
	}
	var shown *store.Campaign
	if ok {
		d.Choice, shown = &choice, &choice.Campaign
		if d.Reminders, err = s.schoolReminderCard(c, d.School.ID, choice.Campaign); err != nil {
			return err
		}
	}
	if d.Gaps, err = s.schoolGaps(c, d.School, shown); err != nil {
		return err
	}
	if d.Jobs, err = s.store.SchoolJobs(c.Request.Context(), d.School.ID, 5); err != nil {
		return err
	}
	if len(d.Jobs) > 0 && !d.Jobs[0].Finished() {
		d.Running = &d.Jobs[0]
	}
	return nil
}

// actor is the signed-in user, as the account operations audit them.
func (s *Server) actor(c *gin.Context) account.Actor {
	a := account.Actor{Log: s.log}
	if u := currentUser(c); u != nil {
		a.ID = u.ID
	}
	return a
}

// createAccount makes a staff account with a one-time password
// (account.Create: its refusals are a problem.Invalid with the message to
// show), and returns what the page shows once.
func (s *Server) createAccount(c *gin.Context, role store.Role, schoolID int64, username, display string) (newAccount, store.User, error) {
	acc, err := account.Create(c.Request.Context(), s.store, s.actor(c), account.New{Username: username, DisplayName: display, Role: role, SchoolID: schoolID})
	if err != nil {
		return newAccount{}, store.User{}, err
	}
	u := acc.User
	return newAccount{Username: u.Username, DisplayName: u.DisplayName, Password: acc.Password, Role: role}, u, nil
}

// refusedInput is the message, in the page's language, of a refused input
// the page shows itself (a problem.Invalid), or "" for any other error.
func (s *Server) refusedInput(c *gin.Context, err error) string {
	if p := problem.As(err); p != nil && p.Code == problem.Invalid {
		return s.problemMessage(c, p)
	}
	return ""
}

// createTeacher: POST /schools/:school/teachers (username, display_name,
// class): a teacher account, optionally assigned to a class at once. The
// page shows the one-time password once.
func (s *Server) createTeacher(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	var cl *store.Class
	if v := c.PostForm("class"); v != "" && v != "0" {
		found, err := s.schoolClass(c, sc, v)
		if err != nil {
			return err
		}
		cl = &found
	}
	acc, u, err := s.createAccount(c, store.RoleTeacher, sc.ID, c.PostForm("username"), c.PostForm("display_name"))
	if msg := s.refusedInput(c, err); msg != "" {
		return s.renderSchool(c, http.StatusUnprocessableEntity, schoolPageData{School: sc, Error: msg})
	}
	if err != nil {
		return err
	}
	if cl != nil {
		if err := account.Assign(c.Request.Context(), s.store, s.actor(c), u, *cl, true); err != nil {
			return err
		}
	}
	q, err := s.flashAccount(c, acc)
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/schools/%d?%s#one-time-password", sc.ID, q))
	return nil
}

// schoolClass loads class idText if it belongs to school sc, else answers 404.
func (s *Server) schoolClass(c *gin.Context, sc store.School, idText string) (store.Class, error) {
	var id int64
	if _, err := fmt.Sscan(idText, &id); err != nil || id <= 0 {
		return store.Class{}, errNotFound
	}
	cl, err := s.store.Class(c.Request.Context(), id)
	if err != nil || cl.SchoolID != sc.ID {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return store.Class{}, err
		}
		return store.Class{}, errNotFound
	}
	return cl, nil
}

// schoolTeacher loads user idText if it is a teacher of school sc, else
// answers 404.
func (s *Server) schoolTeacher(c *gin.Context, sc store.School, idText string) (store.User, error) {
	var id int64
	if _, err := fmt.Sscan(idText, &id); err != nil || id <= 0 {
		return store.User{}, errNotFound
	}
	u, err := s.store.User(c.Request.Context(), id)
	if err != nil || u.SchoolID != sc.ID || u.Role != store.RoleTeacher {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return store.User{}, err
		}
		return store.User{}, errNotFound
	}
	return u, nil
}

// assignTeacher: POST /schools/:school/classes/:class/teachers (teacher).
func (s *Server) assignTeacher(c *gin.Context) error {
	return s.changeAssignment(c, c.PostForm("teacher"), true)
}

// unassignTeacher: POST /schools/:school/classes/:class/teachers/:user/remove.
func (s *Server) unassignTeacher(c *gin.Context) error {
	return s.changeAssignment(c, c.Param("user"), false)
}

func (s *Server) changeAssignment(c *gin.Context, userText string, assign bool) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	cl, err := s.schoolClass(c, sc, c.Param("class"))
	if err != nil {
		return err
	}
	u, err := s.schoolTeacher(c, sc, userText)
	if err != nil {
		return err
	}
	if err := account.Assign(c.Request.Context(), s.store, s.actor(c), u, cl, assign); err != nil {
		return err
	}
	done := "assigned"
	if !assign {
		done = "unassigned"
	}
	if isAPI(c) {
		c.Status(http.StatusNoContent)
		return nil
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/schools/%d?done=%s#classes", sc.ID, done))
	return nil
}
