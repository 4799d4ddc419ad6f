package store

import (
	"context"
	"testing"
)

// BenchmarkReachBySchool50k measures the district overview over 50,000
// students (benchRoster, split over 10 schools of 110 classes), every
// letter issued and every third acknowledged. SQLite always; PostgreSQL
// too when JIASHU_TEST_POSTGRES_DSN is set.
//
//	go test ./store -run '^$' -bench ReachBySchool50k -benchtime 10x
func BenchmarkReachBySchool50k(b *testing.B) {
	ctx := context.Background()
	classes := benchRoster()
	for _, be := range testBackends() {
		b.Run(be.name, func(b *testing.B) {
			s := openTest(b, be.newDSN(b), 1)
			camp, err := s.CreateCampaign(ctx, Campaign{Name: "基准活动"})
			if err != nil {
				b.Fatal(err)
			}
			const schools = 10
			per := len(classes) / schools
			for i := range schools {
				sc, _, err := s.EnsureSchool(ctx, "基准学校"+string(rune('A'+i)))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.ImportRoster(ctx, sc.ID, classes[i*per:(i+1)*per], ImportOptions{}); err != nil {
					b.Fatal(err)
				}
				if err := s.AddCampaignSchools(ctx, camp.ID, sc.ID); err != nil {
					b.Fatal(err)
				}
				cls, _ := s.Classes(ctx, sc.ID)
				var acks []Ack
				for _, cl := range cls {
					sts, _ := s.Students(ctx, cl.ID)
					ids := make([]int64, len(sts))
					for j, st := range sts {
						ids[j] = st.ID
					}
					ls, err := s.IssueLetters(ctx, camp.ID, ids)
					if err != nil {
						b.Fatal(err)
					}
					for j := 0; j < len(ls); j += 3 {
						acks = append(acks, Ack{LetterID: ls[j].ID, Channel: ChannelQR})
					}
				}
				if _, err := s.AcknowledgeBatch(ctx, acks); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("by-school", func(b *testing.B) {
				for range b.N {
					rows, total, err := s.ReachBySchool(ctx, camp.ID)
					if err != nil || len(rows) != schools || total.Students < 49_000 {
						b.Fatalf("%d rows, total %+v, %v", len(rows), total, err)
					}
				}
			})
			// The whole district view: schools and classes, grades with the
			// quiz answers, acknowledgements per day.
			b.Run("district-view", func(b *testing.B) {
				f := ReachFilter{CampaignID: camp.ID}
				for range b.N {
					_, classes, _, err := s.ReachDistrict(ctx, camp.ID)
					if err != nil || len(classes) == 0 {
						b.Fatalf("%d classes, %v", len(classes), err)
					}
					grades := GradesOf(classes)
					if err := s.AddQuiz(ctx, f, grades); err != nil {
						b.Fatal(err)
					}
					if days, err := s.AcksPerDay(ctx, f); err != nil || len(days) == 0 {
						b.Fatalf("%d days, %v", len(days), err)
					}
				}
			})
		})
	}
}
