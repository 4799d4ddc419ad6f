package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// purgeFixture is two schools, a finished campaign (deadline before
// testNow) and a running one over the same students, with acknowledgements
// on every channel, quiz answers, reminders, a letters job with its ZIP and
// an expired upload.
type purgeFixture struct {
	done, running Campaign
	doneLetters   []Letter
	otherLetters  []Letter
	job           Job
	schoolA       School
}

func newPurgeFixture(t *testing.T, s *Store) purgeFixture {
	t.Helper()
	ctx := context.Background()
	var f purgeFixture
	a, b := mustSchool(t, s, "阳光小学"), mustSchool(t, s, "明德中学")
	f.schoolA = a
	mustImport(t, s, a.ID, ImportOptions{}, genClass(3, 1, 1, 6), genClass(3, 2, 100, 5))
	mustImport(t, s, b.ID, ImportOptions{}, genClass(7, 1, 200, 4))
	var err error
	if f.done, err = s.CreateCampaign(ctx, Campaign{Name: "春季反诈", AckDeadline: "2026-08-31", QuizEnabled: true, SchoolIDs: []int64{a.ID, b.ID}}); err != nil {
		t.Fatal(err)
	}
	if f.running, err = s.CreateCampaign(ctx, Campaign{Name: "秋季反诈", AckDeadline: "2026-09-30", SchoolIDs: []int64{a.ID, b.ID}}); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, sc := range []School{a, b} {
		classes, _ := s.Classes(ctx, sc.ID)
		for _, c := range classes {
			sts, _ := s.Students(ctx, c.ID)
			for _, st := range sts {
				ids = append(ids, st.ID)
			}
		}
	}
	if f.doneLetters, err = s.IssueLetters(ctx, f.done.ID, ids); err != nil {
		t.Fatal(err)
	}
	if f.otherLetters, err = s.IssueLetters(ctx, f.running.ID, ids); err != nil {
		t.Fatal(err)
	}
	for i, ch := range []string{ChannelQR, ChannelQR, ChannelSMS, ChannelTyped, ChannelPaper, "", ChannelQR, "", "", "", "", ChannelSMS} {
		if ch == "" {
			continue
		}
		rel := "母亲"
		if ch == ChannelPaper {
			rel = ""
		}
		if _, err := s.Acknowledge(ctx, Ack{LetterID: f.doneLetters[i].ID, Channel: ch, Relation: rel}); err != nil {
			t.Fatal(err)
		}
	}
	for i, score := range []int{3, 2, 1} {
		if _, err := s.SaveQuiz(ctx, f.doneLetters[i].ID, "ABC", score); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordOpens(ctx, []LetterOpen{{LetterID: f.doneLetters[7].ID, First: testNow, Last: testNow}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Acknowledge(ctx, Ack{LetterID: f.otherLetters[0].ID, Channel: ChannelQR, Relation: "父亲"}); err != nil {
		t.Fatal(err)
	}
	// Reminders to the guardians of two families of each campaign.
	for _, l := range []Letter{f.doneLetters[8], f.doneLetters[9], f.otherLetters[8], f.otherLetters[9]} {
		st, err := s.Student(ctx, l.StudentID)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RecordReminder(ctx, Reminder{CampaignID: l.CampaignID, GuardianID: st.Guardians[0].ID, LetterID: l.ID, Sent: l.ID != f.doneLetters[9].ID, Attempts: 1}); err != nil {
			t.Fatal(err)
		}
	}
	f.job = finishedJob(t, s, a.ID, f.done.ID)
	finishedJob(t, s, a.ID, f.running.ID)
	u, err := s.CreateUser(ctx, User{Username: "teacher1", Role: RoleTeacher, SchoolID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveUpload(ctx, Upload{UserID: u.ID, SchoolID: a.ID, Filename: "三年级1班.xlsx", Data: []byte("名单")}, -time.Hour); err != nil {
		t.Fatal(err)
	}
	return f
}

// finishedJob makes a done letters job of the school and campaign with a ZIP.
func finishedJob(t *testing.T, s *Store, schoolID, campaignID int64) Job {
	t.Helper()
	return doneJob(t, s, Job{Kind: JobSchoolLetters, SchoolID: schoolID, CampaignID: campaignID}, "阳光小学.zip", "PK zip with names")
}

// doneJob queues j, claims it (the first queued job) and finishes it with
// a result of the given name and content.
func doneJob(t *testing.T, s *Store, j Job, name, content string) Job {
	t.Helper()
	ctx := context.Background()
	j, err := s.CreateJob(ctx, j)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ClaimJob(ctx, "i1", time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendJobResult(ctx, j.ID, "i1", 0, []byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishJob(ctx, j.ID, "i1", name, int64(len(content))); err != nil {
		t.Fatal(err)
	}
	return j
}

func countRows(t *testing.T, s *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRowContext(context.Background(), s.Rebind(q), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// reachByClass is the overview's rows of every school, in a stable order.
func reachByClass(t *testing.T, s *Store, campaignID int64) map[int64]Reach {
	t.Helper()
	rows, err := s.reachRows(context.Background(), campaignID, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]Reach{}
	for _, r := range rows {
		out[r.ClassID] = r
	}
	return out
}

func TestPurgeCampaign(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Store) {
		f := newPurgeFixture(t, s)
		before := reachByClass(t, s, f.done.ID)
		otherBefore := reachByClass(t, s, f.running.ID)
		tables := func() string {
			var counts []int
			for _, table := range []string{"letters", "reminders", "jobs", "job_chunks", "uploads", "campaign_class_figures",
				"campaign_purges", "students", "guardians", "audit_log"} {
				counts = append(counts, countRows(t, s, `SELECT COUNT(*) FROM `+table))
			}
			return fmt.Sprint(counts)
		}

		t.Run("a dry run counts what would go and changes nothing", func(t *testing.T) {
			was := tables()
			res, err := s.PurgeCampaign(ctx, PurgeOptions{CampaignID: f.done.ID, DryRun: true})
			if err != nil {
				t.Fatal(err)
			}
			want := PurgeCounts{Letters: 15, Acknowledged: 7, Relations: 6, QuizAnswers: 3, Reminders: 2, Jobs: 1, JobBytes: 17, Uploads: 1, ClassFigures: 3}
			if res.Counts != want || !res.DeadlinePassed || !res.DryRun {
				t.Fatalf("dry run %+v, want %+v", res, want)
			}
			if now := tables(); now != was {
				t.Fatalf("dry run changed rows: %s → %s", was, now)
			}
			if _, err := s.ParentLetterByToken(ctx, f.doneLetters[0].Token); err != nil {
				t.Fatalf("letter gone after a dry run: %v", err)
			}
		})
		t.Run("a campaign before its deadline is refused unless forced", func(t *testing.T) {
			was := tables()
			_, err := s.PurgeCampaign(ctx, PurgeOptions{CampaignID: f.running.ID})
			if !errors.Is(err, ErrPurgeDeadline) {
				t.Fatalf("err %v, want the deadline refusal", err)
			}
			nodl, err := s.CreateCampaign(ctx, Campaign{Name: "无截止", SchoolIDs: []int64{f.schoolA.ID}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.PurgeCampaign(ctx, PurgeOptions{CampaignID: nodl.ID}); !errors.Is(err, ErrPurgeDeadline) {
				t.Fatalf("campaign without a deadline: err %v, want the deadline refusal", err)
			}
			if now := tables(); now != was {
				t.Fatalf("refusal changed rows: %s → %s", was, now)
			}
			if _, err := s.PurgeCampaign(ctx, PurgeOptions{CampaignID: nodl.ID, Force: true}); err != nil {
				t.Fatalf("forced purge: %v", err)
			}
		})
		t.Run("a campaign with a queued job is refused", func(t *testing.T) {
			j, err := s.CreateJob(ctx, Job{Kind: JobCampaignLetters, CampaignID: f.done.ID})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.PurgeCampaign(ctx, PurgeOptions{CampaignID: f.done.ID}); !errors.Is(err, ErrPurgeJobsPending) {
				t.Fatalf("err %v, want the pending jobs refusal", err)
			}
			if _, err := s.DB().ExecContext(ctx, s.Rebind(`DELETE FROM jobs WHERE id = ?`), j.ID); err != nil {
				t.Fatal(err)
			}
		})

		res, err := s.PurgeCampaign(ctx, PurgeOptions{CampaignID: f.done.ID})
		if err != nil {
			t.Fatal(err)
		}
		if res.Counts.Letters != 15 || res.Counts.Reminders != 2 || res.Counts.Jobs != 1 {
			t.Fatalf("purge counts %+v", res.Counts)
		}

		t.Run("the campaign's codes no longer open a letter", func(t *testing.T) {
			for _, l := range f.doneLetters {
				if _, err := s.ParentLetterByToken(ctx, l.Token); !errors.Is(err, ErrNotFound) {
					t.Fatalf("token %s: err %v, want not found", l.Token, err)
				}
				if _, err := s.LetterByToken(ctx, l.Token); !errors.Is(err, ErrNotFound) {
					t.Fatalf("token %s: err %v, want not found", l.Token, err)
				}
			}
		})
		t.Run("its reminders, job results and expired uploads are gone", func(t *testing.T) {
			if n := countRows(t, s, `SELECT COUNT(*) FROM letters WHERE campaign_id = ?`, f.done.ID); n != 0 {
				t.Errorf("%d letters left", n)
			}
			if n := countRows(t, s, `SELECT COUNT(*) FROM reminders WHERE campaign_id = ?`, f.done.ID); n != 0 {
				t.Errorf("%d reminders left", n)
			}
			if _, err := s.Job(ctx, f.job.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("job: err %v, want not found", err)
			}
			if n := countRows(t, s, `SELECT COUNT(*) FROM job_chunks WHERE job_id = ?`, f.job.ID); n != 0 {
				t.Errorf("%d result chunks left", n)
			}
			if n := countRows(t, s, `SELECT COUNT(*) FROM uploads`); n != 0 {
				t.Errorf("%d expired uploads left", n)
			}
		})
		t.Run("the other campaign is untouched", func(t *testing.T) {
			for _, l := range f.otherLetters {
				p, err := s.ParentLetterByToken(ctx, l.Token)
				if err != nil {
					t.Fatalf("other campaign's token %s: %v", l.Token, err)
				}
				if l.ID == f.otherLetters[0].ID && (p.AckRelation != "父亲" || !p.Acknowledged()) {
					t.Fatalf("other campaign's acknowledgement lost: %+v", p)
				}
			}
			if n := countRows(t, s, `SELECT COUNT(*) FROM reminders WHERE campaign_id = ?`, f.running.ID); n != 2 {
				t.Errorf("other campaign has %d reminders, want 2", n)
			}
			if n := countRows(t, s, `SELECT COUNT(*) FROM jobs WHERE campaign_id = ?`, f.running.ID); n != 1 {
				t.Errorf("other campaign has %d jobs, want 1", n)
			}
			after := reachByClass(t, s, f.running.ID)
			for id, r := range otherBefore {
				if after[id] != r {
					t.Errorf("other campaign's class %d: %+v, was %+v", id, after[id], r)
				}
			}
			if n := countRows(t, s, `SELECT COUNT(*) FROM students`); n != 15 {
				t.Errorf("%d students, want the roster's 15 kept", n)
			}
		})
		t.Run("the kept figures equal the overview before the purge", func(t *testing.T) {
			rows, ok, err := s.PurgedReach(ctx, f.done.ID, 0)
			if err != nil || !ok {
				t.Fatalf("purged reach: ok %v err %v", ok, err)
			}
			if len(rows) != len(before) {
				t.Fatalf("%d rows, want %d", len(rows), len(before))
			}
			for _, r := range rows {
				if before[r.ClassID] != r {
					t.Errorf("class %d: kept %+v, was %+v", r.ClassID, r, before[r.ClassID])
				}
			}
			figs, _, err := s.PurgedFigures(ctx, f.done.ID, f.schoolA.ID)
			if err != nil || len(figs) != 2 {
				t.Fatalf("figures of school A: %d rows, err %v", len(figs), err)
			}
			c31 := figs[0]
			if c31.ClassName != "3年级1班" || c31.Acknowledged != 5 || c31.QuizAnswered != 3 || c31.QuizScoreSum != 6 || c31.Delivered != 5 {
				t.Errorf("3年级1班 figures %+v", c31)
			}
			c32 := figs[1]
			if c32.RemindersSent != 1 || c32.RemindersFailed != 1 || c32.Opened != 2 || c32.Acknowledged != 1 {
				t.Errorf("3年级2班 figures %+v", c32)
			}
			if _, ok, err := s.PurgedReach(ctx, f.running.ID, 0); ok || err != nil {
				t.Errorf("a campaign not purged: ok %v err %v", ok, err)
			}
		})
		t.Run("the purge is audited and recorded, and happens once", func(t *testing.T) {
			log, err := s.AuditLog(ctx, 5)
			if err != nil {
				t.Fatal(err)
			}
			if log[0].Action != "campaign_purge" || !strings.Contains(log[0].Detail, "春季反诈") || !strings.Contains(log[0].Detail, `"letters":15`) {
				t.Fatalf("audit %+v", log[0])
			}
			p, ok, err := s.CampaignPurge(ctx, f.done.ID)
			if err != nil || !ok || !p.PurgedAt.Equal(testNow) || p.Counts.Letters != 15 {
				t.Fatalf("purge record %+v ok %v err %v", p, ok, err)
			}
			if _, err := s.PurgeCampaign(ctx, PurgeOptions{CampaignID: f.done.ID}); !errors.Is(err, ErrAlreadyPurged) {
				t.Fatalf("second purge: err %v", err)
			}
		})
		t.Run("a purged campaign issues no new letters", func(t *testing.T) {
			if _, err := s.IssueLetters(ctx, f.done.ID, []int64{f.doneLetters[0].StudentID}); err == nil {
				t.Fatal("a purged campaign issued a letter again")
			}
			if n := countRows(t, s, `SELECT COUNT(*) FROM letters WHERE campaign_id = ?`, f.done.ID); n != 0 {
				t.Fatalf("%d letters", n)
			}
		})
	})
}

func TestDeadlinePassed(t *testing.T) {
	t.Parallel()
	cst := ChinaTime
	for _, tc := range []struct {
		name     string
		deadline string
		now      time.Time
		want     bool
	}{
		{"the deadline day itself is not over", "2026-09-01", time.Date(2026, 9, 1, 23, 59, 0, 0, cst), false},
		{"the day after in China has passed it", "2026-09-01", time.Date(2026, 9, 2, 0, 0, 0, 0, cst), true},
		{"16:00 UTC is already the next day in China", "2026-09-01", time.Date(2026, 9, 1, 16, 0, 0, 0, time.UTC), true},
		{"no deadline never passes", "", time.Date(2030, 1, 1, 0, 0, 0, 0, cst), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := DeadlinePassed(Campaign{AckDeadline: tc.deadline}, tc.now); got != tc.want {
				t.Fatalf("DeadlinePassed(%q, %v) = %v", tc.deadline, tc.now, got)
			}
		})
	}
}
