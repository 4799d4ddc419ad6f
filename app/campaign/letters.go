package campaign

import (
	"context"
	"fmt"
	"time"

	"jiashu/grade"
	"jiashu/letters"
	"jiashu/store"
)

// Letters builds what the letters engine prints from the store: each
// student's letter in a campaign, with its code issued on first use.
type Letters struct {
	Store     *store.Store
	AgeGroups grade.Mapping
	BaseURL   string // the public address the QR codes and links open
}

// ForStudents issues the students' letters in the campaign (tokens are
// stable: a second call returns the same ones) and returns what the letters
// engine needs to print them, in the students' order. now is the date
// printed on the letters.
func (b Letters) ForStudents(ctx context.Context, now time.Time, camp store.Campaign, school store.School, cl store.Class, students []store.Student) ([]letters.Letter, error) {
	ids := make([]int64, len(students))
	for i, s := range students {
		ids[i] = s.ID
	}
	issued, err := b.Store.IssueLetters(ctx, camp.ID, ids)
	if err != nil {
		return nil, fmt.Errorf("campaign: issue letters for %s: %w", cl.Name, err)
	}
	deadline := AckDeadline(camp.AckDeadline)
	date := now.In(ChinaTime) // the date a school in China prints, not the server's UTC date
	ageGroup := string(b.AgeGroups.Of(cl.Grade))
	ls := make([]letters.Letter, len(students))
	for i, s := range students {
		ls[i] = letters.Letter{
			AgeGroup:    ageGroup,
			StudentName: s.Name,
			ClassName:   cl.Name,
			SchoolName:  school.Name,
			HeadTeacher: cl.HeadTeacher,
			Token:       store.FormatToken(issued[i].Token),
			URL:         AckURL(b.BaseURL, issued[i].Token),
			Date:        date,
			Deadline:    deadline,
			Ref:         s.Number,
		}
	}
	return ls, nil
}

// ForClasses issues the letters of every active student of the classes
// and returns them per class; classes without students are left out.
func (b Letters) ForClasses(ctx context.Context, now time.Time, camp store.Campaign, school store.School, classes []store.Class) ([]letters.ClassLetters, error) {
	var batch []letters.ClassLetters
	for _, cl := range classes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		students, err := b.Store.Students(ctx, cl.ID)
		if err != nil {
			return nil, err
		}
		if len(students) == 0 {
			continue
		}
		ls, err := b.ForStudents(ctx, now, camp, school, cl, students)
		if err != nil {
			return nil, err
		}
		batch = append(batch, letters.ClassLetters{ClassName: cl.Name, Letters: ls})
	}
	return batch, nil
}

// ForSchool is ForClasses for every class of the school.
func (b Letters) ForSchool(ctx context.Context, now time.Time, camp store.Campaign, school store.School) ([]letters.ClassLetters, error) {
	classes, err := b.Store.Classes(ctx, school.ID)
	if err != nil {
		return nil, err
	}
	return b.ForClasses(ctx, now, camp, school, classes)
}

// AckURL is the address a letter's QR code and SMS link open.
func AckURL(baseURL, token string) string { return baseURL + "/a/" + token }
