package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ackBackends opens a fresh store per backend: real SQLite always, real
// PostgreSQL (in a schema of its own) when JIASHU_TEST_POSTGRES_DSN is set.
func ackBackends(t *testing.T) map[string]*Store {
	t.Helper()
	ctx := context.Background()
	out := map[string]*Store{}
	st, err := Open(ctx, filepath.Join(t.TempDir(), "ack.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	out["sqlite"] = st
	if dsn := os.Getenv("JIASHU_TEST_POSTGRES_DSN"); dsn != "" {
		schema := fmt.Sprintf("ack_test_%d", rand.Int64())
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			admin.Close()
		})
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		pg, err := Open(ctx, dsn+sep+"search_path="+schema)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pg.Close() })
		out["postgres"] = pg
	}
	return out
}

// ackFixture is one school, one class, three students with guardians, a
// campaign and a letter per student.
type ackFixture struct {
	schoolID, classID, campaignID, userID int64
	students                              []int64
	letters                               []int64
	tokens                                []string
}

func ackSeed(t *testing.T, s *Store) ackFixture {
	t.Helper()
	ctx := context.Background()
	var f ackFixture
	now := s.Now()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	row := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		must(s.DB().QueryRowContext(ctx, s.Rebind(q+" RETURNING id"), args...).Scan(&id))
		return id
	}
	f.schoolID = row(`INSERT INTO schools (name, created_at) VALUES (?, ?)`, "实验小学", now)
	f.classID = row(`INSERT INTO classes (school_id, grade, number, name, head_teacher) VALUES (?, 3, 2, '三年级2班', '李老师')`, f.schoolID)
	f.campaignID = row(`INSERT INTO campaigns (name, quiz_enabled, ack_deadline, created_at) VALUES ('2026秋季', TRUE, '2026-12-01', ?)`, now)
	_, err := s.DB().ExecContext(ctx, s.Rebind(`INSERT INTO campaign_schools (campaign_id, school_id) VALUES (?, ?)`), f.campaignID, f.schoolID)
	must(err)
	f.userID = row(`INSERT INTO users (username, role, school_id, created_at) VALUES ('li', 'teacher', ?, ?)`, f.schoolID, now)
	names := []string{"王小明", "李华", "张伟"}
	mobiles := []string{"13800001111", "13900002222", ""}
	for i, name := range names {
		sid := row(`INSERT INTO students (school_id, class_id, number, name, updated_at) VALUES (?, ?, ?, ?, ?)`,
			f.schoolID, f.classID, fmt.Sprintf("2026%02d", i+1), name, now)
		gid := row(`INSERT INTO guardians (school_id, name, relation, mobile) VALUES (?, ?, '母亲', ?)`, f.schoolID, name[:3]+"妈妈", mobiles[i])
		_, err := s.DB().ExecContext(ctx, s.Rebind(`INSERT INTO student_guardians (student_id, guardian_id, position) VALUES (?, ?, 1)`), sid, gid)
		must(err)
		token := fmt.Sprintf("ABCDEFGHJK%02d", i+2)
		token = strings.NewReplacer("0", "Z", "1", "Y").Replace(token)
		lid := row(`INSERT INTO letters (campaign_id, student_id, token, status, produced_at) VALUES (?, ?, ?, 'delivered', ?)`,
			f.campaignID, sid, token, now)
		f.students = append(f.students, sid)
		f.letters = append(f.letters, lid)
		f.tokens = append(f.tokens, token)
	}
	return f
}

func TestParentLetterByToken(t *testing.T) {
	t.Parallel()
	for name, s := range ackBackends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := ackSeed(t, s)
			t.Run("known token returns student, class, school and campaign", func(t *testing.T) {
				p, err := s.ParentLetterByToken(ctx, f.tokens[0])
				if err != nil {
					t.Fatal(err)
				}
				if p.StudentName != "王小明" || p.ClassName != "三年级2班" || p.SchoolName != "实验小学" || p.Grade != 3 ||
					!p.QuizEnabled || p.AckDeadline != "2026-12-01" || p.Acknowledged() || p.Status != StatusDelivered {
					t.Fatalf("got %+v", p)
				}
			})
			t.Run("unknown token is ErrNotFound", func(t *testing.T) {
				if _, err := s.ParentLetterByToken(ctx, "ZZZZZZZZZZZZ"); !isNotFound(err) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
			})
		})
	}
}

func isNotFound(err error) bool {
	return err != nil && strings.Contains(err.Error(), ErrNotFound.Error())
}

func TestRecordOpensKeepsFirstAndMovesLast(t *testing.T) {
	t.Parallel()
	for name, s := range ackBackends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := ackSeed(t, s)
			t1 := time.Date(2026, 11, 20, 19, 0, 0, 0, time.UTC)
			t2 := t1.Add(time.Hour)
			if err := s.RecordOpens(ctx, []LetterOpen{{LetterID: f.letters[0], First: t1, Last: t1}}); err != nil {
				t.Fatal(err)
			}
			if err := s.RecordOpens(ctx, []LetterOpen{{LetterID: f.letters[0], First: t2, Last: t2}}); err != nil {
				t.Fatal(err)
			}
			p, err := s.ParentLetterByToken(ctx, f.tokens[0])
			if err != nil {
				t.Fatal(err)
			}
			if !p.FirstOpenedAt.Equal(t1) || !p.LastOpenedAt.Equal(t2) || p.Status != StatusOpened {
				t.Fatalf("first %v last %v status %s, want %v %v opened", p.FirstOpenedAt, p.LastOpenedAt, p.Status, t1, t2)
			}
		})
	}
}

func TestAcknowledgeIsIdempotent(t *testing.T) {
	t.Parallel()
	for name, s := range ackBackends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := ackSeed(t, s)
			t1 := time.Date(2026, 11, 20, 19, 0, 0, 0, time.UTC)
			first, err := s.Acknowledge(ctx, Ack{LetterID: f.letters[0], Channel: ChannelQR, Relation: "母亲", At: t1})
			if err != nil || !first {
				t.Fatalf("first ack: first=%v err=%v", first, err)
			}
			again, err := s.Acknowledge(ctx, Ack{LetterID: f.letters[0], Channel: ChannelSMS, Relation: "父亲", At: t1.Add(time.Hour)})
			if err != nil || again {
				t.Fatalf("repeat ack: first=%v err=%v, want false nil", again, err)
			}
			p, _ := s.ParentLetterByToken(ctx, f.tokens[0])
			if !p.AcknowledgedAt.Equal(t1) || p.AckChannel != ChannelQR || p.AckRelation != "母亲" || p.Status != StatusAcknowledged {
				t.Fatalf("the first acknowledgement was not kept: %+v", p)
			}
			if _, err := s.Acknowledge(ctx, Ack{LetterID: 999999, Channel: ChannelQR}); !isNotFound(err) {
				t.Fatalf("unknown letter: err = %v, want not found", err)
			}
			if _, err := s.Acknowledge(ctx, Ack{LetterID: f.letters[1], Channel: "fax"}); err == nil {
				t.Fatal("unknown channel accepted")
			}
		})
	}
}

func TestSaveQuizKeepsFirstAnswersOfAcknowledgedLetters(t *testing.T) {
	t.Parallel()
	for name, s := range ackBackends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := ackSeed(t, s)
			if first, err := s.SaveQuiz(ctx, f.letters[0], "BCA", 3); err != nil || first {
				t.Fatalf("quiz before acknowledgement: first=%v err=%v, want not saved", first, err)
			}
			if _, err := s.Acknowledge(ctx, Ack{LetterID: f.letters[0], Channel: ChannelQR, Relation: "母亲"}); err != nil {
				t.Fatal(err)
			}
			if first, err := s.SaveQuiz(ctx, f.letters[0], "BCA", 3); err != nil || !first {
				t.Fatalf("quiz: first=%v err=%v", first, err)
			}
			if first, _ := s.SaveQuiz(ctx, f.letters[0], "AAA", 1); first {
				t.Fatal("second quiz overwrote the first")
			}
			p, _ := s.ParentLetterByToken(ctx, f.tokens[0])
			if p.QuizAnswers != "BCA" || p.QuizScore != 3 || !p.QuizAnswered {
				t.Fatalf("quiz %q %d %v", p.QuizAnswers, p.QuizScore, p.QuizAnswered)
			}
		})
	}
}

func TestSetPaperSlips(t *testing.T) {
	t.Parallel()
	for name, s := range ackBackends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := ackSeed(t, s)
			// The first family acknowledged online; the teacher ticks the other two.
			if _, err := s.Acknowledge(ctx, Ack{LetterID: f.letters[0], Channel: ChannelQR, Relation: "母亲"}); err != nil {
				t.Fatal(err)
			}
			ch, err := s.SetPaperSlips(ctx, f.campaignID, f.classID, f.userID, []int64{f.students[1], f.students[2]})
			if err != nil || ch != (SlipChanges{Added: 2}) {
				t.Fatalf("tick: %+v %v", ch, err)
			}
			rows, err := s.ClassSlips(ctx, f.campaignID, f.classID)
			if err != nil || len(rows) != 3 {
				t.Fatalf("slips: %d %v", len(rows), err)
			}
			if !rows[1].Paper() || rows[1].AckEnteredBy != f.userID || rows[0].Paper() {
				t.Fatalf("rows %+v", rows)
			}
			t.Run("saving the same ticks again changes nothing", func(t *testing.T) {
				ch, err := s.SetPaperSlips(ctx, f.campaignID, f.classID, f.userID, []int64{f.students[1], f.students[2]})
				if err != nil || ch != (SlipChanges{}) {
					t.Fatalf("%+v %v", ch, err)
				}
			})
			t.Run("unticking undoes paper only, never the online acknowledgement", func(t *testing.T) {
				ch, err := s.SetPaperSlips(ctx, f.campaignID, f.classID, f.userID, []int64{f.students[2]})
				if err != nil || ch != (SlipChanges{Removed: 1}) {
					t.Fatalf("%+v %v", ch, err)
				}
				rows, _ := s.ClassSlips(ctx, f.campaignID, f.classID)
				if rows[0].AcknowledgedAt.IsZero() || rows[0].AckChannel != ChannelQR {
					t.Fatalf("online acknowledgement changed: %+v", rows[0])
				}
				if !rows[1].AcknowledgedAt.IsZero() || rows[1].Status != StatusDelivered {
					t.Fatalf("paper acknowledgement not undone: %+v", rows[1])
				}
			})
		})
	}
}

func TestAcknowledgeBatchKeepsFirstOfEach(t *testing.T) {
	t.Parallel()
	for name, s := range ackBackends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := ackSeed(t, s)
			first, err := s.AcknowledgeBatch(ctx, []Ack{
				{LetterID: f.letters[0], Channel: ChannelQR, Relation: "母亲"},
				{LetterID: f.letters[1], Channel: ChannelSMS, Relation: "父亲"},
				{LetterID: f.letters[0], Channel: ChannelSMS, Relation: "其他"},
			})
			if err != nil || !first[0] || !first[1] || first[2] {
				t.Fatalf("first = %v, err %v; want [true true false]", first, err)
			}
			r, err := s.NewParentReader(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			p, err := r.ByToken(ctx, f.tokens[0])
			if err != nil || p.AckRelation != "母亲" {
				t.Fatalf("%+v %v", p, err)
			}
			if _, err := r.ByToken(ctx, "ZZZZZZZZZZZZ"); !isNotFound(err) {
				t.Fatalf("unknown token: %v", err)
			}
		})
	}
}
