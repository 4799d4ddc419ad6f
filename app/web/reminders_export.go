package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/reminders"
	"jiashu/store"
)

// scopeResolver finds the reminder scope a request names, checking that
// the user may act on it.
type scopeResolver func(*gin.Context) (reminderScope, error)

// reminderScope is a resolved request for a list: what it covers, for the
// audit log and file names.
type reminderScope struct {
	store.ReminderScope
	label    string // "class 12", "school 3", "campaign 5"
	file     string // file name without extension
	name     string // what it covers, as the pages name it: the class, school or campaign
	campaign string // the campaign's name
}

// scopeOfClass resolves /classes/:id/… for the current user.
func (s *Server) scopeOfClass(c *gin.Context) (reminderScope, error) {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return reminderScope{}, err
	}
	camp, ok, err := s.classCampaign(c, cl)
	if err != nil {
		return reminderScope{}, err
	}
	if !ok {
		return reminderScope{}, refuse(http.StatusConflict, "no_campaign", "slips.no_campaign")
	}
	return reminderScope{ReminderScope: store.ReminderScope{CampaignID: camp.ID, SchoolID: cl.SchoolID, ClassID: cl.ID},
		label: fmt.Sprintf("class %d", cl.ID), file: "短信提醒-" + cl.Name, name: cl.Name, campaign: camp.Name}, nil
}

// scopeOfSchool resolves /schools/:school/… (?campaign= or the school's default).
func (s *Server) scopeOfSchool(c *gin.Context) (reminderScope, error) {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return reminderScope{}, err
	}
	ch, ok, err := s.chooseCampaign(c, sc.ID)
	if err != nil {
		return reminderScope{}, err
	}
	if !ok {
		return reminderScope{}, refuse(http.StatusConflict, "no_campaign", "slips.no_campaign")
	}
	campID := ch.Campaign.ID
	return reminderScope{ReminderScope: store.ReminderScope{CampaignID: campID, SchoolID: sc.ID},
		label: fmt.Sprintf("school %d campaign %d", sc.ID, campID), file: "短信提醒-" + sc.Name,
		name: sc.Name, campaign: ch.Campaign.Name}, nil
}

// scopeOfCampaign resolves /campaigns/:campaign/…: the district administrator only.
func (s *Server) scopeOfCampaign(c *gin.Context) (reminderScope, error) {
	u := currentUser(c)
	if u == nil || u.Role != store.RoleDistrictAdmin {
		return reminderScope{}, errForbidden
	}
	id, err := s.idParam(c, "campaign")
	if err != nil {
		return reminderScope{}, err
	}
	camp, err := s.store.Campaign(c.Request.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return reminderScope{}, errNotFound
	}
	if err != nil {
		return reminderScope{}, err
	}
	return reminderScope{ReminderScope: store.ReminderScope{CampaignID: camp.ID},
		label: fmt.Sprintf("campaign %d", camp.ID), file: "短信提醒-" + camp.Name, name: camp.Name, campaign: camp.Name}, nil
}

// reminderExport answers a list as format ("csv" or "xlsx") for the scope
// resolve finds, and writes who took which numbers to the audit log first.
func (s *Server) reminderExport(resolve scopeResolver, format string) func(*gin.Context) error {
	return func(c *gin.Context) error {
		scope, err := resolve(c)
		if err != nil {
			return err
		}
		list, err := s.reminders().List(c.Request.Context(), scope.ReminderScope)
		if err != nil {
			return err
		}
		var body []byte
		var ctype string
		switch format {
		case "csv":
			body, err = reminders.CSV(list)
			ctype = "text/csv; charset=utf-8"
		default:
			body, err = reminders.XLSX(list)
			ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		}
		if err != nil {
			return err
		}
		u := currentUser(c)
		// No audit entry, no numbers.
		if err := s.store.Audit(c.Request.Context(), u.ID, "reminders_export", fmt.Sprintf("%s %s: %d phone numbers", scope.label, format, len(list))); err != nil {
			return err
		}
		name := fmt.Sprintf("%s-%s.%s", scope.file, s.now().In(campaign.ChinaTime).Format("20060102"), format)
		c.Header("Content-Disposition", attachment("reminders."+format, name))
		c.Header("Cache-Control", "no-store")
		c.Data(http.StatusOK, ctype, body)
		return nil
	}
}
