package campaign

import (
	"context"
	"slices"
	"time"

	"jiashu/app/content"
	"jiashu/grade"
	"jiashu/letters"
	"jiashu/store"
)

// Letters builds what the letters engine prints from the store: each
// student's letter in a campaign, with its code issued on first use (a
// re-print prints the same code).
type Letters struct {
	Store     *store.Store
	AgeGroups grade.Mapping
	BaseURL   string // the public address the QR codes and links open
	// Content gives each letter the template of its content version (the
	// campaign's pinned one, or the one it was produced with); nil prints
	// the embedded library (tests).
	Content *content.Engines
}

// Class reads what to print for a class in one store read
// (store.ClassPrint: campaignID 0 is the school's current campaign,
// studentIDs nil its active students) and returns it with the letters.
// now is the date printed on them. A purged campaign is
// store.ErrAlreadyPurged; a class without students gives no letters.
func (b Letters) Class(ctx context.Context, now time.Time, campaignID, classID int64, studentIDs []int64) (store.ClassPrint, []letters.Letter, error) {
	p, err := b.Store.ClassPrint(ctx, campaignID, classID, studentIDs)
	if err != nil {
		return p, nil, err
	}
	ls, err := b.Print(ctx, now, p)
	return p, ls, err
}

// Reprint is Class for letters already issued: nothing is issued or
// created (store.IssuedClassPrint); the students without a letter yet are
// counted in the print's Missing and get none.
func (b Letters) Reprint(ctx context.Context, now time.Time, campaignID, classID int64, studentIDs []int64) (store.ClassPrint, []letters.Letter, error) {
	p, err := b.Store.IssuedClassPrint(ctx, campaignID, classID, studentIDs)
	if err != nil || len(p.Students) == 0 {
		return p, nil, err
	}
	ls, err := b.Print(ctx, now, p)
	return p, ls, err
}

// Print composes the letters of a class's print read, with the templates
// of their content versions and the school's details filled in; nil when
// there is no one to print.
func (b Letters) Print(ctx context.Context, now time.Time, p store.ClassPrint) ([]letters.Letter, error) {
	if len(p.Students) == 0 {
		return nil, nil
	}
	ls := b.Compose(now, p)
	if err := b.pinTemplates(ctx, p, ls); err != nil {
		return nil, err
	}
	return ls, nil
}

// pinTemplates fills in the school's details and sets each letter's
// template from its approved content version; a template needing a detail
// the school has not filled in is a problem.Conflict
// (content.MissingDetailsProblem).
func (b Letters) pinTemplates(ctx context.Context, p store.ClassPrint, ls []letters.Letter) error {
	details := p.Details
	for i := range ls {
		content.Fill(&ls[i], details)
	}
	if b.Content == nil {
		return nil
	}
	var missing []string
	for i, ps := range p.Students {
		lib, err := b.Content.Library(ctx, ps.ContentVersionID)
		if err != nil {
			return err
		}
		t, err := lib.Template(ls[i].AgeGroup)
		if err != nil {
			return err
		}
		ls[i].Template = t
		for _, m := range content.MissingDetails(t, details) {
			if !slices.Contains(missing, m) {
				missing = append(missing, m)
			}
		}
	}
	if len(missing) > 0 {
		return content.MissingDetailsProblem(p.School.Name, missing)
	}
	return nil
}

// Compose turns a class's print read into the letters, in its order. A
// letter whose student's first guardian is a grandparent is set in large
// print (letters.LargePrintFor): many children are raised by them.
func (b Letters) Compose(now time.Time, p store.ClassPrint) []letters.Letter {
	deadline := AckDeadline(p.Campaign.AckDeadline)
	date := now.In(ChinaTime) // the date a school in China prints, not the server's UTC date
	ageGroup := string(b.AgeGroups.Of(p.Class.Grade))
	meeting := ChinaDay(p.Meeting.HeldOn) // the class meeting's day in China, zero when none
	ls := make([]letters.Letter, len(p.Students))
	for i, ps := range p.Students {
		ls[i] = letters.Letter{
			AgeGroup:    ageGroup,
			StudentName: ps.Student.Name,
			ClassName:   p.Class.Name,
			SchoolName:  p.School.Name,
			HeadTeacher: p.Class.HeadTeacher,
			Token:       store.FormatToken(ps.Letter.Token),
			URL:         AckURL(b.BaseURL, ps.Letter.Token),
			Date:        date,
			Deadline:    deadline,
			Ref:         ps.Student.Number,
			LargePrint:  LargePrint(ps.Student),
			MeetingDate: meeting,
			Opening:     p.Campaign.Opening,
		}
	}
	return ls
}

// LargePrint says whether st's letter is set in large print by default:
// their first guardian in the roster is a grandparent.
func LargePrint(st store.Student) bool {
	return len(st.Guardians) > 0 && letters.LargePrintFor(st.Guardians[0].Relation)
}

// ForClasses issues the letters of every active student of the classes in
// the campaign and returns them per class; classes without students are
// left out.
func (b Letters) ForClasses(ctx context.Context, now time.Time, campaignID int64, classes []store.Class) ([]letters.ClassLetters, error) {
	var batch []letters.ClassLetters
	for _, cl := range classes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		_, ls, err := b.Class(ctx, now, campaignID, cl.ID, nil)
		if err != nil {
			return nil, err
		}
		if len(ls) > 0 {
			batch = append(batch, letters.ClassLetters{ClassName: cl.Name, Letters: ls})
		}
	}
	return batch, nil
}

// ForSchool is ForClasses for every class of the school.
func (b Letters) ForSchool(ctx context.Context, now time.Time, campaignID int64, school store.School) ([]letters.ClassLetters, error) {
	classes, err := b.Store.Classes(ctx, school.ID)
	if err != nil {
		return nil, err
	}
	return b.ForClasses(ctx, now, campaignID, classes)
}

// AckURL is the address a letter's QR code and SMS link open.
func AckURL(baseURL, token string) string { return baseURL + "/a/" + token }

// Clip shortens s to max characters, ending in "…" when cut: a name pasted
// with a whole note in it stays readable in a list.
func Clip(s string, max int) string {
	rs := []rune(s)
	if len(rs) <= max {
		return s
	}
	return string(rs[:max]) + "…"
}

// Gaps lists the details school's letters in campaign camp use and the
// school has not filled in (content.DetailGaps, with the campaign's
// content version): what `app letters` and the letters jobs name in their
// summary. None without content engines (tests).
func (b Letters) Gaps(ctx context.Context, camp store.Campaign, school store.School) ([]content.DetailGap, error) {
	if b.Content == nil {
		return nil, nil
	}
	return SchoolGaps(ctx, b.Store, b.Content, camp.ID, school.ID)
}

// SchoolGaps lists the details the letters of campaign campaignID use and
// school schoolID lacks.
func SchoolGaps(ctx context.Context, st *store.Store, eng *content.Engines, campaignID, schoolID int64) ([]content.DetailGap, error) {
	camp, err := st.Campaign(ctx, campaignID) // with its content version
	if err != nil {
		return nil, err
	}
	d, err := st.SchoolDetails(ctx, schoolID)
	if err != nil {
		return nil, err
	}
	return eng.Gaps(ctx, camp.ContentVersionID, d)
}
