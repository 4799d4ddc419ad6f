package store

import (
	"context"
	"testing"
	"time"
)

// TestCampaignYearAndLapsedFamilies: figures per campaign over the year,
// and the families who acknowledged an earlier campaign but not the
// current one.
func TestCampaignYearAndLapsedFamilies(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := ackSeed(t, s)
		first := f.campaignID
		second, err := s.CreateCampaign(ctx, Campaign{Name: "寒假前", SchoolIDs: []int64{f.schoolID}})
		if err != nil {
			t.Fatal(err)
		}
		students := f.students
		old, err := s.IssueLetters(ctx, first, students)
		if err != nil {
			t.Fatal(err)
		}
		now, err := s.IssueLetters(ctx, second.ID, students[:2]) // family 2 has no letter in the second yet
		if err != nil {
			t.Fatal(err)
		}
		// Families 0, 1 and 2 acknowledged the first campaign; only 0 the second.
		for _, id := range []int64{old[0].ID, old[1].ID, old[2].ID, now[0].ID} {
			if _, err := s.Acknowledge(ctx, Ack{LetterID: id, Channel: ChannelQR}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SaveQuiz(ctx, old[0].ID, "AAA", 2); err != nil {
			t.Fatal(err)
		}
		year, err := s.CampaignYear(ctx, 0, testNow.Add(-24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(year) != 2 || year[0].CampaignID != first || year[1].CampaignID != second.ID {
			t.Fatalf("campaigns %+v", year)
		}
		if y := year[0]; y.Acknowledged != 3 || y.QuizAnswered != 1 || y.QuizScoreSum != 2 || y.Students != len(students) {
			t.Errorf("first %+v", y)
		}
		if y := year[1]; y.Acknowledged != 1 || y.QuizAnswered != 0 {
			t.Errorf("second %+v", y)
		}
		list, total, noLetter, err := s.LapsedFamilies(ctx, second.ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		// Only a family with a letter in this campaign can be reminded: the
		// one without is counted, not listed.
		if total != 1 || len(list) != 1 || list[0].StudentID != students[1] || list[0].EarlierCampaign == "" || noLetter != 1 {
			t.Fatalf("lapsed %d %+v, %d without a letter", total, list, noLetter)
		}
		if students, letters, err := s.LetterCounts(ctx, ReminderScope{CampaignID: second.ID}); err != nil || students != 3 || letters != 2 {
			t.Errorf("letter counts %d %d %v", students, letters, err)
		}
		if _, total, _, _ := s.LapsedFamilies(ctx, first, 0, 10); total != 0 {
			t.Errorf("the first campaign has no earlier one, yet %d lapsed", total)
		}
	})
}
