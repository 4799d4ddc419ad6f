package web

import (
	"jiashu/app/campaign"
	"jiashu/app/jobs"
	"jiashu/letters"
	"jiashu/store"
)

// classAttention lists what the teacher must check on the class's letters
// before printing them (a name too long for the letter, a character no
// font has), as the letters engine will print them, and their number.
// Only the fields the roster gives are checked: no letter is issued.
func (s *Server) classAttention(school store.School, cl store.Class, students []store.Student) ([]jobs.AttentionEntry, int) {
	ls := make([]letters.Letter, 0, len(students))
	for _, st := range students {
		if st.Active {
			ls = append(ls, letters.Letter{StudentName: st.Name, ClassName: cl.Name, SchoolName: school.Name,
				HeadTeacher: cl.HeadTeacher, Ref: st.Number})
		}
	}
	o := jobs.NewLettersOutcome(letters.Stats{Attention: s.letters.Check(ls)})
	return o.Attention, o.AttentionTotal
}

// largePrintCount counts the active students whose letter is set in large
// print by default (a grandparent is their first guardian).
func largePrintCount(students []store.Student) int {
	n := 0
	for _, st := range students {
		if st.Active && campaign.LargePrint(st) {
			n++
		}
	}
	return n
}
