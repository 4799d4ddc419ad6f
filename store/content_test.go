package store

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestContentVersions(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		author, _ := s.CreateUser(ctx, User{Username: "center", Role: RoleDistrictAdmin})
		other, _ := s.CreateUser(ctx, User{Username: "center2", Role: RoleDistrictAdmin})
		reviewer, _ := s.CreateUser(ctx, User{Username: "reviewer", Role: RoleReviewer})
		sc := mustSchool(t, s, "审核小学")
		admin, _ := s.CreateUser(ctx, User{Username: "sadmin", Role: RoleSchoolAdmin, SchoolID: sc.ID})
		teacher, _ := s.CreateUser(ctx, User{Username: "teacher", Role: RoleTeacher, SchoolID: sc.ID})

		v1, err := s.LatestApprovedContent(ctx)
		if err != nil {
			t.Fatal(err)
		}
		files, err := s.ContentFiles(ctx, v1.ID)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("the embedded files are version 1, approved, letters and lessons alike", func(t *testing.T) {
			if v1.ID != 1 || v1.State != ContentApproved || v1.ApprovedAt.IsZero() {
				t.Errorf("version 1 = %+v", v1)
			}
			for _, p := range []string{"methods.txt", "templates/junior.txt", "templates/senior.txt", "lessons/primary-lower.txt"} {
				if files[p] == "" {
					t.Errorf("version 1 lacks %s (has %d files)", p, len(files))
				}
			}
		})
		old, err := s.CreateCampaign(ctx, Campaign{Name: "开学季", SchoolIDs: []int64{sc.ID}})
		if err != nil {
			t.Fatal(err)
		}
		edited := map[string]string{}
		for p, b := range files {
			edited[p] = b
		}
		edited["methods.txt"] += "\n# 新增\n"
		t.Run("only the education center writes a draft", func(t *testing.T) {
			for _, u := range []User{reviewer, admin, teacher} {
				if _, err := s.CreateContentDraft(ctx, u.ID, 1, "x", edited); !errors.Is(err, ErrNotEditor) {
					t.Errorf("%s: err = %v, want ErrNotEditor", u.Username, err)
				}
			}
		})
		d, err := s.CreateContentDraft(ctx, author.ID, v1.ID, "新增手法", edited)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SubmitContent(ctx, d.ID, author.ID); err != nil {
			t.Fatal(err)
		}
		t.Run("the author, another editor, a school administrator and a teacher cannot approve", func(t *testing.T) {
			if err := s.ApproveContent(ctx, d.ID, author.ID, ""); !errors.Is(err, ErrNotReviewer) {
				t.Errorf("author: %v", err)
			}
			for _, u := range []User{other, admin, teacher} {
				if err := s.ApproveContent(ctx, d.ID, u.ID, ""); !errors.Is(err, ErrNotReviewer) {
					t.Errorf("%s: %v", u.Username, err)
				}
			}
		})
		t.Run("a reviewer who wrote the version cannot approve it", func(t *testing.T) {
			// A reviewer cannot write drafts, so make the reviewer the author directly.
			if _, err := s.db.ExecContext(ctx, s.Rebind(`UPDATE content_versions SET author_id = ? WHERE id = ?`), reviewer.ID, d.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.ApproveContent(ctx, d.ID, reviewer.ID, ""); !errors.Is(err, ErrOwnApproval) {
				t.Errorf("err = %v, want ErrOwnApproval", err)
			}
			s.db.ExecContext(ctx, s.Rebind(`UPDATE content_versions SET author_id = ? WHERE id = ?`), author.ID, d.ID)
		})
		t.Run("a return needs a comment, then the draft is edited and resubmitted", func(t *testing.T) {
			if err := s.ReturnContent(ctx, d.ID, reviewer.ID, " "); !errors.Is(err, ErrCommentRequired) {
				t.Errorf("err = %v", err)
			}
			if err := s.ReturnContent(ctx, d.ID, reviewer.ID, "第3行措辞请改"); err != nil {
				t.Fatal(err)
			}
			v, _ := s.ContentVersion(ctx, d.ID)
			if v.State != ContentReturned || v.ReviewComment != "第3行措辞请改" || v.ReviewerName != "reviewer" {
				t.Errorf("returned = %+v", v)
			}
			if err := s.SaveContentDraft(ctx, d.ID, author.ID, edited); err != nil {
				t.Fatal(err)
			}
			if err := s.SubmitContent(ctx, d.ID, author.ID); err != nil {
				t.Fatal(err)
			}
		})
		if err := s.ApproveContent(ctx, d.ID, reviewer.ID, "同意"); err != nil {
			t.Fatal(err)
		}
		t.Run("an approved version never changes", func(t *testing.T) {
			if err := s.SaveContentDraft(ctx, d.ID, author.ID, files); !errors.Is(err, ErrContentState) {
				t.Errorf("save: %v", err)
			}
			if _, err := s.db.ExecContext(ctx, s.Rebind(`UPDATE content_files SET body = 'x' WHERE version_id = ?`), d.ID); err == nil {
				t.Error("the database let an approved file change")
			}
			if _, err := s.db.ExecContext(ctx, s.Rebind(`DELETE FROM content_files WHERE version_id = ?`), 1); err == nil {
				t.Error("the database let version 1's files go")
			}
			got, _ := s.ContentFiles(ctx, d.ID)
			if got["methods.txt"] != edited["methods.txt"] {
				t.Error("approved files changed")
			}
		})
		t.Run("every transition is in the history and the audit log", func(t *testing.T) {
			ev, _ := s.ContentEvents(ctx, d.ID)
			var acts []string
			for _, e := range ev {
				acts = append(acts, e.Action)
			}
			if got := strings.Join(acts, " "); got != "created submitted returned saved submitted approved" {
				t.Errorf("events = %s", got)
			}
			if n := countRows(t, s, `SELECT COUNT(*) FROM audit_log WHERE action LIKE 'content_%'`); n != 6 {
				t.Errorf("audit lines = %d", n)
			}
		})
		t.Run("campaigns pin the newest approved version at creation; old ones keep theirs", func(t *testing.T) {
			if old.ContentVersionID != 1 {
				t.Errorf("old campaign pins %d", old.ContentVersionID)
			}
			n, err := s.CreateCampaign(ctx, Campaign{Name: "寒假前", SchoolIDs: []int64{sc.ID}})
			if err != nil || n.ContentVersionID != d.ID {
				t.Errorf("new campaign pins %d (%v)", n.ContentVersionID, err)
			}
			again, _ := s.Campaign(ctx, old.ID)
			if again.ContentVersionID != 1 {
				t.Errorf("old campaign now pins %d", again.ContentVersionID)
			}
		})
		t.Run("an unapproved or retired version cannot be pinned", func(t *testing.T) {
			d2, err := s.CreateContentDraft(ctx, author.ID, d.ID, "草稿", edited)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateCampaign(ctx, Campaign{Name: "草稿活动", ContentVersionID: d2.ID}); !errors.Is(err, ErrContentNotApproved) {
				t.Errorf("draft pinned: %v", err)
			}
			if err := s.RetireContent(ctx, 1, author.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateCampaign(ctx, Campaign{Name: "旧版活动", ContentVersionID: 1}); !errors.Is(err, ErrContentNotApproved) {
				t.Errorf("retired pinned: %v", err)
			}
		})
	})
}

func TestMovingACampaignKeepsProducedLettersOnTheirVersion(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		author, _ := s.CreateUser(ctx, User{Username: "center", Role: RoleDistrictAdmin})
		reviewer, _ := s.CreateUser(ctx, User{Username: "reviewer", Role: RoleReviewer})
		sc := mustSchool(t, s, "迁移小学")
		res := mustImport(t, s, sc.ID, ImportOptions{}, class32(student("1", "王小明", father("王父", "13800138000"))))
		cp, _ := s.CreateCampaign(ctx, Campaign{Name: "活动", SchoolIDs: []int64{sc.ID}})
		first, err := s.ClassPrint(ctx, cp.ID, res.Classes[0].ID, nil)
		if err != nil || first.Students[0].ContentVersionID != 1 {
			t.Fatalf("first print: %v %+v", err, first.Students)
		}
		files, _ := s.ContentFiles(ctx, 1)
		d, _ := s.CreateContentDraft(ctx, author.ID, 1, "新版", files)
		s.SubmitContent(ctx, d.ID, author.ID)
		if err := s.ApproveContent(ctx, d.ID, reviewer.ID, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveCampaignContent(ctx, cp.ID, d.ID, author.ID); err != nil {
			t.Fatal(err)
		}
		mustImport(t, s, sc.ID, ImportOptions{}, class32(student("1", "王小明", father("王父", "13800138000")), student("2", "李小红", father("李父", "13900139000"))))
		again, err := s.ClassPrint(ctx, cp.ID, res.Classes[0].ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if again.Students[0].ContentVersionID != 1 || again.Students[1].ContentVersionID != d.ID {
			t.Errorf("versions = %d, %d", again.Students[0].ContentVersionID, again.Students[1].ContentVersionID)
		}
		v, _ := s.LetterContentVersion(ctx, first.Students[0].Letter.ID)
		counts, _ := s.CampaignContentCounts(ctx, cp.ID)
		if v != 1 || len(counts) != 2 || counts[0].Letters != 1 || counts[1].VersionID != d.ID {
			t.Errorf("letter version %d, counts %+v", v, counts)
		}
	})
}
