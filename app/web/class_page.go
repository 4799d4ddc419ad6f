package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/jobs"
	"jiashu/store"
)

// studentRow is a student on the class page, with guardians' phones masked
// and the letter's status in the school's current campaign.
type studentRow struct {
	ID        int64          `json:"id"`
	Number    string         `json:"number"`
	Name      string         `json:"name"`
	Gender    string         `json:"gender"`
	Guardians []guardianView `json:"guardians"`
	Letter    string         `json:"letter_status"`         // "" (none yet), produced, delivered, opened, acknowledged
	Channel   string         `json:"ack_channel,omitempty"` // how the family acknowledged
	AckedAt   string         `json:"acknowledged_at,omitempty"`
	NoPhone   bool           `json:"no_phone"` // paper is the only way to reach the family
	// LargePrint: the letter is set in large print by default (a
	// grandparent is the first guardian).
	LargePrint bool `json:"large_print"`
	// Display is the name as the page shows it: a name pasted with a note
	// (thousands of characters) is cut, and listed among the letters to check.
	Display string `json:"-"`
}

// guardianView is a guardian as lists show them: the mobile masked.
type guardianView struct {
	Name     string `json:"name"`
	Relation string `json:"relation"`
	Mobile   string `json:"mobile_masked"`
}

// classSummary counts the class's letters.
type classSummary struct {
	Students     int `json:"students"`
	Letters      int `json:"letters"`
	Opened       int `json:"opened"`
	Acknowledged int `json:"acknowledged"`
	Paper        int `json:"paper"`
	Undelivered  int `json:"undelivered"` // produced, not yet handed out, opened or acknowledged
	NoPhone      int `json:"no_phone"`
	LargePrint   int `json:"large_print"` // letters set in large print by default
}

// classView is the class page's data, also the API's answer.
type classView struct {
	Class      classCard `json:"class"`
	Campaign   string    `json:"campaign"`
	CampaignID int64     `json:"campaign_id,omitempty"`
	Phase      string    `json:"campaign_phase,omitempty"` // running, closed, purged
	// Choice is the campaign shown and the school's others (campaign_choice.go).
	Choice   *campaignChoice `json:"-"`
	Summary  classSummary    `json:"summary"`
	Students []studentRow    `json:"students"` // the page shown (class_pages.go)
	Pager    pager           `json:"pagination"`
	Imported *importDone     `json:"-"`
	Notice   string          `json:"-"`
	// Purged: the campaign's personal data was purged; its letters are
	// gone and none can be downloaded.
	Purged bool `json:"purged"`
	// Attention: what the teacher must check on the letters before
	// printing (the first entries, and how many in all).
	Attention      []jobs.AttentionEntry `json:"attention,omitempty"`
	AttentionTotal int                   `json:"attention_total"`
	// Meeting is the class meeting (主题班会) and its kit (class_meeting.go).
	Meeting *meetingCard `json:"meeting"`
}

// importDone are the counts shown after an import (from the redirect).
type importDone struct{ Added, Updated, Unchanged, Deactivated int }

// loadClassView assembles the class page for cl, with size students a
// page: the summary counts them all.
func (s *Server) loadClassView(c *gin.Context, cl store.Class, size int) (classView, error) {
	school, err := s.store.School(c.Request.Context(), cl.SchoolID)
	if err != nil {
		return classView{}, err
	}
	students, err := s.store.Students(c.Request.Context(), cl.ID)
	if err != nil {
		return classView{}, err
	}
	v := classView{Class: classCard{ID: cl.ID, SchoolID: cl.SchoolID, School: school.Name, Grade: cl.Grade,
		Number: cl.Number, Name: cl.Name, Students: cl.ActiveStudents}}
	byStudent := map[int64]store.Letter{}
	var kept *store.ClassFigures // the class's figures a purge kept
	choice, ok, err := s.chooseCampaign(c, cl.SchoolID)
	switch {
	case err != nil:
		return classView{}, err
	case ok:
		campID := choice.Campaign.ID
		v.Campaign, v.CampaignID, v.Phase, v.Choice = choice.Campaign.Name, campID, choice.Phase, &choice
		v.Purged = choice.Campaign.Purged
		if v.Purged {
			figs, _, err := s.store.PurgedFigures(c.Request.Context(), campID, cl.SchoolID)
			if err != nil {
				return classView{}, err
			}
			kept = &store.ClassFigures{} // a class made after the purge had no letters
			for i := range figs {
				if figs[i].ClassID == cl.ID {
					kept = &figs[i]
				}
			}
		}
		ls, err := s.store.CampaignLetters(c.Request.Context(), campID, cl.ID)
		if err != nil {
			return classView{}, err
		}
		for _, l := range ls {
			byStudent[l.StudentID] = l
		}
	}
	v.Students = make([]studentRow, 0, len(students))
	for _, st := range students {
		row := studentRow{ID: st.ID, Number: st.Number, Name: st.Name, Gender: st.Gender, NoPhone: true,
			LargePrint: campaign.LargePrint(st), Display: campaign.Clip(st.Name, 30)}
		for _, g := range st.Guardians {
			row.Guardians = append(row.Guardians, guardianView{Name: g.Name, Relation: g.Relation, Mobile: campaign.MaskPhone(g.Mobile)})
			if g.Mobile != "" {
				row.NoPhone = false
			}
		}
		if l, ok := byStudent[st.ID]; ok {
			row.Letter, row.Channel = l.Status, l.AckChannel
			v.Summary.Letters++
			if l.Status == store.StatusProduced {
				v.Summary.Undelivered++
			}
			// Opened as the overview (and a purge's kept figures) count
			// it: a family that acknowledged has seen the letter.
			if l.FirstOpenedAt != nil || l.AcknowledgedAt != nil {
				v.Summary.Opened++
			}
			if l.AcknowledgedAt != nil {
				row.AckedAt = l.AcknowledgedAt.In(campaign.ChinaTime).Format("2006-01-02 15:04")
				v.Summary.Acknowledged++
				if l.AckChannel == store.ChannelPaper {
					v.Summary.Paper++
				}
			}
		}
		if row.NoPhone {
			v.Summary.NoPhone++
		}
		v.Students = append(v.Students, row)
	}
	v.Summary.Students = len(v.Students)
	v.Summary.LargePrint = largePrintCount(students)
	if !v.Purged {
		v.Attention, v.AttentionTotal = s.classAttention(school, cl, students)
	}
	if v.Meeting, err = s.loadMeetingCard(c, cl); err != nil {
		return classView{}, err
	}
	if kept != nil {
		// The letters are gone with the purge; the summary shows what the
		// purge kept of them instead of zeros. Nothing is left to hand out.
		v.Summary.Letters, v.Summary.Opened = kept.Produced, kept.Opened
		v.Summary.Acknowledged, v.Summary.Paper = kept.Acknowledged, kept.Paper
		v.Summary.Undelivered = 0
	}
	v.Pager = newPager(c, len(v.Students), size, fmt.Sprintf("/classes/%d", cl.ID))
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
