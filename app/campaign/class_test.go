package campaign

import (
	"context"
	"errors"
	"testing"
	"time"

	"jiashu/store"
	"jiashu/store/storetest"
)

func TestSummariseCountsLettersAndMasksPhones(t *testing.T) {
	t.Parallel()
	acked := time.Date(2026, 11, 20, 2, 30, 0, 0, time.UTC)
	r := store.ClassRead{
		Class:    store.Class{ID: 7, Name: "三年级2班"},
		Campaign: store.Campaign{ID: 3, Name: "秋季", State: store.CampaignRunning},
		Today:    "2026-11-21",
		Students: []store.Student{
			{ID: 1, Number: "01", Name: "王小明", Active: true, Guardians: []store.Guardian{{Name: "王奶奶", Relation: "奶奶", Mobile: "13800001234"}}},
			{ID: 2, Number: "02", Name: "李华", Active: true, Guardians: []store.Guardian{{Name: "李强", Relation: "父亲"}}},
			{ID: 3, Number: "03", Name: "张三", Active: true},
		},
		Letters: []store.Letter{
			{StudentID: 1, Status: store.StatusAcknowledged, AcknowledgedAt: &acked, AckChannel: store.ChannelPaper},
			{StudentID: 2, Status: store.StatusProduced},
		},
	}
	v := Summarise(r)
	want := ClassSummary{Students: 3, Letters: 2, Opened: 1, Acknowledged: 1, Paper: 1, Undelivered: 1, NoPhone: 2, LargePrint: 1}
	if v.Summary != want {
		t.Errorf("summary %+v, want %+v", v.Summary, want)
	}
	if !v.HasCampaign || v.Phase != store.CampaignRunning || v.Purged {
		t.Errorf("campaign shown %+v %q", v.Campaign, v.Phase)
	}
	first := v.Students[0]
	if first.Guardians[0].Mobile != "138****1234" || first.AckedAt.String() != "2026-11-20T10:30:00+08:00" || !first.LargePrint || first.NoPhone {
		t.Errorf("row %+v: want the phone masked, the time in China, large print for a grandmother", first)
	}
	if v.Students[2].Letter != "" || !v.Students[2].NoPhone {
		t.Errorf("a student without letter or phone: %+v", v.Students[2])
	}
}

func TestSummariseShowsWhatAPurgeKept(t *testing.T) {
	t.Parallel()
	r := store.ClassRead{
		Campaign: store.Campaign{ID: 3, Purged: true},
		Students: []store.Student{{ID: 1, Active: true}},
		Kept:     &store.ClassFigures{Reach: store.Reach{Produced: 40, Opened: 35, Acknowledged: 30, Paper: 4}},
	}
	v := Summarise(r)
	if !v.Purged || v.Phase != store.CampaignPurged || v.Summary.Letters != 40 || v.Summary.Acknowledged != 30 || v.Summary.Undelivered != 0 {
		t.Errorf("purged view %+v %q", v.Summary, v.Phase)
	}
}

func TestClassReadsTheShownCampaignAndItsPartsInOneRead(t *testing.T) {
	t.Parallel()
	for name, dsn := range storetest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := storetest.Open(t, dsn)
			sc := storetest.Seed(t, st, 1, 3)
			v, err := Class(ctx, st, ClassQuery{ClassID: sc.ClassID, Students: true, Slips: true})
			if err != nil {
				t.Fatal(err)
			}
			if v.Campaign.ID != sc.CampaignID || len(v.Campaigns) != 1 || v.Summary.Letters != 3 || len(v.Slips) != 3 || v.Pending != 3 {
				t.Errorf("view: campaign %d of %d, %+v, %d slips, %d to remind", v.Campaign.ID, len(v.Campaigns), v.Summary, len(v.Slips), v.Pending)
			}
			if _, err := Class(ctx, st, ClassQuery{ClassID: sc.ClassID, Want: sc.CampaignID + 100}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("a campaign that is not the school's: %v, want not found", err)
			}
			p, err := Class(ctx, st, ClassQuery{ClassID: sc.ClassID, Print: &store.PrintQuery{}})
			if err != nil || len(p.Print.Students) != 3 || p.Print.Missing != 0 || p.Print.Campaign.ID != sc.CampaignID {
				t.Errorf("re-print: %d letters, %d missing, campaign %d (%v)", len(p.Print.Students), p.Print.Missing, p.Print.Campaign.ID, err)
			}
		})
	}
}

func TestTheFirstLettersOfASchoolWithoutCampaignGoIntoTheTermsDefault(t *testing.T) {
	t.Parallel()
	for name, dsn := range storetest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := storetest.Open(t, dsn)
			sc := storetest.Seed(t, st, 1, 2)
			other, _, err := st.EnsureSchool(ctx, "新学校")
			if err != nil {
				t.Fatal(err)
			}
			cl, err := st.EnsureClass(ctx, other.ID, 4, 1, "四年级1班")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.DB().ExecContext(ctx, st.Rebind(`INSERT INTO students (school_id, class_id, number, name, updated_at) VALUES (?, ?, 'N1', '赵六', ?)`),
				other.ID, cl.ID, st.Now()); err != nil {
				t.Fatal(err)
			}
			reprint, err := Class(ctx, st, ClassQuery{ClassID: cl.ID, Print: &store.PrintQuery{}})
			if err != nil || reprint.HasCampaign || reprint.Print.Missing != 1 {
				t.Fatalf("a re-print before any letter: %+v (%v), want one missing and no campaign made", reprint.Print, err)
			}
			v, err := Class(ctx, st, ClassQuery{ClassID: cl.ID, Print: &store.PrintQuery{Issue: true}})
			if err != nil || len(v.Print.Students) != 1 || v.Print.Campaign.ID == 0 || v.Print.Campaign.ID == sc.CampaignID {
				t.Fatalf("issue: %+v (%v), want a letter in a new default campaign", v.Print, err)
			}
			if c, ok, _ := Current(ctx, st, other.ID); !ok || c.ID != v.Print.Campaign.ID {
				t.Errorf("the school's current campaign is %d, want the default %d", c.ID, v.Print.Campaign.ID)
			}
		})
	}
}
