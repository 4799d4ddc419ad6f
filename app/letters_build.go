package main

import (
	"context"
	"fmt"
	"time"

	"jiashu/letters"
	"jiashu/store"
)

// letterInputs issues the students' letters in the campaign (tokens are
// stable: a second call returns the same ones) and returns what the letters
// engine needs to print them, in the students' order.
func letterInputs(ctx context.Context, st *store.Store, cfg Config, now time.Time, camp store.Campaign, school store.School, cl store.Class, students []store.Student) ([]letters.Letter, error) {
	ids := make([]int64, len(students))
	for i, s := range students {
		ids[i] = s.ID
	}
	issued, err := st.IssueLetters(ctx, camp.ID, ids)
	if err != nil {
		return nil, fmt.Errorf("issue letters for %s: %w", cl.Name, err)
	}
	deadline := ackDeadline(camp.AckDeadline)
	date := now.In(chinaTime) // the date a school in China prints, not the server's UTC date
	ageGroup := string(cfg.AgeGroups.Of(cl.Grade))
	ls := make([]letters.Letter, len(students))
	for i, s := range students {
		ls[i] = letters.Letter{
			AgeGroup:    ageGroup,
			StudentName: s.Name,
			ClassName:   cl.Name,
			SchoolName:  school.Name,
			HeadTeacher: cl.HeadTeacher,
			Token:       store.FormatToken(issued[i].Token),
			URL:         ackURL(cfg.BaseURL, issued[i].Token),
			Date:        date,
			Deadline:    deadline,
			Ref:         s.Number,
		}
	}
	return ls, nil
}

// ackURL is the address a letter's QR code and SMS link open.
func ackURL(baseURL, token string) string { return baseURL + "/a/" + token }

// ackDeadline is a campaign's acknowledgement deadline (YYYY-MM-DD) as a
// day in China, or the zero time when the campaign has none.
func ackDeadline(day string) time.Time {
	d, err := time.ParseInLocation("2006-01-02", day, chinaTime)
	if err != nil {
		return time.Time{}
	}
	return d
}
