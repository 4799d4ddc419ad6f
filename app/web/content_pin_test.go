package web

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"jiashu/letters"
	"jiashu/store"
)

// secondEdition is a sentence only the second content version prints.
const secondEdition = "第二版新增：请和孩子一起读这封信。"

// approveEdition writes a version with the sentence added at the top of
// every letter, as an education-center account, and approves it as a
// reviewer; it returns the version's id.
func approveEdition(t *testing.T, st *store.Store, sentence string) int64 {
	t.Helper()
	return approveContent(t, st, "新增一句", func(files map[string]string) {
		for _, ag := range letters.AgeGroups() {
			p := "templates/" + ag + ".txt"
			files[p] = strings.Replace(files[p], "【正文】\n", "【正文】\n"+sentence+"\n\n", 1)
		}
	})
}

// approveContent writes a version of the newest approved one's files as
// edit changes them, as an education-center account, and approves it as a
// reviewer; it returns the version's id.
func approveContent(t *testing.T, st *store.Store, title string, edit func(files map[string]string)) int64 {
	t.Helper()
	ctx := context.Background()
	author, err := st.UserByUsername(ctx, "content-author")
	if err != nil {
		author, err = st.CreateUser(ctx, store.User{Username: "content-author", Role: store.RoleDistrictAdmin})
		if err != nil {
			t.Fatal(err)
		}
	}
	reviewer, err := st.UserByUsername(ctx, "content-reviewer")
	if err != nil {
		reviewer, err = st.CreateUser(ctx, store.User{Username: "content-reviewer", Role: store.RoleReviewer})
		if err != nil {
			t.Fatal(err)
		}
	}
	latest, err := st.LatestApprovedContent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	files, err := st.ContentFiles(ctx, latest.ID)
	if err != nil {
		t.Fatal(err)
	}
	edit(files)
	d, err := st.CreateContentDraft(ctx, author.ID, latest.ID, title, files)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SubmitContent(ctx, d.ID, author.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.ApproveContent(ctx, d.ID, reviewer.ID, "同意"); err != nil {
		t.Fatal(err)
	}
	return d.ID
}

// pdfText is the text of a PDF, by pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	needPoppler(t)
	file := filepath.Join(t.TempDir(), "letters.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

func TestCampaignsPrintAndShowTheirPinnedVersion(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := newParentFixture(t, dsn)
			old, err := f.st.CreateCampaign(ctx, store.Campaign{Name: "开学季", SchoolIDs: []int64{f.schoolID}})
			if err != nil {
				t.Fatal(err)
			}
			print := func(campaignID int64) string {
				t.Helper()
				_, ls, err := f.srv.build().Class(ctx, f.srv.now(), campaignID, f.classID, f.students[:1])
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				if _, err := f.srv.letters.WriteLetters(&buf, ls, letters.Options{}); err != nil {
					t.Fatal(err)
				}
				return pdfText(t, buf.Bytes())
			}
			before := f.do(t, "GET", "/a/"+f.tokens[0], nil, nil).Body.String()
			if strings.Contains(before, secondEdition) || !strings.Contains(before, "冒充老师在班级群收费") {
				t.Fatalf("the parent page before the approval: %.300s", before)
			}
			oldPrinted := print(old.ID)
			v2 := approveEdition(t, f.st, secondEdition)
			newer, err := f.st.CreateCampaign(ctx, store.Campaign{Name: "寒假前", SchoolIDs: []int64{f.schoolID}})
			if err != nil {
				t.Fatal(err)
			}
			t.Run("a campaign created before the approval prints the old text, one created after the new", func(t *testing.T) {
				if newer.ContentVersionID != v2 || old.ContentVersionID == v2 {
					t.Fatalf("pins: old %d, new %d, approved %d", old.ContentVersionID, newer.ContentVersionID, v2)
				}
				if again := print(old.ID); strings.Contains(again, secondEdition) || again != oldPrinted {
					t.Errorf("the old campaign's letter changed after the approval")
				}
				if got := print(newer.ID); !strings.Contains(got, secondEdition) {
					t.Errorf("the new campaign's letter lacks the approved sentence: %.300s", got)
				}
			})
			t.Run("the parent page of an old letter is unchanged after a newer approval", func(t *testing.T) {
				if after := f.do(t, "GET", "/a/"+f.tokens[0], nil, nil).Body.String(); after != before {
					t.Error("the parent page of an old letter changed")
				}
			})
			t.Run("the parent page of a new campaign's letter shows the new version", func(t *testing.T) {
				p, err := f.st.ClassPrint(ctx, newer.ID, f.classID, f.students[:1])
				if err != nil {
					t.Fatal(err)
				}
				if body := f.do(t, "GET", "/a/"+p.Students[0].Letter.Token, nil, nil).Body.String(); !strings.Contains(body, secondEdition) {
					t.Errorf("the new letter's page lacks the approved sentence")
				}
			})
		})
	}
}

// storeCampaign is a campaign of one school with the quiz on.
func storeCampaign(name string, schoolID int64) store.Campaign {
	return store.Campaign{Name: name, QuizEnabled: true, SchoolIDs: []int64{schoolID}}
}
