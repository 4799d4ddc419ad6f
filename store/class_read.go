package store

import (
	"context"
	"database/sql"
	"fmt"
)

// ClassRead is what the pages of a class show, read in one transaction:
// the class, its school, the campaign chosen among the school's, and the
// parts ClassQuery asks for. app/campaign summarises it (campaign.Class).
type ClassRead struct {
	School    School
	Class     Class      // with ActiveStudents
	Campaigns []Campaign // the school's, newest first; drafts left out
	Campaign  Campaign   // the one chosen; zero when the school has none
	Today     string     // the day the read was made, in China (Campaign.Phase)
	// Progress is the class's progress in each of Campaigns (its tabs, and
	// the campaigns whose letters it holds).
	Progress CampaignProgress
	// Students: the class's active students with their guardians, and
	// their letters in Campaign (transferred students' letters included).
	Students []Student
	Letters  []Letter
	// Kept is the class's figures a purge of Campaign kept; nil when it
	// was not purged.
	Kept *ClassFigures
	// Meeting is the class meeting held in Campaign (HeldOn "" for none).
	Meeting ClassMeeting
	// Slips: the active students with their letter in Campaign, and the
	// guardians still to remind.
	Slips   []SlipRow
	Pending int
	// Print is the letters to print (ClassQuery.Print).
	Print ClassPrint
}

// ClassQuery says which class to read and what of it.
type ClassQuery struct {
	ClassID int64
	// Choose picks the campaign to read among the school's campaigns
	// (newest first) on the day today, knowing the class's progress in
	// each: ok is false when there is none to show; an error refuses the
	// read (a campaign asked for that is not the school's). The rule is the
	// app's (campaign.Choose).
	Choose   func(list []Campaign, progress CampaignProgress, today string) (c Campaign, ok bool, err error)
	Students bool
	Slips    bool
	Print    *PrintQuery
}

// PrintQuery asks a class read for the letters to print (ClassPrint):
// StudentIDs nil for the class's active students; Issue issues the
// missing letters (and makes the school's default campaign when it has
// none), in a write transaction; otherwise they are counted in Missing.
type PrintQuery struct {
	StudentIDs []int64
	Issue      bool
}

// ReadClass reads q's class in one transaction (a write transaction only
// when it issues letters). A missing class is ErrNotFound.
func (s *Store) ReadClass(ctx context.Context, q ClassQuery) (ClassRead, error) {
	var r ClassRead
	read := func(tx *sql.Tx) error {
		var err error
		r, err = s.readClass(ctx, tx, q)
		return err
	}
	var err error
	if q.Print != nil && q.Print.Issue {
		err = s.Tx(ctx, read)
	} else {
		err = s.readTx(ctx, read)
	}
	if err != nil {
		return ClassRead{}, fmt.Errorf("store: class %d: %w", q.ClassID, err)
	}
	return r, nil
}

func (s *Store) readClass(ctx context.Context, tx *sql.Tx, q ClassQuery) (ClassRead, error) {
	r := ClassRead{Today: s.today()}
	var err error
	if r.Class, err = scanClass(tx.QueryRowContext(ctx, s.Rebind(classSelect+` WHERE c.id = ?`), q.ClassID)); err != nil {
		return r, notFound(err, fmt.Sprintf("class %d", q.ClassID))
	}
	if r.School, err = scanSchool(tx.QueryRowContext(ctx, s.Rebind(`SELECT `+schoolCols+` FROM schools WHERE id = ?`), r.Class.SchoolID)); err != nil {
		return r, notFound(err, fmt.Sprintf("school %d", r.Class.SchoolID))
	}
	if r.Campaigns, err = s.schoolCampaigns(ctx, tx, r.School.ID); err != nil {
		return r, err
	}
	if r.Progress, err = s.campaignProgress(ctx, tx, `st.class_id = ?`, q.ClassID); err != nil {
		return r, err
	}
	if q.Choose != nil {
		c, ok, err := q.Choose(r.Campaigns, r.Progress, r.Today)
		if err != nil {
			return r, err
		}
		if ok {
			r.Campaign = c
		}
	}
	if err := s.readClassParts(ctx, tx, q, &r); err != nil {
		return r, err
	}
	if q.Print != nil {
		r.Print, err = s.classPrint(ctx, tx, r.Campaign.ID, q.ClassID, q.Print.StudentIDs, q.Print.Issue)
	}
	return r, err
}

// readClassParts reads the parts of the class in its campaign that q asks
// for.
func (s *Store) readClassParts(ctx context.Context, tx *sql.Tx, q ClassQuery, r *ClassRead) error {
	var err error
	if q.Students {
		if r.Students, err = s.studentsWhere(ctx, tx, `st.class_id = ? AND st.active = TRUE`, []any{q.ClassID}); err != nil {
			return err
		}
	}
	camp := r.Campaign.ID
	if camp == 0 {
		return nil
	}
	if r.Meeting, _, err = s.classMeetingOf(ctx, tx, camp, q.ClassID); err != nil {
		return err
	}
	if q.Students && r.Campaign.Purged {
		figs, _, err := s.purgedFigures(ctx, tx, camp, r.School.ID)
		if err != nil {
			return err
		}
		r.Kept = &ClassFigures{} // a class made after the purge had no letters
		for i := range figs {
			if figs[i].ClassID == q.ClassID {
				r.Kept = &figs[i]
			}
		}
	}
	if q.Students {
		if r.Letters, err = s.campaignLetters(ctx, tx, camp, q.ClassID); err != nil {
			return err
		}
	}
	if q.Slips {
		if r.Slips, err = s.classSlips(ctx, tx, camp, q.ClassID); err != nil {
			return err
		}
		pending, err := s.pendingReminders(ctx, tx, ReminderScope{CampaignID: camp, ClassID: q.ClassID})
		if err != nil {
			return err
		}
		r.Pending = len(pending)
	}
	return nil
}
