package jobs

import (
	"context"
	"encoding/json"

	"jiashu/app/campaign"
	"jiashu/app/content"
	"jiashu/letters"
	"jiashu/store"
)

// What a job tells the people who started it, as it goes or when it ends,
// is a typed outcome: stored as JSON with the job's progress (Task.Report)
// and read back as its type (LettersOf, SentOf).

// Outcome is one kind of job's outcome.
type Outcome interface{ outcome() }

// LettersOutcome is what a letters job tells the people who started it:
// how many letters, how many of them in large print, and the letters a
// teacher must check or finish by hand.
type LettersOutcome struct {
	Letters    int `json:"letters"`
	LargePrint int `json:"large_print"`
	// Attention lists the first campaign.MaxAttention entries but the cut
	// names; AttentionTotal counts all of them.
	Attention      []campaign.AttentionEntry `json:"attention,omitempty"`
	AttentionTotal int                       `json:"attention_total"`
	// CutNames lists every name printed cut, whatever their number.
	CutNames []campaign.AttentionEntry `json:"cut_names,omitempty"`
	// MissingDetails are the schools whose letters print a fallback (a
	// write-in blank, or no line) for details they have not filled in.
	MissingDetails []SchoolGaps `json:"missing_details,omitempty"`
}

// SchoolGaps is a school's details its letters use and it lacks.
type SchoolGaps struct {
	School  string   `json:"school"`
	Details []string `json:"details"` // 学校电话, 派出所 …
	Message string   `json:"message"` // what that does to the letters, in Chinese
}

func (LettersOutcome) outcome() {}

// NewLettersOutcome summarises the engine's stats and the schools' gaps.
func NewLettersOutcome(st letters.Stats, gaps []SchoolGaps) LettersOutcome {
	o := LettersOutcome{Letters: st.Letters, LargePrint: st.LargePrint, CutNames: campaign.CutNames(st.Attention), MissingDetails: gaps}
	o.Attention, o.AttentionTotal = campaign.Attention(campaign.NotCutNames(st.Attention))
	return o
}

// NewSchoolGaps is a school's gaps as an outcome tells them; nil for none.
func NewSchoolGaps(school string, gaps []content.DetailGap) []SchoolGaps {
	if len(gaps) == 0 {
		return nil
	}
	return []SchoolGaps{{School: school, Details: content.GapNames(gaps), Message: content.GapsMessage(gaps)}}
}

// SendSummary is a reminders job's outcome: what it has sent so far and,
// from the delivery reports, what reached the phones.
type SendSummary struct {
	Sent    int `json:"sent"`          // the provider took them
	Failed  int `json:"failed"`        // refused when sent: they never left
	Skipped int `json:"skipped_limit"` // the guardian already had the most reminders allowed
	// Delivered reached the phone; Undelivered did not (Failed, and those
	// the report says failed); Awaiting wait for their report.
	Delivered   int   `json:"delivered"`
	Undelivered int   `json:"undelivered"`
	Awaiting    int   `json:"awaiting"`
	Segments    int   `json:"segments"` // billed
	CostFen     int64 `json:"cost_fen"`
}

// SummaryOf is the summary of a job's texts as the database counts them.
func SummaryOf(c store.TextCounts) SendSummary {
	return SendSummary{Sent: c.Taken(), Failed: c.Failed, Skipped: c.Limited, Delivered: c.Delivered,
		Undelivered: c.NotDelivered(), Awaiting: c.Waiting(), Segments: c.Segments, CostFen: c.CostFen}
}

func (SendSummary) outcome() {}

// Report records done of total with the job's outcome so far, renewing
// the lease.
func (t *Task) Report(ctx context.Context, done, total int, o Outcome) error {
	b, err := json.Marshal(o)
	if err != nil {
		return err
	}
	return t.r.st.JobOutcome(ctx, t.ID, t.r.Instance, done, total, string(b), t.r.Lease)
}

// LettersOf is a letters job's outcome; ok is false before the job has
// finished (or for a job finished before outcomes were kept).
func LettersOf(j store.Job) (o LettersOutcome, ok bool) {
	return o, j.Kind != store.JobReminders && j.Outcome != "" && json.Unmarshal([]byte(j.Outcome), &o) == nil
}

// SentOf is a reminders job's outcome so far (nothing sent before its
// first report).
func SentOf(j store.Job) SendSummary {
	var sum SendSummary
	if j.Kind == store.JobReminders && j.Outcome != "" {
		json.Unmarshal([]byte(j.Outcome), &sum) // a malformed value reads as nothing done
	}
	return sum
}
