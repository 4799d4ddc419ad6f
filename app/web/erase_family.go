package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/store"
)

// Erasing a family on request (PIPL), for a school's administrator and the
// district: the administrator names the student by number, sees what would
// be erased — the dry run's counts, siblings sharing a guardian included,
// and the letters jobs whose stored ZIPs hold them — and confirms; store.EraseFamily anonymises them, keeps every figure, and
// writes the audit entry. Teachers cannot.

// eraseData is the erase-family page.
type eraseData struct {
	School  store.School
	Number  string
	Student *store.Student
	Class   string
	Counts  store.ErasureCounts
	// People are the students the erasure reaches (the one asked for and
	// the siblings sharing a guardian) with the guardians it erases, as the
	// confirmation names them.
	People []erasedPerson
	Jobs   []store.Job // letters jobs whose stored ZIP holds the family (store/erase_jobs.go)
	Done   bool        // erased just now
	Error  string      // why the number or the form was refused
}

// eraseFamilyPage: GET /schools/:school/erase[?number=学号]: the form, and
// for a number the dry run's counts with the confirmation form.
func (s *Server) eraseFamilyPage(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	d := eraseData{School: sc, Number: strings.TrimSpace(c.Query("number"))}
	if d.Number == "" {
		return s.renderErase(c, http.StatusOK, d)
	}
	st, err := s.store.StudentByNumber(c.Request.Context(), sc.ID, d.Number)
	if errors.Is(err, store.ErrNotFound) {
		d.Error = s.Tf(c, "erase.error.number", d.Number)
		return s.renderErase(c, http.StatusNotFound, d)
	}
	if err != nil {
		return err
	}
	return s.previewErase(c, http.StatusOK, d, st)
}

// previewErase shows the dry run of erasing st's family.
func (s *Server) previewErase(c *gin.Context, status int, d eraseData, st store.Student) error {
	res, err := s.store.EraseFamily(c.Request.Context(), st.ID, store.EraseOptions{DryRun: true, UserID: currentUser(c).ID})
	if err != nil {
		return err
	}
	d.Student, d.Counts, d.Jobs, d.Number = &st, res.Counts, res.Jobs, st.Number
	if cl, err := s.store.Class(c.Request.Context(), st.ClassID); err == nil {
		d.Class = cl.Name
	}
	if d.People, err = s.erasedPeople(c, res.StudentIDs); err != nil {
		return err
	}
	return s.renderErase(c, status, d)
}

// erasedPerson is a student an erasure reaches, with their guardians
// (phones masked).
type erasedPerson struct {
	Name, Number string
	Guardians    []string // 王芳（母亲）138****1234
}

// erasedPeople names the students ids and their guardians, the student
// asked for first.
func (s *Server) erasedPeople(c *gin.Context, ids []int64) ([]erasedPerson, error) {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	var out []erasedPerson
	for _, id := range sorted {
		st, err := s.store.Student(c.Request.Context(), id)
		if err != nil {
			return nil, err
		}
		p := erasedPerson{Name: st.Name, Number: st.Number}
		for _, g := range st.Guardians {
			line := g.Name
			if g.Relation != "" {
				line += s.Tf(c, "erase.relation", g.Relation)
			}
			if g.Mobile != "" {
				line += " " + campaign.MaskPhone(g.Mobile)
			}
			p.Guardians = append(p.Guardians, line)
		}
		out = append(out, p)
	}
	return out, nil
}

// eraseFamily: POST /schools/:school/erase (student, confirm).
func (s *Server) eraseFamily(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.PostForm("student"), 10, 64)
	if err != nil {
		return errNotFound
	}
	st, err := s.store.Student(c.Request.Context(), id)
	if err != nil || st.SchoolID != sc.ID {
		return errNotFound // another school's student is not there
	}
	d := eraseData{School: sc}
	if c.PostForm("confirm") == "" {
		d.Error = s.T(c, "erase.error.confirm")
		return s.previewErase(c, http.StatusUnprocessableEntity, d, st)
	}
	res, err := s.store.EraseFamily(c.Request.Context(), st.ID, store.EraseOptions{UserID: currentUser(c).ID})
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound // erased meanwhile
	}
	if err != nil && !errors.Is(err, store.ErrNotCompacted) {
		return err
	}
	if err != nil {
		s.log.Warn("erase family: not compacted", "err", err) // erased; app retention --compact finishes it
	}
	s.audit(c, "family_erased", fmt.Sprintf("school %d, student %d and %d more, %d guardians", sc.ID, st.ID, res.Counts.Students-1, res.Counts.Guardians))
	d.Done, d.Counts, d.Jobs = true, res.Counts, res.Jobs
	return s.renderErase(c, http.StatusOK, d)
}

func (s *Server) renderErase(c *gin.Context, status int, d eraseData) error {
	return s.render(c, status, "erase.html", s.T(c, "erase.title"), d)
}
