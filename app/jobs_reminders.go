package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"jiashu/store"
)

// A reminders job sends the texts of a class, a school or a campaign
// through the SMS gateway in the background (reminders_send.go queues it).
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

// runReminderJob is the jobRunner's handler of store.JobReminders.
func (s *server) runReminderJob(ctx context.Context, r *jobRunner, j store.Job) error {
	p := s.parent
	var params reminderJobParams
	if err := json.Unmarshal([]byte(j.Params), &params); err != nil {
		return fmt.Errorf("job %d: params: %w", j.ID, err)
	}
	g := s.gateway()
	if g == nil {
		return problemError{p.t("reminders.no_gateway")}
	}
	if quietHours(s.now()) {
		return problemError{p.t("reminders.job.quiet_start")}
	}
	list, err := s.reminders(ctx, store.ReminderScope{CampaignID: params.CampaignID, SchoolID: params.SchoolID, ClassID: params.ClassID})
	if err != nil {
		return err
	}
	// A job started again after its instance died goes on where it stopped.
	handled, sent, failed, err := s.store.JobReminders(ctx, j.ID)
	if err != nil {
		return err
	}
	sum := sendSummary{Sent: sent, Failed: failed}
	var todo []reminder
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
		if err := s.store.JobOutcome(ctx, j.ID, r.instance, done, len(list), string(b), r.lease); err != nil && lost == nil {
			lost = err
		}
	}
	mu.Lock()
	record(true)
	mu.Unlock()

	// Each guardian's texts go in order through one worker; the slots make
	// the limit safe across workers, jobs and instances anyway.
	byGuardian := map[int64][]reminder{}
	var order []int64
	for _, rm := range todo {
		if _, ok := byGuardian[rm.GuardianID]; !ok {
			order = append(order, rm.GuardianID)
		}
		byGuardian[rm.GuardianID] = append(byGuardian[rm.GuardianID], rm)
	}
	work := make(chan []reminder)
	var wg sync.WaitGroup
	for range smsWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rs := range work {
				for _, rm := range rs {
					outcome := s.sendOne(ctx, g, j, rm, &mu, &stopped)
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
			}
		}()
	}
	for _, id := range order {
		mu.Lock()
		halt := stopped || lost != nil || ctx.Err() != nil
		mu.Unlock()
		if halt {
			break
		}
		work <- byGuardian[id]
	}
	close(work)
	wg.Wait()

	mu.Lock()
	record(true)
	mu.Unlock()
	if lost != nil {
		return lost
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.store.Audit(ctx, j.CreatedBy, "reminders_sent", fmt.Sprintf("%s: job %d sent %d, failed %d, skipped %d%s",
		params.Label, j.ID, sum.Sent, sum.Failed, sum.Skipped, map[bool]string{true: ", stopped at 21:00"}[stopped])); err != nil {
		s.log.Error("audit", "err", err)
	}
	if stopped {
		return problemError{fmt.Sprintf(p.t("reminders.job.quiet_stop"), sum.Sent, sum.Failed, sum.Skipped)}
	}
	return nil
}

// sendOne sends one reminder within the guardian's limit and records it:
// "sent", "failed", "skipped" (limit reached), or "" when it was not
// tried (quiet hours began, or the job is stopping).
func (s *server) sendOne(ctx context.Context, g *smsGateway, j store.Job, rm reminder, mu *sync.Mutex, stopped *bool) string {
	mu.Lock()
	halt := *stopped
	if !halt && quietHours(s.now()) {
		*stopped, halt = true, true
	}
	mu.Unlock()
	if halt || ctx.Err() != nil {
		return ""
	}
	id, ok, err := s.store.ReserveReminder(ctx, store.Reminder{CampaignID: j.CampaignID, GuardianID: rm.GuardianID,
		LetterID: rm.LetterID, SentBy: j.CreatedBy, At: s.now()}, j.ID, s.cfg.SMSMaxPerGuardian)
	if err != nil {
		s.log.Error("reminder", "guardian", rm.GuardianID, "err", err)
		return "failed"
	}
	if !ok {
		return "skipped"
	}
	tries, sendErr := g.send(ctx, rm.Mobile, rm.Message)
	errText := ""
	if sendErr != nil {
		errText = sendErr.Error()
		s.log.Warn("reminder not sent", "guardian", rm.GuardianID, "err", sendErr)
	}
	// Recorded even when the job is stopping: the gateway may have it.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := s.store.FinishReminder(rctx, id, sendErr == nil, tries, errText, s.now()); err != nil {
		s.log.Error("record reminder", "err", err)
	}
	if sendErr != nil {
		return "failed"
	}
	return "sent"
}
