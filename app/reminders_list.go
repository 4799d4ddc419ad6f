package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"jiashu/store"
)

// Reminders (the reminder part of flow 5): the guardians with a mobile of
// families that have not acknowledged, for a class, a school or a whole
// campaign, each with a text of at most one SMS segment holding their short
// link. Exported as XLSX and CSV (columns 手机号码, 短信内容) for the school
// messaging platform, or sent through the configured gateway
// (reminders_send.go). Every export or send of numbers is audited.

// smsSegment is what one SMS segment holds when the text is Chinese (UCS-2):
// 70 UTF-16 code units.
const smsSegment = 70

// reminder is one line of a reminder list.
type reminder struct {
	store.ReminderTarget
	Message string
}

// reminderScope is a resolved request for a list: what it covers, for the
// audit log and file names.
type reminderScope struct {
	store.ReminderScope
	label    string // "class 12", "school 3", "campaign 5"
	file     string // file name without extension
	name     string // what it covers, as the pages name it: the class, school or campaign
	campaign string // the campaign's name
}

// smsLength counts a text as the SMS network does for Chinese texts:
// UTF-16 code units (a character beyond U+FFFF counts twice).
func smsLength(s string) int { return len(utf16.Encode([]rune(s))) }

// reminderMessage writes the text for a letter: the longest of the
// catalogue's variants that fits one segment with the link. The variants
// that name the child (masked, as on the parent page) come first, so that
// siblings' texts to one parent can be told apart. The link is never
// shortened; a base URL so long that not even the shortest variant fits is
// a configuration problem reported as an error.
func (s *server) reminderMessage(schoolName, childName, token string) (string, error) {
	link := s.cfg.BaseURL + "/a/" + token + "?c=s"
	p := s.parent
	child := maskChildName(childName)
	candidates := []string{
		fmt.Sprintf(p.t("reminders.sms.child"), schoolName, child, link),
		fmt.Sprintf(p.t("reminders.sms.child.short"), schoolName, child, link),
		fmt.Sprintf(p.t("reminders.sms"), schoolName, link),
		fmt.Sprintf(p.t("reminders.sms.short"), schoolName, link),
		fmt.Sprintf(p.t("reminders.sms.shorter"), link),
		fmt.Sprintf(p.t("reminders.sms.shortest"), link),
	}
	for _, m := range candidates {
		if smsLength(m) <= smsSegment {
			return m, nil
		}
	}
	return "", fmt.Errorf("reminders: the link %q leaves no room for a text in %d characters; shorten --base-url", link, smsSegment)
}

// reminders lists the targets of scope with their texts.
func (s *server) reminders(ctx context.Context, scope store.ReminderScope) ([]reminder, error) {
	targets, err := s.store.PendingReminders(ctx, scope)
	if err != nil {
		return nil, err
	}
	out := make([]reminder, 0, len(targets))
	for _, t := range targets {
		m, err := s.reminderMessage(t.SchoolName, t.StudentName, t.Token)
		if err != nil {
			return nil, err
		}
		out = append(out, reminder{ReminderTarget: t, Message: m})
	}
	return out, nil
}

// cellText keeps a value from being read as a formula by a spreadsheet
// (CSV/formula injection): a leading = + - @ gets a leading apostrophe.
func cellText(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// reminderColumns are the columns the school messaging platform imports.
var reminderColumns = []string{"手机号码", "短信内容"}

// reminderCSV writes the list as UTF-8 CSV with a byte-order mark, which
// Excel needs to read UTF-8.
func reminderCSV(list []reminder) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.Write(reminderColumns); err != nil {
		return nil, err
	}
	for _, r := range list {
		if err := w.Write([]string{cellText(r.Mobile), cellText(r.Message)}); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// reminderXLSX writes the list as a workbook of text cells (so numbers keep
// every digit).
func reminderXLSX(list []reminder) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "短信提醒"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	if err := sw.SetColWidth(1, 1, 16); err != nil {
		return nil, err
	}
	if err := sw.SetColWidth(2, 2, 90); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", []any{reminderColumns[0], reminderColumns[1]}); err != nil {
		return nil, err
	}
	for i, r := range list {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		row := []any{
			excelize.Cell{Value: cellText(r.Mobile)},
			excelize.Cell{Value: cellText(r.Message)},
		}
		if err := sw.SetRow(cell, row); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// scopeOfClass resolves /classes/:id/… for the current user.
func (s *server) scopeOfClass(c *gin.Context) (reminderScope, bool) {
	cl, ok := s.classParam(c, "id")
	if !ok {
		return reminderScope{}, false
	}
	camp, ok, err := s.classCampaign(c, cl)
	if err != nil {
		s.internal(c, err)
		return reminderScope{}, false
	}
	if !ok {
		s.problem(c, http.StatusConflict, "no_campaign", "slips.no_campaign")
		return reminderScope{}, false
	}
	return reminderScope{ReminderScope: store.ReminderScope{CampaignID: camp.ID, SchoolID: cl.SchoolID, ClassID: cl.ID},
		label: fmt.Sprintf("class %d", cl.ID), file: "短信提醒-" + cl.Name, name: cl.Name, campaign: camp.Name}, true
}

// scopeOfSchool resolves /schools/:school/… (?campaign= or the school's newest).
func (s *server) scopeOfSchool(c *gin.Context) (reminderScope, bool) {
	sc, ok := s.schoolParam(c, "school")
	if !ok {
		return reminderScope{}, false
	}
	campID, err := s.store.LatestCampaignOfSchool(c.Request.Context(), sc.ID)
	if q := c.Query("campaign"); q != "" {
		_, err = fmt.Sscan(q, &campID)
	}
	if errors.Is(err, store.ErrNotFound) {
		s.problem(c, http.StatusConflict, "no_campaign", "slips.no_campaign")
		return reminderScope{}, false
	}
	if err != nil {
		s.problem(c, http.StatusNotFound, "not_found", "error.not_found")
		return reminderScope{}, false
	}
	// Only a campaign the school takes part in: the pages show its name.
	camps, err := s.store.SchoolCampaigns(c.Request.Context(), sc.ID)
	if err != nil {
		s.internal(c, err)
		return reminderScope{}, false
	}
	i := slices.IndexFunc(camps, func(cp store.Campaign) bool { return cp.ID == campID })
	if i < 0 {
		s.problem(c, http.StatusNotFound, "not_found", "error.not_found")
		return reminderScope{}, false
	}
	return reminderScope{ReminderScope: store.ReminderScope{CampaignID: campID, SchoolID: sc.ID},
		label: fmt.Sprintf("school %d campaign %d", sc.ID, campID), file: "短信提醒-" + sc.Name,
		name: sc.Name, campaign: camps[i].Name}, true
}

// scopeOfCampaign resolves /campaigns/:campaign/…: the district administrator only.
func (s *server) scopeOfCampaign(c *gin.Context) (reminderScope, bool) {
	u := currentUser(c)
	if u == nil || u.Role != store.RoleDistrictAdmin {
		s.problem(c, http.StatusForbidden, "forbidden", "error.forbidden")
		return reminderScope{}, false
	}
	id, ok := s.idParam(c, "campaign")
	if !ok {
		return reminderScope{}, false
	}
	camp, err := s.store.Campaign(c.Request.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.problem(c, http.StatusNotFound, "not_found", "error.not_found")
		return reminderScope{}, false
	}
	if err != nil {
		s.internal(c, err)
		return reminderScope{}, false
	}
	return reminderScope{ReminderScope: store.ReminderScope{CampaignID: camp.ID},
		label: fmt.Sprintf("campaign %d", camp.ID), file: "短信提醒-" + camp.Name, name: camp.Name, campaign: camp.Name}, true
}

// reminderExport answers a list as format ("csv" or "xlsx") for the scope
// resolve finds, and writes who took which numbers to the audit log first.
func (s *server) reminderExport(resolve func(*gin.Context) (reminderScope, bool), format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		scope, ok := resolve(c)
		if !ok {
			return
		}
		list, err := s.reminders(c.Request.Context(), scope.ReminderScope)
		if err != nil {
			s.internal(c, err)
			return
		}
		var body []byte
		var ctype string
		switch format {
		case "csv":
			body, err = reminderCSV(list)
			ctype = "text/csv; charset=utf-8"
		default:
			body, err = reminderXLSX(list)
			ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		}
		if err != nil {
			s.internal(c, err)
			return
		}
		u := currentUser(c)
		// No audit entry, no numbers.
		if err := s.store.Audit(c.Request.Context(), u.ID, "reminders_export", fmt.Sprintf("%s %s: %d phone numbers", scope.label, format, len(list))); err != nil {
			s.internal(c, err)
			return
		}
		name := fmt.Sprintf("%s-%s.%s", scope.file, s.now().In(chinaTime).Format("20060102"), format)
		c.Header("Content-Disposition", contentDisposition(name))
		c.Header("Cache-Control", "no-store")
		c.Data(http.StatusOK, ctype, body)
	}
}

// contentDisposition names a download, with an ASCII fallback for old clients.
func contentDisposition(name string) string {
	ext := name[strings.LastIndexByte(name, '.'):]
	return fmt.Sprintf(`attachment; filename="reminders%s"; filename*=UTF-8''%s`, ext, pathEscapeUTF8(name))
}

func pathEscapeUTF8(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// quietHours says whether t is between 21:00 and 08:00 in China, when no
// reminder is sent.
func quietHours(t time.Time) bool {
	h := t.In(chinaTime).Hour()
	return h >= 21 || h < 8
}
