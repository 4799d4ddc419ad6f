package jobs

import (
	"testing"

	"jiashu/store"
	"jiashu/store/storetest"
)

// BenchmarkRemindersJob sends a school's reminders (500 families) through
// each provider's local fake on SQLite: the app's own cost per text — the
// journal's writes, filling, signing, the request — with the provider's
// pace left out (the rig's clock does not wait). ns/op is one job of 500
// texts.
//
//	go test ./app/jobs -run '^$' -bench RemindersJob -benchtime 3x
func BenchmarkRemindersJob(b *testing.B) {
	for _, provider := range []string{"http", "aliyun", "tencent"} {
		b.Run(provider, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				rg := newBenchRig(b, provider)
				j := rg.queueB(b)
				r := rg.runner(b, "bench")
				b.StartTimer()
				if ran, err := r.RunOnce(b.Context()); !ran || err != nil {
					b.Fatal(ran, err)
				}
				b.StopTimer()
				got, _ := rg.st.Job(b.Context(), j.ID)
				if SentOf(got).Sent != 500 {
					b.Fatalf("%s %q %+v", got.Status, got.Error, SentOf(got))
				}
			}
			b.ReportMetric(float64(500*b.N)/b.Elapsed().Seconds(), "texts/s")
		})
	}
}

// newBenchRig is a rig of 500 families on SQLite with provider's fake.
func newBenchRig(b *testing.B, provider string) *rig {
	rg := newRigOf(b, storetest.DSNs(b)["sqlite"], 500)
	rg.cfg.SMSMaxPerGuardian = 5
	if provider != "http" {
		rg.useProvider(b, provider)
	}
	return rg
}

func (rg *rig) queueB(b *testing.B) store.Job {
	j, err := rg.st.CreateJob(b.Context(), NewJob(SendReminders{CampaignID: rg.school.CampaignID, SchoolID: rg.school.SchoolID, Label: "school"},
		store.Job{SchoolID: rg.school.SchoolID, CampaignID: rg.school.CampaignID, CreatedBy: rg.school.TeacherID}))
	if err != nil {
		b.Fatal(err)
	}
	return j
}
