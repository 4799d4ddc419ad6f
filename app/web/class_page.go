package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/store"
)

// classPageData is the class page's data, also the API's answer.
type classPageData struct {
	Class      classCard `json:"class"`
	Campaign   string    `json:"campaign"`
	CampaignID int64     `json:"campaign_id,omitempty"`
	Phase      string    `json:"campaign_phase,omitempty"` // running, closed, purged
	// Choice is the campaign shown and the school's others (campaign_choice.go).
	Choice   *campaignChoice       `json:"-"`
	Summary  campaign.ClassSummary `json:"summary"`
	Students []campaign.StudentRow `json:"students"` // the page shown (class_pages.go)
	Pager    pager                 `json:"pagination"`
	Imported *importDone           `json:"-"`
	Notice   string                `json:"-"`
	// Purged: the campaign's personal data was purged; its letters are
	// gone and none can be downloaded.
	Purged bool `json:"purged"`
	// Attention: what the teacher must check on the letters before
	// printing (the first entries, and how many in all).
	Attention      []campaign.AttentionEntry `json:"attention,omitempty"`
	AttentionTotal int                       `json:"attention_total"`
	// Meeting is the class meeting (主题班会) and its kit (class_meeting.go).
	Meeting *meetingCard `json:"meeting"`
}

// importDone are the counts shown after an import (from the redirect).
type importDone struct{ Added, Updated, Unchanged, Deactivated int }

// loadClassView assembles the class page for cl, with size students a
// page (the summary counts them all): one read of the class in the
// campaign the page shows (campaign.Class), and the letters engine's check
// of what the teacher must correct before printing.
func (s *Server) loadClassView(c *gin.Context, cl store.Class, size int) (classPageData, error) {
	cv, choice, err := s.classView(c, cl, campaign.ClassQuery{Students: true})
	if err != nil {
		return classPageData{}, err
	}
	v := classPageData{Class: classCard{ID: cl.ID, SchoolID: cl.SchoolID, School: cv.School.Name, Grade: cl.Grade,
		Number: cl.Number, Name: cl.Name, Students: cl.ActiveStudents},
		Summary: cv.Summary, Students: cv.Students, Purged: cv.Purged, Choice: choice}
	if cv.HasCampaign {
		v.Campaign, v.CampaignID, v.Phase = cv.Campaign.Name, cv.Campaign.ID, cv.Phase
	}
	if !v.Purged {
		v.Attention, v.AttentionTotal = campaign.Attention(s.letters.Check(cv.CheckLetters()))
	}
	v.Meeting = s.meetingCard(c, cl, cv)
	if v.Pager, err = newPager(c, len(v.Students), size, fmt.Sprintf("/classes/%d", cl.ID)); err != nil {
		return v, err
	}
	from, to := v.Pager.slice()
	v.Students = v.Students[from:to]
	return v, nil
}

// classPage: GET /classes/:id.
func (s *Server) classPage(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	v, err := s.loadClassView(c, cl, classPageSize)
	if err != nil {
		return err
	}
	v.Imported = parseImportDone(c.Query("imported"))
	v.Notice = noticeText(s, c)
	return s.render(c, http.StatusOK, "class.html", cl.Name, v)
}

// apiClass: GET /api/v1/classes/:id: the class, its students (phones
// masked) and letter status.
func (s *Server) apiClass(c *gin.Context) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	v, err := s.loadClassView(c, cl, classAPISize)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

// parseImportDone reads "added.updated.unchanged.deactivated".
func parseImportDone(q string) *importDone {
	parts := strings.Split(q, ".")
	if len(parts) != 4 {
		return nil
	}
	var n [4]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return nil
		}
		n[i] = v
	}
	return &importDone{n[0], n[1], n[2], n[3]}
}
