package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"jiashu/app/reminders"
	"jiashu/sms"
	"jiashu/store"
)

// A reminders job sends the texts of a class, a school or a campaign (or
// a new-scam alert's) through the configured provider in the background
// (the staff site queues it, now or for the end of the quiet hours). The
// rules hold whichever instance runs it and however many jobs run at
// once: every text is recorded with its key before the provider sees it
// (store.BeginTexts, the sender's journal), so a job started again never
// texts a family twice; recording it takes one of the guardian's slots,
// so the per-guardian limit holds; the sender batches as the provider
// allows, at its pace, with backoff (sms.Sender); nothing goes out in the
// quiet hours (checked before every batch: a job that reaches them stops
// and says so); and the audit log has who queued it (the handler) and
// what was sent, with the providers' raw codes (here).

// Reminders sends the texts of a job.
type Reminders struct {
	Store    *store.Store
	Provider sms.Provider // nil without one: a job fails saying so
	Texts    reminders.Texts
	Clock    sms.Clock // the sender's pace and backoff
	Quiet    sms.Quiet
	Text     func(key string) string // Chinese catalogue
	Max      int                     // reminders per guardian per campaign
	Log      *slog.Logger
	Now      func() time.Time
}

// Register adds the reminders worker to r.
func (rs *Reminders) Register(r *Runner) { AddWorker(r, WorkFunc[SendReminders](rs.run)) }

// errQuiet stops a send when the quiet hours begin.
var errQuiet = errors.New("jobs: quiet hours")

// run is the worker of store.JobReminders.
func (rs *Reminders) run(ctx context.Context, j *Task, args SendReminders) (string, error) {
	if rs.Provider == nil {
		return "", refused(rs.Text("reminders.no_gateway"))
	}
	if reminders.Quiet(rs.Quiet, rs.Now()) {
		return "", refused(fmt.Sprintf(rs.Text("reminders.job.quiet_start"), rs.Quiet.FromText(), rs.Quiet.ToText()))
	}
	plan, err := rs.plan(ctx, j, args)
	if err != nil {
		return "", err
	}
	if err := rs.Texts.Refusal(plan); err != nil {
		return "", err
	}
	journal := &textJournal{st: rs.Store, now: rs.Now, meta: map[string]reminders.Text{}, j: store.TextJournal{
		CampaignID: j.CampaignID, JobID: j.ID, SentBy: j.CreatedBy, Provider: rs.Provider.Name(), Max: rs.Max, PriceFen: rs.Texts.Config.SMSPriceFen}}
	texts := make([]sms.Text, len(plan.Texts))
	for i, t := range plan.Texts {
		texts[i], journal.meta[t.Key] = t.Text, t
	}
	run := &sendRun{total: len(texts), codes: map[string]int{}}
	run.report(ctx, rs.Store, j)
	sender := &sms.Sender{Provider: rs.Provider, Journal: journal, Clock: rs.Clock, Proceed: func() error {
		if reminders.Quiet(rs.Quiet, rs.Now()) {
			return errQuiet
		}
		return run.lost
	}}
	tpl := plan.Template
	if tpl == nil {
		tpl = &sms.Template{Rules: sms.GatewayRules} // the gateway sends each text's body
	}
	_, sendErr := sender.Send(ctx, tpl, texts, func(results []sms.Result) {
		rs.logResults(j.ID, results, run)
		run.report(ctx, rs.Store, j)
	})
	run.report(ctx, rs.Store, j)
	switch {
	case run.lost != nil:
		return "", run.lost
	case sendErr != nil && !errors.Is(sendErr, errQuiet):
		return "", sendErr
	}
	stopped := errors.Is(sendErr, errQuiet)
	sum := run.sum
	detail := fmt.Sprintf("%s: job %d sent %d, failed %d, skipped %d, %d segments, %s yuan%s%s", args.Label, j.ID,
		sum.Sent, sum.Failed, sum.Skipped, sum.Segments, sms.Yuan(sum.CostFen), run.codeList(), map[bool]string{true: ", stopped at the quiet hours"}[stopped])
	if err := rs.Store.Audit(ctx, j.CreatedBy, "reminders_sent", detail); err != nil {
		rs.Log.Error("audit", "err", err)
	}
	if stopped {
		return "", refused(fmt.Sprintf(rs.Text("reminders.job.quiet_stop"), sum.Sent, sum.Failed, sum.Skipped, rs.Quiet.FromText(), rs.Quiet.ToText()))
	}
	return "", nil
}

// plan is the texts of the job: its scope's reminders or its alert, only
// the failed ones of the job it retries, each keyed by this job.
func (rs *Reminders) plan(ctx context.Context, j *Task, args SendReminders) (reminders.Plan, error) {
	req := reminders.Request{Scope: store.ReminderScope{CampaignID: args.CampaignID, SchoolID: args.SchoolID, ClassID: args.ClassID},
		Key: func(g, l int64) string { return fmt.Sprintf("job/%d/g/%d/l/%d", j.ID, g, l) }}
	if args.AlertID != 0 {
		a, err := rs.Store.Alert(ctx, args.AlertID)
		if err != nil {
			return reminders.Plan{}, err
		}
		req.Alert = &a
	}
	if args.RetryOf != 0 {
		_, failed, err := rs.Store.JobReminderFailures(ctx, args.RetryOf)
		if err != nil {
			return reminders.Plan{}, err
		}
		req.Only = failed
	}
	return rs.Texts.Plan(ctx, req)
}

// logResults logs what did not go out, with the provider's raw code (the
// log and the audit keep the codes; pages show the reasons), and counts
// the codes for the audit.
func (rs *Reminders) logResults(job int64, results []sms.Result, run *sendRun) {
	for _, r := range results {
		if r.State != sms.Failed && r.State != sms.Unsure {
			continue
		}
		run.codes[r.Code]++
		rs.Log.Warn("sms not sent", "job", job, "key", r.Key, "provider", rs.Provider.Name(), "state", r.State.String(),
			"code", r.Code, "reason", string(r.Reason), "tries", r.Tries)
	}
}

// sendRun is one run of a reminders job: its progress as last recorded.
type sendRun struct {
	sum         SendSummary
	done, total int
	codes       map[string]int // raw codes of the texts that did not go out
	lost        error          // the lease went to another instance, or the job was cancelled
}

// report records the job's progress from its texts in the database —
// which counts the texts of an earlier run too — after every batch (two
// small queries beside a request to the provider); it renews the lease,
// and a lost lease (the job was cancelled, or taken over) stops the run
// before its next batch.
func (run *sendRun) report(ctx context.Context, st *store.Store, j *Task) {
	c, err := st.JobTextCounts(ctx, j.ID)
	if err != nil {
		if run.lost == nil && ctx.Err() == nil {
			run.lost = err
		}
		return
	}
	run.sum = SummaryOf(c)
	run.done = c.Taken() + c.Failed + c.Limited
	if err := j.Report(ctx, run.done, max(run.total, run.done), run.sum); err != nil && run.lost == nil {
		run.lost = err
	}
}

// codeList writes the codes counted, for the audit.
func (run *sendRun) codeList() string {
	if len(run.codes) == 0 {
		return ""
	}
	return "; codes " + reminders.CodeCounts(run.codes)
}

// textJournal is the sender's journal in the database (store.BeginTexts):
// what a text is about comes from the plan.
type textJournal struct {
	st   *store.Store
	j    store.TextJournal
	meta map[string]reminders.Text
	now  func() time.Time
}

// Begin records the texts before the provider sees them; those begun by an
// earlier run, and those the guardian's limit refuses, are skipped.
func (tj *textJournal) Begin(ctx context.Context, texts []sms.Text) (map[string]bool, error) {
	starts := make([]store.TextStart, len(texts))
	for i, t := range texts {
		m := tj.meta[t.Key]
		starts[i] = store.TextStart{Key: t.Key, GuardianID: m.GuardianID, LetterID: m.LetterID, AlertID: m.AlertID, Segments: t.Segments()}
	}
	begun, limited, err := tj.st.BeginTexts(ctx, tj.j, starts, tj.now())
	for k := range limited {
		begun[k] = true
	}
	return begun, err
}

// deliveries are the states of a sent text as the store keeps them.
var deliveries = map[sms.State]string{sms.Awaiting: store.DeliveryAwaiting, sms.Delivered: store.DeliveryDelivered,
	sms.Failed: store.DeliveryFailed, sms.Sent: store.DeliverySent, sms.Unsure: store.DeliveryUnsure}

// Finish records the provider's answers; the texts it took are asked
// about from a minute on.
func (tj *textJournal) Finish(ctx context.Context, results []sms.Result) error {
	out := make([]store.TextResult, len(results))
	for i, r := range results {
		out[i] = store.TextResult{Key: r.Key, MessageID: r.MessageID, Delivery: deliveries[r.State], Code: r.Code,
			Reason: string(r.Reason), Segments: r.Segments, Tries: r.Tries}
	}
	now := tj.now()
	return tj.st.FinishTexts(ctx, tj.j.PriceFen, out, now, now.Add(time.Minute))
}
