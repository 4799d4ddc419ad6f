package store

import (
	"context"
	"testing"
	"time"
)

func TestReachBreakdowns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Store) {
		a, b := mustSchool(t, s, "阳光小学"), mustSchool(t, s, "明德中学")
		mustImport(t, s, a.ID, ImportOptions{}, genClass(3, 1, 1, 4), genClass(3, 2, 100, 2), genClass(5, 1, 200, 3))
		mustImport(t, s, b.ID, ImportOptions{}, genClass(8, 1, 300, 5))
		camp, err := s.CreateCampaign(ctx, Campaign{Name: "秋季反诈", SchoolIDs: []int64{a.ID, b.ID}, QuizEnabled: true})
		if err != nil {
			t.Fatal(err)
		}
		letterOf := map[string]Letter{}
		for _, sc := range []School{a, b} {
			classes, _ := s.Classes(ctx, sc.ID)
			for _, cl := range classes {
				sts, _ := s.Students(ctx, cl.ID)
				var ids []int64
				for _, st := range sts {
					if st.Number != "S000101" { // one student of 3年级2班 gets no letter
						ids = append(ids, st.ID)
					}
				}
				ls, err := s.IssueLetters(ctx, camp.ID, ids)
				if err != nil {
					t.Fatal(err)
				}
				for i, l := range ls {
					for _, st := range sts {
						if st.ID == ids[i] {
							letterOf[st.Number] = l
						}
					}
				}
			}
		}
		// 2026-11-01 23:30 UTC is 11-02 in China: days are China's.
		day1 := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
		day2 := time.Date(2026, 11, 1, 23, 30, 0, 0, time.UTC)
		acks := []struct {
			num     string
			at      time.Time
			answers string
			score   int
		}{
			{"S000001", day1, "BCA", 3}, {"S000002", day1, "BCB", 2}, {"S000003", day2, "", 0},
			{"S000200", day2, "AAA", 1},
			{"S000300", day2, "", 0}, {"S000301", day2.Add(24 * time.Hour), "", 0},
		}
		for _, k := range acks {
			if _, err := s.Acknowledge(ctx, Ack{LetterID: letterOf[k.num].ID, Channel: ChannelQR, At: k.at}); err != nil {
				t.Fatal(err)
			}
			if k.answers != "" {
				if _, err := s.SaveQuiz(ctx, letterOf[k.num].ID, k.answers, k.score); err != nil {
					t.Fatal(err)
				}
			}
		}

		t.Run("grades of the district sum students, letters, acknowledgements and quiz answers", func(t *testing.T) {
			rows, err := s.ReachByGrade(ctx, ReachFilter{CampaignID: camp.ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 3 || rows[0].Grade != 3 || rows[1].Grade != 5 || rows[2].Grade != 8 {
				t.Fatalf("grades %+v", rows)
			}
			g3 := rows[0]
			if g3.Students != 6 || g3.Produced != 5 || g3.Acknowledged != 3 || g3.QuizAnswered != 2 || g3.QuizScoreSum != 5 {
				t.Errorf("grade 3 %+v", g3)
			}
			if g3.Answers["BCA"] != 1 || g3.Answers["BCB"] != 1 || len(g3.Answers) != 2 {
				t.Errorf("grade 3 answers %v", g3.Answers)
			}
			if g8 := rows[2]; g8.Students != 5 || g8.Acknowledged != 2 || g8.QuizAnswered != 0 {
				t.Errorf("grade 8 %+v", g8)
			}
		})
		t.Run("a school's grades leave out other schools", func(t *testing.T) {
			rows, err := s.ReachByGrade(ctx, ReachFilter{CampaignID: camp.ID, SchoolID: b.ID})
			if err != nil || len(rows) != 1 || rows[0].Grade != 8 {
				t.Fatalf("%+v %v", rows, err)
			}
		})
		t.Run("acknowledgements are counted per day in China time", func(t *testing.T) {
			days, err := s.AcksPerDay(ctx, ReachFilter{CampaignID: camp.ID})
			if err != nil {
				t.Fatal(err)
			}
			want := []DayCount{{"2026-11-01", 2}, {"2026-11-02", 3}, {"2026-11-03", 1}}
			if len(days) != len(want) {
				t.Fatalf("days %v", days)
			}
			for i := range want {
				if days[i] != want[i] {
					t.Errorf("day %d: %v, want %v", i, days[i], want[i])
				}
			}
			days, err = s.AcksPerDay(ctx, ReachFilter{CampaignID: camp.ID, SchoolID: b.ID})
			if err != nil || len(days) != 2 || days[0].Count != 1 {
				t.Errorf("school B days %v %v", days, err)
			}
		})
		t.Run("a class's non-responders are the students not acknowledged, with their guardians", func(t *testing.T) {
			classes, _ := s.Classes(ctx, a.ID)
			var c32 Class
			for _, cl := range classes {
				if cl.Grade == 3 && cl.Number == 2 {
					c32 = cl
				}
			}
			list, err := s.NonResponders(ctx, camp.ID, c32.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 2 || list[0].Number != "S000100" || !list[0].HasLetter || list[1].HasLetter {
				t.Fatalf("non-responders %+v", list)
			}
			if g := list[1].Guardians; len(g) != 1 || g[0].Mobile != "13900000101" || g[0].Relation != "母亲" {
				t.Errorf("guardians %+v", g)
			}
			c31 := classes[0]
			if c31.Grade != 3 || c31.Number != 1 {
				t.Fatalf("first class %+v", c31)
			}
			if list, _ := s.NonResponders(ctx, camp.ID, c31.ID); len(list) != 1 || list[0].Number != "S000004" {
				t.Errorf("3年级1班 %+v", list)
			}
		})
		t.Run("after a purge the grades keep their figures and quiz counts, and the days are gone with the letters", func(t *testing.T) {
			if _, err := s.PurgeCampaign(ctx, PurgeOptions{CampaignID: camp.ID, Force: true}); err != nil {
				t.Fatal(err)
			}
			rows, err := s.ReachByGrade(ctx, ReachFilter{CampaignID: camp.ID})
			if err != nil || len(rows) != 3 {
				t.Fatalf("%+v %v", rows, err)
			}
			if g3 := rows[0]; g3.Students != 6 || g3.Acknowledged != 3 || g3.QuizAnswered != 2 || g3.QuizScoreSum != 5 || len(g3.Answers) != 0 {
				t.Errorf("grade 3 after the purge %+v", g3)
			}
			if days, err := s.AcksPerDay(ctx, ReachFilter{CampaignID: camp.ID}); err != nil || len(days) != 0 {
				t.Errorf("days after the purge %v %v", days, err)
			}
		})
	})
}
