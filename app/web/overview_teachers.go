package web

import (
	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// classTeacherNames names the teachers of a class for the drill-down (who
// to ask about its families): the accounts assigned to it. The head
// teacher the letters sign with is shown beside them, from the class.
func (s *Server) classTeacherNames(c *gin.Context, cl store.Class) ([]string, error) {
	assigned, err := s.store.SchoolTeachers(c.Request.Context(), cl.SchoolID)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, id := range assigned[cl.ID] {
		u, err := s.store.User(c.Request.Context(), id)
		if err != nil {
			return nil, err
		}
		name := u.DisplayName
		if name == "" {
			name = u.Username
		}
		names = append(names, name)
	}
	return names, nil
}
