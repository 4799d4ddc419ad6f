package letters

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// MinSpareLines is the room, in body lines at 10.5 pt, every letter keeps
// free on its one page: for a school's longer details, an opening line, a
// sentence added to a method.
const MinSpareLines = 3

// Room is how much room a letter has on its page: what the content lint
// says about a template, or about a method being edited.
type Room struct {
	AgeGroup string
	Pages    int // pages the letter with its slip takes
	// SpareLines is how many body lines (10.5 pt) are left free on the
	// page above the slip; negative: how many lines the letter is over.
	SpareLines float64
	Methods    []MethodRoom // the methods the letter prints, most lines first
}

// MethodRoom is the room one method takes in a letter.
type MethodRoom struct {
	ID, Title string
	Lines     float64 // body lines, its spacing included
}

// OK says whether the letter keeps MinSpareLines free.
func (r Room) OK() bool { return r.SpareLines >= MinSpareLines-0.05 }

// Message says it in Chinese for the people who edit the content: the
// lines left or over, and when short of room the methods that take most.
func (r Room) Message() string {
	if r.OK() {
		return fmt.Sprintf("信连同回执印在一页A4纸上，还剩约 %.1f 行空位。", r.SpareLines)
	}
	var msg string
	if r.SpareLines < 0 {
		msg = fmt.Sprintf("信连同回执超出一页A4纸约 %.1f 行（每封信要留出至少 %d 行空位）", -r.SpareLines, MinSpareLines)
	} else {
		msg = fmt.Sprintf("信连同回执只剩约 %.1f 行空位，每封信要留出至少 %d 行（学校信息、开头语会占用）", r.SpareLines, MinSpareLines)
	}
	var most []string
	for _, m := range r.Methods[:min(3, len(r.Methods))] {
		most = append(most, fmt.Sprintf("%s（%.1f 行）", m.Title, m.Lines))
	}
	if len(most) > 0 {
		msg += "；占地最多的手法：" + strings.Join(most, "、")
	}
	return msg + "。请删减文字。"
}

// Room lays l's letter out in the ordinary edition (from l.Template, or
// the engine's template of l.AgeGroup) and measures its room.
func (e *Engine) Room(l Letter) (Room, error) {
	t := l.Template
	if t == nil {
		var err error
		if t, err = e.lib.Template(l.AgeGroup); err != nil {
			return Room{}, err
		}
	}
	l.LargePrint = false
	var att []Attention
	d := t.compose(e.cleanLetter(0, l, &att), true)
	s := newSetter(e)
	rows := s.letterRows(d, false, nil)
	ss, _, _ := s.slip(d.Slip, false)
	slipH := ss.h
	lead := styles[stBody].lead
	r := Room{AgeGroup: t.AgeGroup, Pages: 1 + len(pageBreaks(rows, slipH)),
		SpareLines: (pageRoom - rowsHeight(rows, 0, len(rows)) - slipGap - slipH) / lead}
	for k, b := range d.Blocks {
		if b.Method == nil {
			continue
		}
		h := 0.0
		for _, rw := range rows {
			if rw.block == k {
				h += rw.h
			}
		}
		r.Methods = append(r.Methods, MethodRoom{ID: b.Method.ID, Title: unmark(b.Method.Title), Lines: h / lead})
	}
	slices.SortStableFunc(r.Methods, func(a, b MethodRoom) int {
		switch {
		case a.Lines > b.Lines:
			return -1
		case a.Lines < b.Lines:
			return 1
		}
		return 0
	})
	return r, nil
}

// RoomLetters are the letters a template's room is measured with: a
// school with every detail filled in and its class meeting recorded, and
// one with none (its fallback lines), both with long names.
func RoomLetters(ageGroup string) []Letter {
	date := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
	full := Letter{AgeGroup: ageGroup, StudentName: "欧阳晓明", ClassName: "七年级12班", SchoolName: "重庆市渝北区龙溪街道中心学校",
		HeadTeacher: "欧阳老师", SchoolPhone: "023-67891234", Token: "7KQ2-XP9M-4TRW", URL: "https://jiashu.example.edu.cn/a/7KQ2XP9M4TRW",
		Date: date, MeetingDate: date.AddDate(0, 0, -3), FeeRule: "本校除代收伙食费外不向家长收取任何费用",
		PoliceStation: "重庆市公安局渝北区分局龙溪派出所", PolicePhone: "023-67821110"}
	bare := full
	bare.SchoolPhone, bare.FeeRule, bare.PoliceStation, bare.PolicePhone, bare.MeetingDate = "", "", "", "", time.Time{}
	return []Letter{full, bare}
}

// Rooms measures every age group's template with RoomLetters (with the
// campaign's opening line, which may be ""): for each, the tighter of the
// two.
func (e *Engine) Rooms(opening string) ([]Room, error) {
	var out []Room
	for _, ag := range AgeGroups() {
		var worst Room
		for i, l := range RoomLetters(ag) {
			l.Opening = opening
			r, err := e.Room(l)
			if err != nil {
				return nil, err
			}
			if i == 0 || r.SpareLines < worst.SpareLines {
				worst = r
			}
		}
		out = append(out, worst)
	}
	return out, nil
}

// RoomsWith is Rooms for the letters that print method id: what the lint
// says on the method being edited.
func (e *Engine) RoomsWith(id, opening string) ([]Room, error) {
	rooms, err := e.Rooms(opening)
	if err != nil {
		return nil, err
	}
	var out []Room
	for _, r := range rooms {
		if slices.ContainsFunc(r.Methods, func(m MethodRoom) bool { return m.ID == id }) {
			out = append(out, r)
		}
	}
	return out, nil
}
