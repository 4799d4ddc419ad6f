package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sync"
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

// Register adds the reminders handler to r.
func (rs *Reminders) Register(r *Runner) { r.Handle(store.JobReminders, rs.run) }

// run is the handler of store.JobReminders.
func (rs *Reminders) run(ctx context.Context, j *Task) (string, error) {
	var params ReminderParams
	if err := json.Unmarshal([]byte(j.Params), &params); err != nil {
		return "", fmt.Errorf("job %d: params: %w", j.ID, err)
	}
	gw := rs.Gateway
	if gw == nil {
		return "", refused(rs.Text("reminders.no_gateway"))
	}
	if reminders.QuietHours(rs.Now()) {
		return "", refused(rs.Text("reminders.job.quiet_start"))
	}
	list, err := rs.list(ctx, params)
	if err != nil {
		return "", err
	}
	if params.RetryOf != 0 {
		_, failed, err := rs.Store.JobReminderFailures(ctx, params.RetryOf)
		if err != nil {
			return "", err
		}
		list = slices.DeleteFunc(list, func(rm reminders.Reminder) bool { return !failed[[2]int64{rm.GuardianID, rm.LetterID}] })
	}
	// A job started again after its instance died goes on where it stopped.
	handled, sent, failed, err := rs.Store.JobReminders(ctx, j.ID)
	if err != nil {
		return "", err
	}
	sum := SendSummary{Sent: sent, Failed: failed}
	var todo []reminders.Reminder
	for _, rm := range list {
		if !handled[[2]int64{rm.GuardianID, rm.LetterID}] {
			todo = append(todo, rm)
		}
	}
	done := len(list) - len(todo)

	var mu sync.Mutex // guards sum, done and the progress writes
	var stopped bool  // quiet hours reached
	var lost error    // the lease went to another instance
	record := func(force bool) {
		if !force && done%reminderProgressEvery != 0 {
			return
		}
		b, _ := json.Marshal(sum)
		if err := j.Outcome(ctx, done, len(list), string(b)); err != nil && lost == nil {
			lost = err
		}
	}
	mu.Lock()
	record(true)
	mu.Unlock()

	// Each guardian's texts go in order through one goroutine, at most
	// smsWorkers at once; the slots make the limit safe across goroutines,
	// jobs and instances anyway.
	byGuardian := map[int64][]reminders.Reminder{}
	var order []int64
	for _, rm := range todo {
		if _, ok := byGuardian[rm.GuardianID]; !ok {
			order = append(order, rm.GuardianID)
		}
		byGuardian[rm.GuardianID] = append(byGuardian[rm.GuardianID], rm)
	}
	var g errgroup.Group
	g.SetLimit(smsWorkers)
	for _, id := range order {
		mu.Lock()
		halt := stopped || lost != nil || ctx.Err() != nil
		mu.Unlock()
		if halt {
			break
		}
		g.Go(func() error {
			for _, rm := range byGuardian[id] {
				outcome := rs.sendOne(ctx, gw, j.Job, rm, &mu, &stopped)
				mu.Lock()
				switch outcome {
				case "sent":
					sum.Sent++
				case "failed":
					sum.Failed++
				case "skipped":
					sum.Skipped++
				}
				if outcome != "" {
					done++
					record(false)
				}
				mu.Unlock()
			}
			return nil
		})
	}
	g.Wait()

	mu.Lock()
	record(true)
	mu.Unlock()
	if lost != nil {
		return "", lost
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := rs.Store.Audit(ctx, j.CreatedBy, "reminders_sent", fmt.Sprintf("%s: job %d sent %d, failed %d, skipped %d%s",
		params.Label, j.ID, sum.Sent, sum.Failed, sum.Skipped, map[bool]string{true: ", stopped at 21:00"}[stopped])); err != nil {
		rs.Log.Error("audit", "err", err)
	}
	if stopped {
		return "", refused(fmt.Sprintf(rs.Text("reminders.job.quiet_stop"), sum.Sent, sum.Failed, sum.Skipped))
	}
	return "", nil
}

// sendOne sends one reminder within the guardian's limit and records it:
// "sent", "failed", "skipped" (limit reached), or "" when it was not
// tried (quiet hours began, or the job is stopping).
func (rs *Reminders) sendOne(ctx context.Context, g *Gateway, j store.Job, rm reminders.Reminder, mu *sync.Mutex, stopped *bool) string {
	mu.Lock()
	halt := *stopped
	if !halt && reminders.QuietHours(rs.Now()) {
		*stopped, halt = true, true
	}
	mu.Unlock()
	if halt || ctx.Err() != nil {
		return ""
	}
	id, ok, err := rs.Store.ReserveReminder(ctx, store.Reminder{CampaignID: j.CampaignID, GuardianID: rm.GuardianID,
		LetterID: rm.LetterID, SentBy: j.CreatedBy, At: rs.Now()}, j.ID, rs.Max)
	if err != nil {
		rs.Log.Error("reminder", "guardian", rm.GuardianID, "err", err)
		return "failed"
	}
	if !ok {
		return "skipped"
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
		return "failed"
	}
	return "sent"
}

// list is the texts a job sends: the reminders of its scope, or its
// alert's text to every family of the scope.
func (rs *Reminders) list(ctx context.Context, params ReminderParams) ([]reminders.Reminder, error) {
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
