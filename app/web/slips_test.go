package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"jiashu/store"
	"jiashu/store/storetest"
)

// seedLetters starts a campaign for both fixture schools and produces a
// letter for every student; it returns the tokens by student id.
func seedLetters(t *testing.T, f *webFixture) (campaignID int64, tokens map[int64]string) {
	t.Helper()
	ctx := context.Background()
	s := f.st
	if err := s.DB().QueryRowContext(ctx, s.Rebind(`INSERT INTO campaigns (name, quiz_enabled, created_at) VALUES ('2026秋季防诈', TRUE, ?) RETURNING id`),
		s.Now()).Scan(&campaignID); err != nil {
		t.Fatal(err)
	}
	for _, school := range []int64{f.schoolA, f.schoolB} {
		if _, err := s.DB().ExecContext(ctx, s.Rebind(`INSERT INTO campaign_schools (campaign_id, school_id) VALUES (?, ?)`), campaignID, school); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := s.DB().QueryContext(ctx, `SELECT id FROM students ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	tokens = map[int64]string{}
	for i, id := range ids {
		tok := storetest.Token(1000 + i)
		if _, err := s.DB().ExecContext(ctx, s.Rebind(`INSERT INTO letters (campaign_id, student_id, token, status, produced_at) VALUES (?, ?, ?, 'delivered', ?)`),
			campaignID, id, tok, s.Now()); err != nil {
			t.Fatal(err)
		}
		tokens[id] = tok
	}
	return campaignID, tokens
}

// slipOf reads a student's letter as the slip page would.
func slipOf(t *testing.T, f *webFixture, campaignID, classID, studentID int64) store.SlipRow {
	t.Helper()
	rows, err := f.st.ClassSlips(context.Background(), campaignID, classID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.StudentID == studentID {
			return r
		}
	}
	t.Fatalf("student %d not on the slip page", studentID)
	return store.SlipRow{}
}

func TestPaperSlips(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			camp, tokens := seedLetters(t, f)
			ta := newBrowser(t, f.srv.URL)
			ta.login("ta")
			page := fmt.Sprintf("/classes/%d/slips", f.classA1)

			t.Run("the teacher sees the class with a checkbox per student", func(t *testing.T) {
				r := ta.get(page)
				if r.Status != 200 || !strings.Contains(r.Body, "王小明") || !strings.Contains(r.Body, "李华") ||
					strings.Count(r.Body, `type="checkbox" name="returned"`) != 2 {
					t.Fatalf("%d %.500s", r.Status, r.Body)
				}
			})
			t.Run("ticking and saving once records paper entered by the teacher", func(t *testing.T) {
				r := ta.post(page, url.Values{"returned": {fmt.Sprint(f.studentA1)}})
				if r.Status != http.StatusSeeOther {
					t.Fatalf("%d %.300s", r.Status, r.Body)
				}
				row := slipOf(t, f, camp, f.classA1, f.studentA1)
				if !row.Paper() || row.AckEnteredBy != f.users["ta"].ID {
					t.Fatalf("%+v", row)
				}
				if got := ta.get(r.Location); !strings.Contains(got.Body, "新登记 1 份") {
					t.Errorf("no confirmation shown: %.300s", got.Body)
				}
			})
			t.Run("unticking undoes the paper acknowledgement but not a parent's own", func(t *testing.T) {
				other := slipOf(t, f, camp, f.classA1, f.studentA1+1)
				l, err := f.st.ParentLetterByToken(context.Background(), tokens[other.StudentID])
				if err != nil {
					t.Fatal(err)
				}
				if _, err := f.st.Acknowledge(context.Background(), store.Ack{LetterID: l.LetterID, Channel: store.ChannelQR, Relation: "父亲", At: time.Now()}); err != nil {
					t.Fatal(err)
				}
				if r := ta.post(page, url.Values{}); r.Status != http.StatusSeeOther {
					t.Fatalf("%d", r.Status)
				}
				if row := slipOf(t, f, camp, f.classA1, f.studentA1); !row.AcknowledgedAt.IsZero() {
					t.Fatalf("paper acknowledgement not undone: %+v", row)
				}
				if row := slipOf(t, f, camp, f.classA1, other.StudentID); row.AckChannel != store.ChannelQR {
					t.Fatalf("the parent's acknowledgement was removed: %+v", row)
				}
			})
			t.Run("another class's teacher can neither see nor change the slips", func(t *testing.T) {
				tb := newBrowser(t, f.srv.URL)
				tb.login("tb")
				if r := tb.get(page); r.Status != http.StatusNotFound {
					t.Fatalf("GET %d", r.Status)
				}
				if r := tb.post(page, url.Values{"returned": {fmt.Sprint(f.studentA1)}}); r.Status != http.StatusNotFound {
					t.Fatalf("POST %d", r.Status)
				}
				if row := slipOf(t, f, camp, f.classA1, f.studentA1); !row.AcknowledgedAt.IsZero() {
					t.Fatal("another teacher recorded a slip")
				}
			})
		})
	}
}
