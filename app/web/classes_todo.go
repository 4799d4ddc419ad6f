package web

import (
	"fmt"
	"slices"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/store"
)

// 我的班级 as a to-do list: each class with its progress in every running
// campaign of its school, a line each (已回执 7/30), and each line's next
// step as a link — 上传名册 → 下载家书 → 标记已发 → 登记回执 → 提醒未回执.
// Lines stand in the order the campaigns started, so a campaign the center
// starts later adds a line (marked 新) and moves none.

// classTodo is a class's progress and next step in one campaign.
type classTodo struct {
	CampaignID   int64
	Campaign     string
	New          bool // started since the user last looked
	Acknowledged int
	Students     int
	Percent      int
	Step         string // roster, letters, delivered, slips, done, none (no campaign yet)
	Href         string // the next step's page
	Remind       string // the reminders, while families have not acknowledged
}

// nextStep works out the class's next step from its progress.
func nextStep(classID, campaignID int64, p store.ClassProgress) classTodo {
	q := fmt.Sprintf("?campaign=%d", campaignID)
	t := classTodo{CampaignID: campaignID, Acknowledged: p.Acknowledged, Students: p.Students}
	if p.Students > 0 {
		t.Percent = p.Acknowledged * 100 / p.Students
	}
	class := fmt.Sprintf("/classes/%d", classID)
	switch {
	case p.Students == 0:
		t.Step, t.Href = "roster", class+"/roster"
	case p.Letters < p.Students:
		t.Step, t.Href = "letters", class+q+"#letters"
	case p.Undelivered > 0:
		t.Step, t.Href = "delivered", class+q+"#letters"
	case p.Acknowledged < p.Letters:
		t.Step, t.Href = "slips", class+"/slips"+q
	default:
		t.Step, t.Href = "done", class+q
	}
	if p.Letters > 0 && p.Acknowledged < p.Letters && p.Undelivered < p.Letters {
		t.Remind = class + "/slips" + q + "#reminders"
	}
	return t
}

// classTodos works out the to-do lines of every card: a line per running
// campaign of the class's school (the campaign campaign.Choose picks when
// none runs), reading each school's progress once per campaign. For the
// classes of one school it also sets the notices of campaigns started since
// the user last looked.
func (s *Server) classTodos(c *gin.Context, cards []classCard) (map[int64][]classTodo, error) {
	out := map[int64][]classTodo{}
	var schools []int64
	for _, cc := range cards {
		if !slices.Contains(schools, cc.SchoolID) {
			schools = append(schools, cc.SchoolID)
		}
	}
	for _, schoolID := range schools {
		scope, err := s.schoolScope(c, schoolID)
		if err != nil {
			return nil, err
		}
		camps := campaign.Running(scope.List, s.store.Today())
		seen := map[int64]bool{}
		if len(schools) == 1 {
			ch, ok, err := s.choose(c, scope, "")
			if err != nil {
				return nil, err
			}
			noticesOfAll(c)
			if ok && len(camps) == 0 {
				camps = []store.Campaign{ch.Campaign}
			}
			for _, tab := range ch.Tabs {
				seen[tab.ID] = !tab.New
			}
		}
		if err := s.todoLines(c, cards, schoolID, camps, seen, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// todoLines adds to out the lines of the cards of school schoolID in
// camps; seen says which campaigns the user has looked at (nil: all).
func (s *Server) todoLines(c *gin.Context, cards []classCard, schoolID int64, camps []store.Campaign, seen map[int64]bool, out map[int64][]classTodo) error {
	for _, camp := range camps {
		progress, err := s.store.ClassProgressOfSchool(c.Request.Context(), camp.ID, schoolID)
		if err != nil {
			return err
		}
		for _, cc := range cards {
			if cc.SchoolID != schoolID {
				continue
			}
			t := nextStep(cc.ID, camp.ID, progress[cc.ID])
			t.Campaign = camp.Name
			if v, known := seen[camp.ID]; known {
				t.New = !v
			}
			out[cc.ID] = append(out[cc.ID], t)
		}
	}
	for _, cc := range cards {
		if cc.SchoolID == schoolID && len(camps) == 0 {
			t := nextStep(cc.ID, 0, store.ClassProgress{Students: cc.Students})
			if t.Step != "roster" {
				t.Step, t.Href = "none", fmt.Sprintf("/classes/%d", cc.ID)
			}
			out[cc.ID] = []classTodo{t}
		}
	}
	return nil
}
