// Package reminders writes the texts that remind families who have not
// acknowledged, and the new-scam alerts: one SMS segment each, with the
// family's link; the lists of a class, a school or a campaign, their CSV and
// XLSX files for the school messaging platform, and the quiet hours when
// none is sent. The reminders job (app/jobs) sends them.
package reminders

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"jiashu/app/campaign"
	"jiashu/sms"
	"jiashu/store"
)

// Reminders (the reminder part of flow 5): the guardians with a mobile of
// families that have not acknowledged, for a class, a school or a whole
// campaign, each with a text of at most one SMS segment holding their short
// link. Exported as XLSX and CSV (columns 手机号码, 短信内容) for the school
// messaging platform, or sent through the configured gateway
// (the reminders job). Every export or send of numbers is audited.

// SMSSegment is what one SMS segment holds when the text is Chinese (UCS-2):
// 70 UTF-16 code units.
const SMSSegment = 70

// Reminder is one line of a reminder list.
type Reminder struct {
	store.ReminderTarget
	Message string
	Title   string // an alert's title as this family reads it; "" for reminders
}

// SMSLength counts a text as the SMS network does for Chinese texts:
// UTF-16 code units (a character beyond U+FFFF counts twice).
func SMSLength(s string) int { return len(utf16.Encode([]rune(s))) }

// Lists writes the reminder texts of a campaign's families.
type Lists struct {
	Store   *store.Store
	BaseURL string
	// Text is the Chinese catalogue: the texts are SMS, whatever the
	// language of the page that asks for them.
	Text func(key string) string
}

// Message writes the text for a letter: the longest of the catalogue's
// variants that fits one segment with the link. A reminder must not look
// like the phishing the letter warns about, so the variants name the school
// and the class teacher (teacher: the class's 班主任 as the roster names
// them, "" when it does not) and say that nothing is to be filled in or
// paid; those that also name the child (masked, as on the parent page) come
// first, so that siblings' texts to one parent can be told apart. The link
// is never shortened; a base URL so long that not even the shortest variant
// fits is a configuration problem reported as an error.
func (r Lists) Message(schoolName, teacher, childName, token string) (string, error) {
	link := r.Link(token)
	child := campaign.MaskChildName(childName)
	who := r.Text("reminders.sms2.head_teacher")
	if teacher = strings.TrimSpace(teacher); teacher != "" {
		who = teacher
		if !strings.HasSuffix(teacher, "老师") {
			who += "老师"
		}
	}
	for _, key := range smsVariants {
		m := fmt.Sprintf(r.Text(key), schoolName, who, child, link)
		if SMSLength(m) <= SMSSegment {
			return m, nil
		}
	}
	return "", fmt.Errorf("reminders: the link %q leaves no room for a text in %d characters; shorten --base-url", link, SMSSegment)
}

// Link is the letter's link in a text: the parent page, marked as
// reached by SMS.
func (r Lists) Link(token string) string { return r.BaseURL + "/a/" + token + "?c=s" }

// smsVariants are the catalogue keys of the reminder texts, longest first;
// each is a format with the explicit arguments %[1]s school, %[2]s teacher,
// %[3]s child, %[4]s link, and uses those it has room for.
var smsVariants = []string{
	"reminders.sms2.full", "reminders.sms2.child", "reminders.sms2.teacher", "reminders.sms2.teacher.short",
	"reminders.sms2.school", "reminders.sms2.plain", "reminders.sms2.shortest",
}

// List lists the targets of scope with their texts.
func (r Lists) List(ctx context.Context, scope store.ReminderScope) ([]Reminder, error) {
	targets, err := r.Store.PendingReminders(ctx, scope)
	if err != nil {
		return nil, err
	}
	out := make([]Reminder, 0, len(targets))
	for _, t := range targets {
		m, err := r.Message(t.SchoolName, t.HeadTeacher, t.StudentName, t.Token)
		if err != nil {
			return nil, err
		}
		out = append(out, Reminder{ReminderTarget: t, Message: m})
	}
	return out, nil
}

// CellText keeps a value from being read as a formula by a spreadsheet
// (CSV/formula injection): a leading = + - @ gets a leading apostrophe.
func CellText(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// reminderColumns are the columns the school messaging platform imports,
// then the student and class, for the teacher to check whom each text is
// about (the platform ignores them).
var reminderColumns = []string{"手机号码", "短信内容", "学生", "班级"}

// CSV writes the list as UTF-8 CSV with a byte-order mark, which
// Excel needs to read UTF-8.
func CSV(list []Reminder) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.Write(reminderColumns); err != nil {
		return nil, err
	}
	for _, r := range list {
		if err := w.Write([]string{CellText(r.Mobile), CellText(r.Message), CellText(r.StudentName), CellText(r.ClassName)}); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// XLSX writes the list as a workbook of text cells (so numbers keep
// every digit).
func XLSX(list []Reminder) ([]byte, error) {
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
	if err := sw.SetColWidth(3, 4, 14); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", []any{reminderColumns[0], reminderColumns[1], reminderColumns[2], reminderColumns[3]}); err != nil {
		return nil, err
	}
	for i, r := range list {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		row := []any{
			excelize.Cell{Value: CellText(r.Mobile)},
			excelize.Cell{Value: CellText(r.Message)},
			excelize.Cell{Value: CellText(r.StudentName)},
			excelize.Cell{Value: CellText(r.ClassName)},
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

// Quiet says whether t falls in the quiet hours q (China time), when no
// text is sent.
func Quiet(q sms.Quiet, t time.Time) bool { return q.In(t.In(campaign.ChinaTime)) }

// Resume is when texts asked for at t may go: the end of the quiet hours
// (China time), "明早 8:00".
func Resume(q sms.Quiet, t time.Time) time.Time { return q.Resume(t.In(campaign.ChinaTime)) }
