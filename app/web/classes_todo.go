package web

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/store"
)

// 我的班级 as a to-do list: each class with its progress in the campaign
// (已回执 7/30) and its next step as a link — 上传名册 → 下载家书 → 标记已发 →
// 登记回执 → 提醒未回执. The campaign is each school's default, or the one
// the page names when all the classes are of one school (the page then
// offers the school's campaigns).

// classTodo is a class's progress and next step.
type classTodo struct {
	Campaign     string
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
	t := classTodo{Acknowledged: p.Acknowledged, Students: p.Students}
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

// classTodos works out the to-do of every card, reading each school's
// progress once. choice is the campaign chooser when the classes are of
// one school.
func (s *Server) classTodos(c *gin.Context, cards []classCard) (map[int64]classTodo, *campaignChoice, error) {
	out := map[int64]classTodo{}
	schools := map[int64]bool{}
	for _, cc := range cards {
		schools[cc.SchoolID] = true
	}
	var shown *campaignChoice
	for schoolID := range schools {
		var camp store.Campaign
		if len(schools) == 1 {
			ch, ok, err := s.chooseCampaign(c, schoolID)
			if err != nil {
				return nil, nil, err
			}
			if ok {
				camp, shown = ch.Campaign, &ch
			}
		} else {
			var err error
			if camp, _, err = campaign.Current(c.Request.Context(), s.store, schoolID); err != nil {
				return nil, nil, err
			}
		}
		progress := map[int64]store.ClassProgress{}
		if camp.ID != 0 {
			var err error
			if progress, err = s.store.ClassProgressOfSchool(c.Request.Context(), camp.ID, schoolID); err != nil {
				return nil, nil, err
			}
		}
		for _, cc := range cards {
			if cc.SchoolID != schoolID {
				continue
			}
			t := nextStep(cc.ID, camp.ID, progress[cc.ID])
			if camp.ID == 0 && t.Step != "roster" {
				t.Step, t.Href = "none", fmt.Sprintf("/classes/%d", cc.ID)
			}
			t.Campaign = camp.Name
			out[cc.ID] = t
		}
	}
	return out, shown, nil
}
