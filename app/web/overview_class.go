package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiashu/app/reach"
	"jiashu/store"
)

// classOverview loads the drill-down of class :class of school sc.
func (s *Server) classOverview(c *gin.Context, sc store.School) (overviewData, bool, error) {
	id, err := strconv.ParseInt(c.Param("class"), 10, 64)
	if err != nil {
		return overviewData{}, false, errNotFoundHere
	}
	cl, err := s.store.Class(c.Request.Context(), id)
	if errors.Is(err, store.ErrNotFound) || err == nil && cl.SchoolID != sc.ID {
		return overviewData{}, false, errNotFoundHere
	}
	if err != nil {
		return overviewData{}, false, err
	}
	d, ok, err := s.schoolReach(c, sc)
	if err != nil || !ok {
		return d, ok, err
	}
	var row store.Reach
	for _, r := range d.Rows {
		if r.ClassID == cl.ID {
			row = r
		}
	}
	d.Rows, d.Total = []store.Reach{row}, row
	if d.Detail, err = s.breakdowns().Load(c.Request.Context(), s.tr(c), store.ReachFilter{CampaignID: d.Campaign.ID, SchoolID: sc.ID, ClassID: cl.ID}, d.Rows); err != nil {
		return d, false, err
	}
	d.Detail.Class = cl
	if d.Detail.Teachers, err = s.classTeacherNames(c, cl); err != nil {
		return d, false, err
	}
	// A purged campaign has no letters left: every family would look
	// unreached, so none is listed.
	if _, d.Detail.Purged, err = s.store.CampaignPurge(c.Request.Context(), d.Campaign.ID); err != nil || d.Detail.Purged {
		return d, err == nil, err
	}
	list, err := s.store.NonResponders(c.Request.Context(), d.Campaign.ID, cl.ID)
	if err != nil {
		return d, false, err
	}
	d.Detail.NonResponders = reach.NonResponderRows(list)
	d.Detail.OpenedNotAcked, d.Detail.NeverOpened, d.Detail.NoLetter = reach.SplitOpened(d.Detail.NonResponders)
	return d, true, nil
}

// errNotFoundHere says a class is not one of the school's.
var errNotFoundHere = errors.New("overview: no such class in the school")

// overviewClassPage: GET /overview/schools/:school/classes/:class (the
// district, or that school's administrator; not the teachers, who have
// their class page).
func (s *Server) overviewClassPage(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	d, _, err := s.classOverview(c, sc)
	if errors.Is(err, errNotFoundHere) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "overview.html", s.T(c, "overview.title")+" · "+d.Detail.Class.Name, d)
}
