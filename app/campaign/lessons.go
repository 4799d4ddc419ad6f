package campaign

import (
	"fmt"
	"io"
	"slices"

	"jiashu/grade"
	"jiashu/letters"
	"jiashu/store"
)

// Lessons is the class-meeting kit (主题班会: lesson sheet and slides per
// age group) that campaign c gives its schools. Every download, the web's
// and the command line's, takes its kit from here, so that the kit a
// campaign pins (reviewed content, issue 9) replaces the default one in
// this one place. For now it is the kit that ships with the product.
func Lessons(e *letters.Engine, c store.Campaign) (*letters.Lessons, error) {
	_ = c // the campaign's pinned kit, once content is versioned
	return e.DefaultLessons()
}

// AgeGroupsOf lists the age groups of classes, in school order, once each:
// the lesson kits a school needs.
func AgeGroupsOf(m grade.Mapping, classes []store.Class) []string {
	var out []string
	for _, ag := range letters.AgeGroups() {
		if slices.ContainsFunc(classes, func(cl store.Class) bool { return string(m.Of(cl.Grade)) == ag }) {
			out = append(out, ag)
		}
	}
	return out
}

// LessonFile names a kit's file for people: 初中-主题班会教案.pdf, or with
// a class 三年级2班-主题班会课件.pdf.
func LessonFile(prefix string, slides bool) string {
	if slides {
		return FileSafe(prefix) + "-主题班会课件.pdf"
	}
	return FileSafe(prefix) + "-主题班会教案.pdf"
}

// WriteLesson writes the lesson sheet of age group ag (or, with slides,
// its projector slides) from campaign c's kit. The kit ends with handing
// out the letters and the day their slips are due: c's acknowledgement
// deadline, unless opt names one.
func WriteLesson(w io.Writer, e *letters.Engine, c store.Campaign, ag string, slides bool, opt letters.LessonOptions) error {
	if opt.Deadline.IsZero() {
		opt.Deadline = AckDeadline(c.AckDeadline)
	}
	kit, err := Lessons(e, c)
	if err != nil {
		return fmt.Errorf("campaign: lesson kit: %w", err)
	}
	l, err := kit.Lesson(ag)
	if err != nil {
		return fmt.Errorf("campaign: %w", err)
	}
	if slides {
		return e.WriteSlides(w, l, opt)
	}
	return e.WriteLessonSheet(w, l, opt)
}
