package campaign

import (
	"context"

	"jiashu/letters"
	"jiashu/store"
)

// A class as its pages show it (the class page and its API twin, 回执登记,
// the reminders export, the letter download): one store read in one
// transaction (store.ReadClass), which picks the campaign by Shown, and a
// pure summary of it (Summarise).

// ClassQuery is the class to read and what of it.
type ClassQuery struct {
	ClassID int64
	// Want is the campaign the request names (0: none); Remembered the one
	// the user last worked in for the school (0: none). Choose decides,
	// with the campaigns whose letters the class holds.
	Want, Remembered int64
	// Students reads the students with their letters and counts them
	// (the class page).
	Students bool
	// Slips reads the paper slips and the reminders still to send (回执登记).
	Slips bool
	// Print reads the letters to print, issuing the missing ones when
	// Print.Issue (the letter download).
	Print *store.PrintQuery
}

// ClassView is a class in the campaign its page shows.
type ClassView struct {
	School    store.School
	Class     store.Class
	Campaigns []store.Campaign // the school's, newest first, to choose from
	// Campaign is the campaign shown; HasCampaign is false when the school
	// takes part in none yet.
	Campaign    store.Campaign
	HasCampaign bool
	// Several: the running campaigns whose letters the class holds, when
	// the request named none and the user remembered none (Choice.Several).
	Several  []store.Campaign
	Progress store.CampaignProgress // the class's, in each of Campaigns
	Phase    string                 // Campaign's: store.CampaignRunning, CampaignClosed, CampaignPurged
	Today    string                 // the day in China the phases are of
	// Purged: the campaign's personal data was purged; its letters are
	// gone, and the summary shows what the purge kept.
	Purged   bool
	Summary  ClassSummary
	Students []StudentRow       // ClassQuery.Students: every active student, by number
	Roster   []store.Student    // the same students as the store keeps them
	Meeting  store.ClassMeeting // the class meeting held in Campaign
	Slips    []store.SlipRow    // ClassQuery.Slips
	Pending  int                // guardians still to remind (ClassQuery.Slips)
	Print    store.ClassPrint   // ClassQuery.Print
}

// ClassSummary counts the class's letters.
type ClassSummary struct {
	Students     int `json:"students"`
	Letters      int `json:"letters"`
	Opened       int `json:"opened"`
	Acknowledged int `json:"acknowledged"`
	Paper        int `json:"paper"`
	Undelivered  int `json:"undelivered"` // produced, not yet handed out, opened or acknowledged
	NoPhone      int `json:"no_phone"`
	LargePrint   int `json:"large_print"` // letters set in large print by default
}

// StudentRow is a student as the class page lists them: guardians' phones
// masked, and their letter's status in the campaign.
type StudentRow struct {
	ID        int64          `json:"id"`
	Number    string         `json:"number"`
	Name      string         `json:"name"`
	Gender    string         `json:"gender"`
	Guardians []GuardianView `json:"guardians"`
	Letter    string         `json:"letter_status"`         // "" (none yet), produced, delivered, opened, acknowledged
	Channel   string         `json:"ack_channel,omitempty"` // how the family acknowledged
	AckedAt   Moment         `json:"acknowledged_at,omitzero"`
	NoPhone   bool           `json:"no_phone"` // paper is the only way to reach the family
	// LargePrint: the letter is set in large print by default (a
	// grandparent is the first guardian).
	LargePrint bool `json:"large_print"`
	// Display is the name as the page shows it: a name pasted with a note
	// (thousands of characters) is cut, and listed among the letters to check.
	Display string `json:"-"`
}

// GuardianView is a guardian as lists show them: the mobile masked.
type GuardianView struct {
	Name     string `json:"name"`
	Relation string `json:"relation"`
	Mobile   string `json:"mobile_masked"`
}

// Class reads q's class in one store transaction and summarises it. A
// campaign asked for that is not the school's, like a missing class, is
// store.ErrNotFound (a problem.NotFound).
func Class(ctx context.Context, st *store.Store, q ClassQuery) (ClassView, error) {
	var several []store.Campaign
	r, err := st.ReadClass(ctx, store.ClassQuery{
		ClassID: q.ClassID, Students: q.Students, Slips: q.Slips, Print: q.Print,
		Choose: func(list []store.Campaign, progress store.CampaignProgress, today string) (store.Campaign, bool, error) {
			ch, err := Choose(list, Ask{Want: q.Want, Remembered: q.Remembered, Holding: progress.Holding(IDs(list))}, today)
			several = ch.Several
			return ch.Campaign, ch.OK, err
		},
	})
	if err != nil {
		return ClassView{}, err
	}
	v := Summarise(r)
	v.Several = several
	return v, nil
}

// Choice is the choice the view was read in (Choose's answer).
func (v ClassView) Choice() Choice {
	return Choice{Campaign: v.Campaign, OK: v.HasCampaign, Several: v.Several}
}

// Summarise turns a class read into its view: the rows of its students
// with masked phones and their letters' status, and the counts. After a
// purge the letters are gone: the counts are what the purge kept, and
// nothing is left to hand out.
func Summarise(r store.ClassRead) ClassView {
	v := ClassView{School: r.School, Class: r.Class, Campaigns: r.Campaigns, Today: r.Today, Roster: r.Students,
		Meeting: r.Meeting, Slips: r.Slips, Pending: r.Pending, Print: r.Print, Progress: r.Progress}
	if r.Campaign.ID != 0 {
		v.Campaign, v.HasCampaign, v.Phase, v.Purged = r.Campaign, true, r.Campaign.Phase(r.Today), r.Campaign.Purged
	}
	byStudent := make(map[int64]store.Letter, len(r.Letters))
	for _, l := range r.Letters {
		byStudent[l.StudentID] = l
	}
	v.Students = make([]StudentRow, 0, len(r.Students))
	for _, st := range r.Students {
		row := studentRow(st)
		if l, ok := byStudent[st.ID]; ok {
			countLetter(&v.Summary, &row, l)
		}
		if row.NoPhone {
			v.Summary.NoPhone++
		}
		if st.Active && row.LargePrint {
			v.Summary.LargePrint++
		}
		v.Students = append(v.Students, row)
	}
	v.Summary.Students = len(v.Students)
	if k := r.Kept; k != nil {
		v.Summary.Letters, v.Summary.Opened = k.Produced, k.Opened
		v.Summary.Acknowledged, v.Summary.Paper = k.Acknowledged, k.Paper
		v.Summary.Undelivered = 0
	}
	return v
}

// studentRow is st as the page lists them, before their letter.
func studentRow(st store.Student) StudentRow {
	row := StudentRow{ID: st.ID, Number: st.Number, Name: st.Name, Gender: st.Gender, NoPhone: true,
		LargePrint: LargePrint(st), Display: Clip(st.Name, 30)}
	for _, g := range st.Guardians {
		row.Guardians = append(row.Guardians, GuardianView{Name: g.Name, Relation: g.Relation, Mobile: MaskPhone(g.Mobile)})
		if g.Mobile != "" {
			row.NoPhone = false
		}
	}
	return row
}

// countLetter adds letter l of row's student to the summary.
func countLetter(sum *ClassSummary, row *StudentRow, l store.Letter) {
	row.Letter, row.Channel = l.Status, l.AckChannel
	sum.Letters++
	if l.Status == store.StatusProduced {
		sum.Undelivered++
	}
	// Opened as the overview (and a purge's kept figures) count it: a
	// family that acknowledged has seen the letter.
	if l.FirstOpenedAt != nil || l.AcknowledgedAt != nil {
		sum.Opened++
	}
	if l.AcknowledgedAt != nil {
		row.AckedAt = At(*l.AcknowledgedAt)
		sum.Acknowledged++
		if l.AckChannel == store.ChannelPaper {
			sum.Paper++
		}
	}
}

// AttentionEntry is one letter to check before printing: its class,
// student number and name, and what to do, in Chinese.
type AttentionEntry struct {
	Class   string `json:"class"`
	Ref     string `json:"ref"`
	Student string `json:"student"`
	Message string `json:"message"`
}

// MaxAttention bounds the entries kept of a run: a district's letters with
// a broken name column must not store a megabyte of warnings.
const MaxAttention = 200

// Attention lists the first MaxAttention of what the letters engine found
// to check (letters.Engine.Check, or a run's letters.Stats), and their
// number.
func Attention(found []letters.Attention) ([]AttentionEntry, int) {
	var out []AttentionEntry
	for _, a := range found[:min(len(found), MaxAttention)] {
		out = append(out, AttentionEntry{Class: a.ClassName, Ref: a.Ref, Student: Clip(a.StudentName, 30), Message: a.Message})
	}
	return out, len(found)
}

// CutNames lists every name the letters print cut (letters.CutNames), all
// of them: the letters' summary names each, as the README promises.
func CutNames(found []letters.Attention) []AttentionEntry {
	var out []AttentionEntry
	for _, a := range letters.CutNames(found) {
		out = append(out, AttentionEntry{Class: a.ClassName, Ref: a.Ref, Student: Clip(a.StudentName, 30), Message: a.Message})
	}
	return out
}

// NotCutNames are the attentions but the cut names: what the letters'
// summary lists after them, each once.
func NotCutNames(found []letters.Attention) []letters.Attention {
	var out []letters.Attention
	for _, a := range found {
		if !a.Cut || a.Field != "学生姓名" {
			out = append(out, a)
		}
	}
	return out
}

// CheckLetters are the letters of the view's active students as far as
// the roster fills them (no code is issued): what the letters engine
// checks before any is printed (a name too long, a character no font has).
func (v ClassView) CheckLetters() []letters.Letter {
	ls := make([]letters.Letter, 0, len(v.Roster))
	for _, st := range v.Roster {
		if st.Active {
			ls = append(ls, letters.Letter{StudentName: st.Name, ClassName: v.Class.Name, SchoolName: v.School.Name,
				HeadTeacher: v.Class.HeadTeacher, Ref: st.Number})
		}
	}
	return ls
}
