package web

import (
	"jiashu/app/reach"

	"github.com/gin-gonic/gin"
)

// lapsedShown is how many families reached before but not now the
// overview lists (the count says how many there are).
const lapsedShown = 50

// loadYear adds the overview across campaigns to d: the campaigns of the
// school year (of the district, or of school schoolID) as a chart, and the
// families who acknowledged an earlier campaign but not d's.
func (s *Server) loadYear(c *gin.Context, d *overviewData, schoolID int64) error {
	rows, err := s.store.CampaignYear(c.Request.Context(), schoolID, reach.SchoolYearStart(s.now()))
	if err != nil {
		return err
	}
	d.Year = drawYear(rows, d.Campaign.ID, reach.QuizQuestions)
	if d.Campaign.Purged {
		return nil // its letters are gone: every family would look lapsed
	}
	d.Lapsed, d.LapsedTotal, d.LapsedNoLetter, err = s.store.LapsedFamilies(c.Request.Context(), d.Campaign.ID, schoolID, lapsedShown)
	return err
}
