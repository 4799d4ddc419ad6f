package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

// markDelivered: POST /classes/:id/delivered. The teacher has handed the
// printed letters to the students: the class's letters still only produced
// become delivered (opened and acknowledged ones keep their status).
func (s *Server) markDelivered(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	camp, ok, err := s.classCampaign(c, cl)
	if err != nil {
		return err
	}
	n, back := 0, fmt.Sprintf("/classes/%d?notice=delivered", cl.ID)
	if ok {
		back += fmt.Sprintf("&campaign=%d", camp.ID)
		if n, err = s.store.MarkDelivered(c.Request.Context(), camp.ID, cl.ID); err != nil {
			return err
		}
		s.audit(c, "letters_delivered", fmt.Sprintf("class %d %s, campaign %d, %d letters", cl.ID, cl.Name, camp.ID, n))
	}
	if isAPI(c) {
		c.JSON(http.StatusOK, gin.H{"delivered": n})
		return nil
	}
	c.Redirect(http.StatusSeeOther, back)
	return nil
}
