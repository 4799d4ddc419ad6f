package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// ClassPrint is everything the letters of a class need, read in one
// transaction: who the letters go to, their codes, and what the letter
// says about the school, the class and the campaign.
type ClassPrint struct {
	School   School
	Class    Class    // with ActiveStudents
	Campaign Campaign // with schools and templates; zero when Students is empty
	Students []PrintStudent
	// Missing counts the students asked for who have no letter yet in the
	// campaign (IssuedClassPrint only; they are not in Students).
	Missing int
	// Meeting is the class meeting the class held in the campaign; HeldOn
	// is "" when none is recorded (the letters then leave {班会日期} out).
	Meeting ClassMeeting
	// Details are the school's details the letters print (phone, fees,
	// police station); zero when no one is printed.
	Details SchoolDetails
}

// PrintStudent is one letter to print: the student, with guardians in
// roster order, and their letter in the campaign.
type PrintStudent struct {
	Student Student
	Letter  Letter
	// ContentVersionID is the content version the letter prints: the
	// campaign's, or the one it was produced with before the campaign moved.
	ContentVersionID int64
}

// ClassPrint reads the letters to print for a class in one transaction,
// issuing the missing letters (a new code for a student who has none yet;
// a re-print prints the same code).
//
// campaignID 0 means the school takes part in no campaign yet (the caller
// chose none: campaign.Choose): the default campaign of the current term
// (DefaultCampaign) is created, the school enrolled. studentIDs nil means the class's
// active students; otherwise the students asked for, transferred or not,
// each of whom must be in the class (ErrNotFound otherwise). Students come
// by student number.
//
// With no one to print, Students is empty and nothing is created or
// issued: the campaign is not even looked up. A purged campaign takes no
// new letters: ErrAlreadyPurged (wrapped), nothing issued. A missing class
// or campaign is ErrNotFound.
func (s *Store) ClassPrint(ctx context.Context, campaignID, classID int64, studentIDs []int64) (ClassPrint, error) {
	var p ClassPrint
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = s.classPrint(ctx, tx, campaignID, classID, studentIDs, true)
		return err
	})
	if err != nil {
		return ClassPrint{}, fmt.Errorf("store: letters of class %d: %w", classID, err)
	}
	return p, nil
}

// IssuedClassPrint is ClassPrint for a re-print: it reads, in one read-only
// snapshot and without the write lock, the letters already issued to the
// students asked for in the campaign (0: none, so no letter), and issues
// nothing, creates no campaign. Students holds the students with a letter; Missing
// counts the others (all of them when the school has no campaign yet).
// Producing letters is an explicit act (ClassPrint), never the side effect
// of reading.
func (s *Store) IssuedClassPrint(ctx context.Context, campaignID, classID int64, studentIDs []int64) (ClassPrint, error) {
	var p ClassPrint
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = s.classPrint(ctx, tx, campaignID, classID, studentIDs, false)
		return err
	})
	if err != nil {
		return ClassPrint{}, fmt.Errorf("store: issued letters of class %d: %w", classID, err)
	}
	return p, nil
}

// classPrint reads a class's print in tx; issue issues the missing letters
// (and creates the school's default campaign when it has none), otherwise
// they are only counted in Missing.
func (s *Store) classPrint(ctx context.Context, tx *sql.Tx, campaignID, classID int64, studentIDs []int64, issue bool) (ClassPrint, error) {
	var p ClassPrint
	var err error
	if p.Class, err = scanClass(tx.QueryRowContext(ctx, s.Rebind(classSelect+` WHERE c.id = ?`), classID)); err != nil {
		return p, notFound(err, fmt.Sprintf("class %d", classID))
	}
	if p.School, err = scanSchool(tx.QueryRowContext(ctx, s.Rebind(`SELECT `+schoolCols+` FROM schools WHERE id = ?`), p.Class.SchoolID)); err != nil {
		return p, notFound(err, fmt.Sprintf("school %d", p.Class.SchoolID))
	}
	students, err := s.printStudents(ctx, tx, classID, studentIDs)
	if err != nil || len(students) == 0 {
		return p, err
	}
	switch {
	case campaignID == 0 && issue:
		if campaignID, err = s.defaultCampaign(ctx, tx, p.Class.SchoolID); err != nil {
			return p, fmt.Errorf("default campaign: %w", err)
		}
	case campaignID == 0: // no campaign yet: no letter either
		p.Missing = len(students)
		return p, nil
	}
	if p.Campaign, err = s.campaign(ctx, tx, campaignID); err != nil {
		return p, err
	}
	var purged int
	if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) FROM campaign_purges WHERE campaign_id = ?`), campaignID).Scan(&purged); err != nil {
		return p, fmt.Errorf("purge of campaign %d: %w", campaignID, err)
	}
	if purged > 0 {
		return p, fmt.Errorf("campaign %d: %w", campaignID, ErrAlreadyPurged)
	}
	if p.Meeting, _, err = s.classMeetingOf(ctx, tx, campaignID, classID); err != nil {
		return p, err
	}
	if p.Details, err = s.schoolDetails(ctx, tx, p.School.ID); err != nil {
		return p, err
	}
	ids := make([]int64, len(students))
	for i, st := range students {
		ids[i] = st.ID
	}
	found := make(map[int64]Letter, len(ids))
	if issue {
		err = s.issueLetters(ctx, tx, campaignID, ids, found)
	} else {
		err = s.loadLetters(ctx, tx, campaignID, ids, found)
	}
	if err != nil {
		return p, fmt.Errorf("letters of campaign %d: %w", campaignID, err)
	}
	own, err := s.movedLetterVersions(ctx, tx, campaignID, classID)
	if err != nil {
		return p, err
	}
	p.Students = make([]PrintStudent, 0, len(students))
	for _, st := range students {
		l, ok := found[st.ID]
		if !ok {
			p.Missing++
			continue
		}
		v := p.Campaign.ContentVersionID
		if o := own[st.ID]; o != 0 {
			v = o
		}
		p.Students = append(p.Students, PrintStudent{Student: st, Letter: l, ContentVersionID: v})
	}
	return p, nil
}

// printStudents reads the students to print: the class's active ones, or
// those of ids, all of whom must be in the class — never one whose family
// was erased (retention.go: nobody is left to write to; asked for by id,
// such a student is not found).
func (s *Store) printStudents(ctx context.Context, q queryer, classID int64, ids []int64) ([]Student, error) {
	if ids == nil {
		return s.studentsWhere(ctx, q, `st.class_id = ? AND st.active = TRUE AND st.erased_at IS NULL`, []any{classID})
	}
	want := map[int64]bool{}
	args := []any{classID}
	for _, id := range ids {
		if !want[id] {
			want[id] = true
			args = append(args, id)
		}
	}
	if len(want) == 0 {
		return nil, nil
	}
	var out []Student
	const per = maxBatchParams - 1
	for start := 1; start < len(args); start += per {
		chunk := args[start:min(start+per, len(args))]
		sts, err := s.studentsWhere(ctx, q, `st.class_id = ? AND st.erased_at IS NULL AND st.id IN `+placeholders(1, len(chunk)), append([]any{classID}, chunk...))
		if err != nil {
			return nil, err
		}
		out = append(out, sts...)
	}
	slices.SortFunc(out, func(a, b Student) int {
		return cmp.Or(strings.Compare(a.Number, b.Number), cmp.Compare(a.ID, b.ID))
	})
	if len(out) != len(want) {
		for _, st := range out {
			delete(want, st.ID)
		}
		for id := range want {
			return nil, fmt.Errorf("%w: student %d of class %d", ErrNotFound, id, classID)
		}
	}
	return out, nil
}
