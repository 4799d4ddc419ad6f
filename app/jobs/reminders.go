package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"jiashu/app/reminders"
	"jiashu/store"
)

// A reminders job sends the texts of a class, a school or a campaign
// through the SMS gateway in the background (the staff site queues it).
// The rules hold whichever instance runs it and however many jobs run at
// once: the per-guardian limit is a reserved slot in the database
// (store.ReserveReminder), nothing goes out between 21:00 and 08:00 China
// time (checked before every text: a job that reaches 21:00 stops and says
// so), failures are retried with backoff by the gateway client, and the
// audit log has who queued it (the handler) and what was sent (here).

// reminderProgressEvery is how many texts pass between progress writes
// (which renew the lease too).
const reminderProgressEvery = 20

// smsWorkers is how many texts are in flight at once.
const smsWorkers = 8

// Reminders sends the reminder texts of a job.
type Reminders struct {
	Store   *store.Store
	Gateway *Gateway // nil without one: a job fails saying so
	List    reminders.Lists
	Text    func(key string) string // Chinese catalogue
	Max     int                     // reminders per guardian per campaign
	Log     *slog.Logger
	Now     func() time.Time
}

// Register adds the reminders worker to r.
func (rs *Reminders) Register(r *Runner) { AddWorker(r, WorkFunc[SendReminders](rs.run)) }

// sendResult is what became of one text.
type sendResult int

const (
	resultSent    sendResult = iota
	resultFailed             // the gateway refused it, or it could not be recorded
	resultSkipped            // the guardian had the most reminders allowed already
	resultQuiet              // not tried: quiet hours began
)

// sendRun is one run of a reminders job: what it has counted so far. Only
// the goroutine counting the results (count) touches it.
type sendRun struct {
	sum         SendSummary
	done, total int
	stopped     bool  // quiet hours reached
	lost        error // the lease went to another instance
}

// run is the worker of store.JobReminders. Each guardian's texts go in
// order through one goroutine, at most smsWorkers at once, and their
// results come back on a channel to the one goroutine that counts them and
// records progress (no lock is held while it writes); the slots of
// store.ReserveReminder make the per-guardian limit safe across
// goroutines, jobs and instances anyway.
func (rs *Reminders) run(ctx context.Context, j *Task, args SendReminders) (string, error) {
	gw := rs.Gateway
	if gw == nil {
		return "", refused(rs.Text("reminders.no_gateway"))
	}
	if reminders.QuietHours(rs.Now()) {
		return "", refused(rs.Text("reminders.job.quiet_start"))
	}
	run, todo, err := rs.todo(ctx, j, args)
	if err != nil {
		return "", err
	}
	run.report(ctx, j, true)
	stop := make(chan struct{}) // closed when the run must stop sending
	results := make(chan sendResult)
	go rs.dispatch(ctx, gw, j.Job, todo, stop, results) // dispatch keeps its own copy of stop
	for r := range results {
		run.count(r)
		if r != resultQuiet {
			run.report(ctx, j, false)
		}
		if (run.stopped || run.lost != nil) && stop != nil {
			close(stop) // the senders finish the text in hand and stop
			stop = nil
		}
	}
	run.report(ctx, j, true)
	if run.lost != nil {
		return "", run.lost
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	sum := run.sum
	if err := rs.Store.Audit(ctx, j.CreatedBy, "reminders_sent", fmt.Sprintf("%s: job %d sent %d, failed %d, skipped %d%s",
		args.Label, j.ID, sum.Sent, sum.Failed, sum.Skipped, map[bool]string{true: ", stopped at 21:00"}[run.stopped])); err != nil {
		rs.Log.Error("audit", "err", err)
	}
	if run.stopped {
		return "", refused(fmt.Sprintf(rs.Text("reminders.job.quiet_stop"), sum.Sent, sum.Failed, sum.Skipped))
	}
	return "", nil
}

// todo is the texts the job still has to send and the run so far: a job
// started again after its instance died goes on where it stopped.
func (rs *Reminders) todo(ctx context.Context, j *Task, args SendReminders) (*sendRun, []reminders.Reminder, error) {
	list, err := rs.list(ctx, args)
	if err != nil {
		return nil, nil, err
	}
	if args.RetryOf != 0 {
		_, failed, err := rs.Store.JobReminderFailures(ctx, args.RetryOf)
		if err != nil {
			return nil, nil, err
		}
		list = slices.DeleteFunc(list, func(rm reminders.Reminder) bool { return !failed[[2]int64{rm.GuardianID, rm.LetterID}] })
	}
	handled, sent, failed, err := rs.Store.JobReminders(ctx, j.ID)
	if err != nil {
		return nil, nil, err
	}
	var todo []reminders.Reminder
	for _, rm := range list {
		if !handled[[2]int64{rm.GuardianID, rm.LetterID}] {
			todo = append(todo, rm)
		}
	}
	return &sendRun{sum: SendSummary{Sent: sent, Failed: failed}, done: len(list) - len(todo), total: len(list)}, todo, nil
}

// count adds one text's result to the run.
func (run *sendRun) count(r sendResult) {
	switch r {
	case resultSent:
		run.sum.Sent++
	case resultFailed:
		run.sum.Failed++
	case resultSkipped:
		run.sum.Skipped++
	case resultQuiet:
		run.stopped = true
		return
	}
	run.done++
}

// report records the run's progress every reminderProgressEvery texts (or
// now, when force), which renews the lease; a lost lease stops the run.
func (run *sendRun) report(ctx context.Context, j *Task, force bool) {
	if !force && run.done%reminderProgressEvery != 0 {
		return
	}
	if err := j.Report(ctx, run.done, run.total, run.sum); err != nil && run.lost == nil {
		run.lost = err
	}
}

// dispatch sends todo, each guardian's texts in order through one
// goroutine and at most smsWorkers at once, each result on results, until
// stop is closed or ctx ends; it closes results when every sender is done.
func (rs *Reminders) dispatch(ctx context.Context, gw *Gateway, j store.Job, todo []reminders.Reminder, stop <-chan struct{}, results chan<- sendResult) {
	defer close(results)
	byGuardian := map[int64][]reminders.Reminder{}
	var order []int64
	for _, rm := range todo {
		if _, ok := byGuardian[rm.GuardianID]; !ok {
			order = append(order, rm.GuardianID)
		}
		byGuardian[rm.GuardianID] = append(byGuardian[rm.GuardianID], rm)
	}
	halted := func() bool {
		select {
		case <-stop:
			return true
		default:
			return ctx.Err() != nil
		}
	}
	var g errgroup.Group
	g.SetLimit(smsWorkers)
	for _, id := range order {
		if halted() {
			break
		}
		g.Go(func() error {
			for _, rm := range byGuardian[id] {
				if halted() {
					return nil
				}
				r := rs.sendOne(ctx, gw, j, rm)
				results <- r
				if r == resultQuiet {
					return nil
				}
			}
			return nil
		})
	}
	g.Wait()
}

// sendOne sends one reminder within the guardian's limit and records it;
// resultQuiet, untried, once quiet hours have begun.
func (rs *Reminders) sendOne(ctx context.Context, g *Gateway, j store.Job, rm reminders.Reminder) sendResult {
	if reminders.QuietHours(rs.Now()) {
		return resultQuiet
	}
	id, ok, err := rs.Store.ReserveReminder(ctx, store.Reminder{CampaignID: j.CampaignID, GuardianID: rm.GuardianID,
		LetterID: rm.LetterID, SentBy: j.CreatedBy, At: rs.Now()}, j.ID, rs.Max)
	if err != nil {
		rs.Log.Error("reminder", "guardian", rm.GuardianID, "err", err)
		return resultFailed
	}
	if !ok {
		return resultSkipped
	}
	tries, sendErr := g.Send(ctx, rm.Mobile, rm.Message)
	errText := ""
	if sendErr != nil {
		errText = sendErr.Error()
		rs.Log.Warn("reminder not sent", "guardian", rm.GuardianID, "err", sendErr)
	}
	// Recorded even when the job is stopping: the gateway may have it.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := rs.Store.FinishReminder(rctx, id, sendErr == nil, tries, errText, rs.Now()); err != nil {
		rs.Log.Error("record reminder", "err", err)
	}
	if sendErr != nil {
		return resultFailed
	}
	return resultSent
}

// list is the texts a job sends: the reminders of its scope, or its
// alert's text to every family of the scope.
func (rs *Reminders) list(ctx context.Context, params SendReminders) ([]reminders.Reminder, error) {
	scope := store.ReminderScope{CampaignID: params.CampaignID, SchoolID: params.SchoolID, ClassID: params.ClassID}
	if params.AlertID == 0 {
		return rs.List.List(ctx, scope)
	}
	a, err := rs.Store.Alert(ctx, params.AlertID)
	if err != nil {
		return nil, err
	}
	return rs.List.AlertList(ctx, a, scope)
}
