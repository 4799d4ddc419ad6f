package web

import (
	"encoding/json"
	"time"

	"github.com/gin-gonic/gin"
)

// Post/redirect/get for forms that create an account or reset a password:
// the handler keeps the new account (with its one-time password) as a
// flash and redirects; the page shows it once, and a refresh shows the page
// without it and submits nothing again.

// flashTTL is how long a flash waits for its page.
const flashTTL = 5 * time.Minute

// flashAccount keeps acc for the current user and returns the query
// parameter that shows it: "flash=ID".
func (s *Server) flashAccount(c *gin.Context, acc newAccount) (string, error) {
	b, err := json.Marshal(acc)
	if err != nil {
		return "", err
	}
	id, err := s.store.PutFlash(c.Request.Context(), currentUser(c).ID, string(b), flashTTL)
	return "flash=" + id, err
}

// takeAccountFlash reads the account a redirect's ?flash= names, once;
// nil when there is none (a refresh, another user's, expired).
func (s *Server) takeAccountFlash(c *gin.Context) (*newAccount, error) {
	id := c.Query("flash")
	if id == "" || len(id) > 64 {
		return nil, nil
	}
	body, ok, err := s.store.TakeFlash(c.Request.Context(), id, currentUser(c).ID)
	if err != nil || !ok {
		return nil, err
	}
	var acc newAccount
	if err := json.Unmarshal([]byte(body), &acc); err != nil {
		return nil, nil
	}
	return &acc, nil
}
