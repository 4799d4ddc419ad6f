package web

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"jiashu/app/campaign"
	"jiashu/store"
)

// TestClassPageKeepsPurgedFigures: after a campaign is purged, the teacher's
// class page shows the class's letters and acknowledgements as the purge
// kept them, not zeros.
func TestClassPageKeepsPurgedFigures(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			ctx := context.Background()
			cp, err := f.st.CreateCampaign(ctx, store.Campaign{Name: "春季反诈", AckDeadline: "2026-03-31", SchoolIDs: []int64{f.schoolA}})
			if err != nil {
				t.Fatal(err)
			}
			camp := cp.ID
			sts, err := f.st.Students(ctx, f.classA1)
			if err != nil || len(sts) < 2 {
				t.Fatalf("%d students, %v", len(sts), err)
			}
			var ids []int64
			for _, st := range sts {
				ids = append(ids, st.ID)
			}
			ls, err := f.st.IssueLetters(ctx, camp, ids)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.st.Acknowledge(ctx, store.Ack{LetterID: ls[0].ID, Channel: store.ChannelPaper}); err != nil {
				t.Fatal(err)
			}
			teacher := newBrowser(t, f.srv.URL)
			teacher.login("ta")
			summary := func() campaign.ClassSummary {
				t.Helper()
				r := teacher.get("/api/v1/classes/" + itoa(f.classA1))
				var v classPageData
				if err := json.Unmarshal([]byte(r.Body), &v); err != nil || r.Status != 200 {
					t.Fatalf("class API: %d %v %.300s", r.Status, err, r.Body)
				}
				return v.Summary
			}
			before := summary()
			if before.Letters != len(sts) || before.Acknowledged != 1 || before.Paper != 1 {
				t.Fatalf("before the purge: %+v", before)
			}
			if _, err := f.st.PurgeCampaign(ctx, store.PurgeOptions{CampaignID: camp, Force: true}); err != nil {
				t.Fatal(err)
			}

			t.Run("the summary after the purge has the figures it had before", func(t *testing.T) {
				after := summary()
				want := before
				want.Undelivered = 0 // nothing left to hand out
				if after != want {
					t.Errorf("after the purge %+v, want %+v", after, want)
				}
			})
			t.Run("the page shows them and says where they come from", func(t *testing.T) {
				p := teacher.get("/classes/" + itoa(f.classA1))
				for _, want := range []string{`<b>` + itoa(int64(len(sts))) + `</b><span>已生成家书`, `<b>1</b><span>已回执`, `id="purged-figures"`} {
					if !strings.Contains(p.Body, want) {
						t.Errorf("class page lacks %s", want)
					}
				}
				if strings.Contains(p.Body, "未生成") {
					t.Error("class page says the purged letters were never produced")
				}
			})
			t.Run("another class of the school keeps its own zeros", func(t *testing.T) {
				r := teacher.get("/api/v1/classes/" + itoa(f.classA2))
				var v classPageData
				json.Unmarshal([]byte(r.Body), &v)
				if r.Status == 200 && (v.Summary.Letters != 0 || v.Summary.Acknowledged != 0) {
					t.Errorf("class A2 after the purge: %+v", v.Summary)
				}
			})
		})
	}
}
