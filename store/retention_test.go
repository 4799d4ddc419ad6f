package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"jiashu/roster"
)

func TestRetentionErasesFormerStudentsAndKeepsFigures(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: testNow}
	for name, s := range accountStores(t, clock) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := newPurgeFixture(t, s)
			// S000005 and S000006 leave class 3-1 (a re-import without them).
			mustImport(t, s, f.schoolA.ID, ImportOptions{}, genClass(3, 1, 1, 4))
			leftName := "学生5"
			figures := func() [2]map[int64]Reach {
				return [2]map[int64]Reach{reachByClass(t, s, f.done.ID), reachByClass(t, s, f.running.ID)}
			}
			before := figures()

			t.Run("nobody is erased while a campaign of theirs is open", func(t *testing.T) {
				res, err := s.EraseFormerStudents(ctx, RetentionOptions{Days: 30})
				if err != nil || res.Counts.Students != 0 {
					t.Fatalf("%+v, %v; want nothing erased (the autumn campaign runs until 09-30)", res.Counts, err)
				}
			})
			clock.add(60 * 24 * time.Hour) // 2026-10-31: the autumn deadline closed 31 days ago
			t.Run("a dry run counts and changes nothing", func(t *testing.T) {
				res, err := s.EraseFormerStudents(ctx, RetentionOptions{Days: 30, DryRun: true})
				want := ErasureCounts{Students: 2, Guardians: 2, Letters: 4, Jobs: 2} // and school A's ZIPs of both campaigns
				if err != nil || res.Counts != want || !res.DryRun {
					t.Fatalf("dry run %+v, %v; want %+v", res.Counts, err, want)
				}
				if n := countRows(t, s, `SELECT COUNT(*) FROM students WHERE name = ?`, leftName); n != 1 {
					t.Fatal("the dry run changed a name")
				}
			})
			t.Run("the erasure removes names, numbers, phones and codes, and every figure stays", func(t *testing.T) {
				res, err := s.EraseFormerStudents(ctx, RetentionOptions{Days: 30})
				if err != nil || res.Counts.Students != 2 {
					t.Fatalf("%+v, %v", res.Counts, err)
				}
				if n := countRows(t, s, `SELECT COUNT(*) FROM students WHERE name IN ('学生5', '学生6') OR number IN ('S000005', 'S000006')`); n != 0 {
					t.Errorf("%d erased students still named", n)
				}
				if n := countRows(t, s, `SELECT COUNT(*) FROM guardians WHERE mobile IN ('13900000005', '13900000006') OR name IN ('家长5', '家长6')`); n != 0 {
					t.Errorf("%d erased guardians still on file", n)
				}
				if n := countRows(t, s, `SELECT COUNT(*) FROM students WHERE erased_at IS NULL`); n != 15-2 {
					t.Errorf("%d students untouched, want 13", n)
				}
				for _, l := range f.doneLetters[4:6] {
					if _, err := s.ParentLetterByToken(ctx, l.Token); !errors.Is(err, ErrNotFound) {
						t.Errorf("an erased family's letter code still opens: %v", err)
					}
				}
				if _, err := s.ParentLetterByToken(ctx, f.doneLetters[0].Token); err != nil {
					t.Errorf("another family's letter: %v", err)
				}
				if after := figures(); !reflect.DeepEqual(before, after) {
					t.Errorf("figures changed:\nbefore %+v\nafter  %+v", before, after)
				}
				if n := countRows(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'personal_data_erased'`); n != 1 {
					t.Errorf("%d audit entries", n)
				}
				if res, _ := s.EraseFormerStudents(ctx, RetentionOptions{Days: 30}); res.Counts.Students != 0 {
					t.Errorf("a second run erased %d again", res.Counts.Students)
				}
			})
		})
	}
}

func TestEraseFamilyOnRequest(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newPurgeFixture(t, s)
		// A younger sibling in 3-2 shares the mother of S000001.
		sib := genClass(3, 2, 100, 5)
		sib.Students = append(sib.Students, roster.Student{Number: "S000900", Name: "弟弟", Guardians: []roster.Guardian{{Name: "家长1", Relation: "母亲", Mobile: "13900000001"}}})
		mustImport(t, s, f.schoolA.ID, ImportOptions{}, sib)
		classes, _ := s.Classes(ctx, f.schoolA.ID)
		var first int64
		for _, c := range classes {
			for _, st := range mustStudents(t, s, c.ID) {
				if st.Number == "S000001" {
					first = st.ID
				}
			}
		}
		// The done campaign is purged first: its kept figures must not move.
		if _, err := s.PurgeCampaign(ctx, PurgeOptions{CampaignID: f.done.ID}); err != nil {
			t.Fatal(err)
		}
		kept, _, _ := s.PurgedFigures(ctx, f.done.ID, 0)
		live := reachByClass(t, s, f.running.ID)

		dry, err := s.EraseFamily(ctx, first, EraseOptions{DryRun: true})
		if want := (ErasureCounts{Students: 2, Guardians: 1, Letters: 1, Jobs: 1}); err != nil || dry.Counts != want {
			t.Fatalf("dry run %+v, %v; want %+v (the child, the sibling, their mother, one live letter, the school's ZIP of it)", dry.Counts, err, want)
		}
		if _, err := s.EraseFamily(ctx, first, EraseOptions{UserID: 0}); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM students WHERE name IN ('学生1', '弟弟')`); n != 0 {
			t.Errorf("%d of the family still named", n)
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM guardians WHERE mobile = '13900000001'`); n != 0 {
			t.Errorf("the mother's mobile is still on file")
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM letters WHERE ack_relation <> '' AND student_id = ?`, first); n != 0 {
			t.Errorf("the relation the parent chose is still on file")
		}
		if got, _, _ := s.PurgedFigures(ctx, f.done.ID, 0); !reflect.DeepEqual(got, kept) {
			t.Errorf("a purged campaign's figures changed")
		}
		if got := reachByClass(t, s, f.running.ID); !reflect.DeepEqual(got, live) {
			t.Errorf("the running campaign's figures changed:\nbefore %+v\nafter  %+v", live, got)
		}
		if _, err := s.EraseFamily(ctx, first, EraseOptions{}); !errors.Is(err, ErrNotFound) {
			t.Errorf("erasing again: %v, want ErrNotFound", err)
		}
	})
}

func mustStudents(t *testing.T, s *Store, classID int64) []Student {
	t.Helper()
	sts, err := s.Students(context.Background(), classID)
	if err != nil {
		t.Fatal(err)
	}
	return sts
}
