package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestIssueLetters(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		sc := mustSchool(t, s, "书信小学")
		res := mustImport(t, s, sc.ID, ImportOptions{}, genClass(2, 1, 0, 30))
		sts, err := s.Students(ctx, res.Classes[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, st := range sts {
			ids = append(ids, st.ID)
		}
		camp, err := s.DefaultCampaign(ctx, sc.ID)
		if err != nil {
			t.Fatal(err)
		}
		first, err := s.IssueLetters(ctx, camp.ID, ids[:20])
		if err != nil {
			t.Fatal(err)
		}
		t.Run("each student gets one new letter with a unique token", func(t *testing.T) {
			seen := map[string]bool{}
			for i, l := range first {
				if l.StudentID != ids[i] || l.Status != StatusProduced || !l.ProducedAt.Equal(testNow) {
					t.Errorf("letter %d = %+v", i, l)
				}
				if _, ok := NormalizeToken(l.Token); !ok || seen[l.Token] {
					t.Errorf("token %q invalid or repeated", l.Token)
				}
				seen[l.Token] = true
			}
		})
		t.Run("issuing again keeps every token and adds the missing letters", func(t *testing.T) {
			all, err := s.IssueLetters(ctx, camp.ID, ids)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != len(ids) {
				t.Fatalf("%d letters for %d students", len(all), len(ids))
			}
			for i, l := range first {
				if all[i].Token != l.Token || all[i].ID != l.ID {
					t.Errorf("student %d: token %s became %s", ids[i], l.Token, all[i].Token)
				}
			}
			listed, err := s.CampaignLetters(ctx, camp.ID, res.Classes[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(listed) != len(ids) {
				t.Errorf("class lists %d letters, want %d", len(listed), len(ids))
			}
		})
		t.Run("another campaign gives the same student another token", func(t *testing.T) {
			other, err := s.CreateCampaign(ctx, Campaign{Name: "寒假专项", SchoolIDs: []int64{sc.ID}})
			if err != nil {
				t.Fatal(err)
			}
			ls, err := s.IssueLetters(ctx, other.ID, ids[:1])
			if err != nil {
				t.Fatal(err)
			}
			if ls[0].Token == first[0].Token {
				t.Error("two campaigns share a token")
			}
		})
		t.Run("the token finds the letter with what the parent page shows", func(t *testing.T) {
			v, err := s.LetterByToken(ctx, first[3].Token)
			if err != nil {
				t.Fatal(err)
			}
			if v.Student.ID != ids[3] || v.Class.Name != "2年级1班" || v.School.Name != "书信小学" || v.Campaign.ID != camp.ID {
				t.Errorf("letter view = %+v", v)
			}
			if _, err := s.LetterByToken(ctx, "23456789ABCD"); !errors.Is(err, ErrNotFound) {
				t.Errorf("unknown token: %v, want not found", err)
			}
		})
	})
}

func TestCampaigns(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a, b := mustSchool(t, s, "甲校"), mustSchool(t, s, "乙校")
		t.Run("a school without a campaign gets the term's default campaign", func(t *testing.T) {
			c, err := s.DefaultCampaign(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if c.Name != "2026年秋季反诈家书" || fmt.Sprint(c.SchoolIDs) != fmt.Sprint([]int64{a.ID}) {
				t.Errorf("default campaign = %+v", c)
			}
			again, err := s.DefaultCampaign(ctx, a.ID)
			if err != nil || again.ID != c.ID {
				t.Errorf("second call gave %+v, %v; want the same campaign", again, err)
			}
			other, err := s.DefaultCampaign(ctx, b.ID)
			if err != nil || other.ID != c.ID || len(other.SchoolIDs) != 2 {
				t.Errorf("another school joins the same default campaign: %+v, %v", other, err)
			}
		})
		t.Run("a campaign is created with its deadline, quiz and templates", func(t *testing.T) {
			c, err := s.CreateCampaign(ctx, Campaign{Name: "期末专项", Term: "2026年秋季学期", AckDeadline: "2026-12-31", QuizEnabled: true,
				SchoolIDs: []int64{a.ID}, Templates: map[string]string{"primary_lower": "v2"}})
			if err != nil {
				t.Fatal(err)
			}
			if c.AckDeadline != "2026-12-31" || !c.QuizEnabled || c.Templates["primary_lower"] != "v2" {
				t.Errorf("created campaign = %+v", c)
			}
			byName, err := s.CampaignByName(ctx, "期末专项")
			if err != nil || byName.ID != c.ID {
				t.Errorf("CampaignByName = %+v, %v", byName, err)
			}
			if _, err := s.CreateCampaign(ctx, Campaign{Name: "期末专项"}); err == nil {
				t.Error("a second campaign with the same name was created")
			}
		})
	})
}

func TestDefaultCampaignName(t *testing.T) {
	t.Parallel()
	cases := []struct {
		month time.Month
		want  string
	}{
		{time.September, "2026年秋季反诈家书"},
		{time.January, "2025年秋季反诈家书"},
		{time.March, "2026年春季反诈家书"},
		{time.August, "2026年秋季反诈家书"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s is %s", tc.month, tc.want), func(t *testing.T) {
			if got, _ := DefaultCampaignName(time.Date(2026, tc.month, 10, 0, 0, 0, 0, time.UTC)); got != tc.want {
				t.Errorf("got %s", got)
			}
		})
	}
}
