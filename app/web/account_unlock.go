package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/app/account"
)

// unlockUser: POST /users/:user/unlock and POST /api/v1/users/:user/unlock.
// An administrator lifts the sign-in lock of an account in their scope
// (managedUser) and forgets the failures counted against it; audited, and
// told to the account's owner on their account page. Nothing to confirm:
// it takes nothing away from anyone.
func (s *Server) unlockUser(c *gin.Context) error {
	u, err := s.managedUser(c)
	if err != nil {
		return err
	}
	me := currentUser(c)
	by := fmt.Sprintf("%s（%s）", me.DisplayName, me.Username)
	if me.DisplayName == "" {
		by = me.Username
	}
	locked, err := account.Unlock(c.Request.Context(), s.store, s.actor(c), u, by)
	if err != nil {
		return err
	}
	if isAPI(c) {
		c.JSON(http.StatusOK, gin.H{"user": toAPIUser(u), "was_locked": locked})
		return nil
	}
	notice := "unlocked"
	if !locked {
		notice = "not_locked"
	}
	c.Redirect(http.StatusSeeOther, managedPage(u)+"?notice="+notice)
	return nil
}
