package store

import (
	"context"
	"testing"
)

// The parent page keeps a class's campaign, class and school part per
// instance (parent_reader.go). A change made through another instance must
// show on the very next view, on both databases.
func TestParentReaderShowsChangesMadeThroughAnotherInstance(t *testing.T) {
	t.Parallel()
	for _, b := range testBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := b.newDSN(t)
			here, other := openTest(t, dsn, 1), openTest(t, dsn, 2)
			f := ackSeed(t, here)
			r, err := here.NewParentReader(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			same := func(step string, check func(p ParentLetter) bool) {
				t.Helper()
				for _, tok := range f.tokens {
					got, err := r.ByToken(ctx, tok)
					if err != nil {
						t.Fatalf("%s: %v", step, err)
					}
					want, err := here.ParentLetterByToken(ctx, tok)
					if err != nil {
						t.Fatal(err)
					}
					if got != want {
						t.Errorf("%s: the page would show\n%+v\nthe database holds\n%+v", step, got, want)
					}
					if !check(got) {
						t.Errorf("%s: not shown: %+v", step, got)
					}
				}
			}
			same("first view", func(p ParentLetter) bool {
				return p.SchoolName == "实验小学" && p.QuizEnabled && p.SchoolPhone == ""
			})
			same("second view, from what is kept", func(p ParentLetter) bool { return p.AckDeadline == "2026-12-01" })

			if _, err := other.Acknowledge(ctx, Ack{LetterID: f.letters[1], Channel: ChannelQR, Relation: "父亲"}); err != nil {
				t.Fatal(err)
			}
			same("one letter acknowledged", func(p ParentLetter) bool { return p.Acknowledged() == (p.LetterID == f.letters[1]) })

			c, err := other.Campaign(ctx, f.campaignID)
			if err != nil {
				t.Fatal(err)
			}
			c.AckDeadline, c.QuizEnabled = "2026-12-20", false
			if _, err := other.UpdateCampaign(ctx, c); err != nil {
				t.Fatal(err)
			}
			same("campaign changed", func(p ParentLetter) bool { return p.AckDeadline == "2026-12-20" && !p.QuizEnabled })

			if err := other.SetSchoolDetails(ctx, SchoolDetails{SchoolID: f.schoolID, Phone: "023-67001234", PoliceStation: "龙溪派出所"}, f.userID); err != nil {
				t.Fatal(err)
			}
			same("school details saved", func(p ParentLetter) bool {
				return p.SchoolPhone == "023-67001234" && p.PoliceStation == "龙溪派出所"
			})

			if _, err := other.RecordClassMeeting(ctx, f.campaignID, f.classID, "2026-10-12", f.userID); err != nil {
				t.Fatal(err)
			}
			same("class meeting recorded", func(p ParentLetter) bool { return p.MeetingDay == "2026-10-12" })

			for _, q := range []string{`UPDATE classes SET head_teacher = '周老师' WHERE id = ?`, `UPDATE schools SET name = '实验二小' WHERE id = ?`} {
				id := f.classID
				if q[7] == 's' {
					id = f.schoolID
				}
				if _, err := other.DB().ExecContext(ctx, other.Rebind(q), id); err != nil {
					t.Fatal(err)
				}
			}
			same("teacher and school renamed", func(p ParentLetter) bool { return p.HeadTeacher == "周老师" && p.SchoolName == "实验二小" })
		})
	}
}
