package sms

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Clock is the sender's time: tests pass one that records the waits.
type Clock interface {
	Now() time.Time
	// Sleep waits d, or returns ctx.Err() when ctx ends first.
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock is the wall clock.
type RealClock struct{}

// Now is time.Now.
func (RealClock) Now() time.Time { return time.Now() }

// Sleep waits d or until ctx ends.
func (RealClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Journal is where the caller writes down texts around each request, so
// that a job started again (after a crash, on another instance) never
// texts a family twice: a text is begun before the provider sees it, and
// finished with the provider's answer.
type Journal interface {
	// Begin records that the texts are about to be sent, and returns the
	// keys among them begun before (by an earlier run): those are skipped.
	// It must be durable before it returns.
	Begin(ctx context.Context, texts []Text) (begun map[string]bool, err error)
	// Finish records the provider's answers.
	Finish(ctx context.Context, results []Result) error
}

// Sender sends many texts of one template through a provider: in batches
// as the provider allows, at its pace, trying again with backoff when the
// provider is busy or cannot be reached, and never sending a key twice.
// One Sender serves one job at a time.
type Sender struct {
	Provider Provider
	Journal  Journal
	Clock    Clock
	// Tries is the most requests for one batch; 4 when 0.
	Tries int
	// Backoff is the wait before the second try, doubled each time up to
	// MaxBackoff; 2 s and 1 min when 0.
	Backoff, MaxBackoff time.Duration
	// Proceed, when set, is asked before every batch: an error (quiet
	// hours began, the job was cancelled) stops the send there.
	Proceed func() error

	next time.Time // the earliest time of the next request
}

// Summary counts what a send did.
type Summary struct {
	Accepted int // taken by the provider (Awaiting or Sent)
	Failed   int
	Unsure   int
	Skipped  int // begun by an earlier run
	Requests int
}

// Send sends texts (all of tpl) and calls done with each batch's results
// once they are in the journal. It stops at the first error of the journal,
// of Proceed or of ctx, after recording the batch under way.
func (s *Sender) Send(ctx context.Context, tpl *Template, texts []Text, done func([]Result)) (Summary, error) {
	var sum Summary
	for _, batch := range Batches(texts, s.Provider.Limits()) {
		if s.Proceed != nil {
			if err := s.Proceed(); err != nil {
				return sum, err
			}
		}
		if err := s.pace(ctx); err != nil {
			return sum, err
		}
		begun, err := s.Journal.Begin(ctx, batch)
		if err != nil {
			return sum, fmt.Errorf("sms: journal: %w", err)
		}
		todo := make([]Text, 0, len(batch))
		for _, t := range batch {
			if begun[t.Key] {
				sum.Skipped++
			} else {
				todo = append(todo, t)
			}
		}
		if len(todo) == 0 {
			continue
		}
		results, tries := s.sendBatch(ctx, Batch{Template: tpl, Texts: todo})
		sum.Requests += tries
		for _, r := range results {
			switch r.State {
			case Awaiting, Sent, Delivered:
				sum.Accepted++
			case Unsure:
				sum.Unsure++
			default:
				sum.Failed++
			}
		}
		// Recorded even when ctx has ended: the provider may have the texts.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err = s.Journal.Finish(fctx, results)
		cancel()
		if err != nil {
			return sum, fmt.Errorf("sms: journal: %w", err)
		}
		if done != nil {
			done(results)
		}
		if err := ctx.Err(); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// sendBatch makes the requests for one batch until the provider answers or
// refuses for good, and returns a result per text and the requests made.
func (s *Sender) sendBatch(ctx context.Context, b Batch) ([]Result, int) {
	tries := s.Tries
	if tries <= 0 {
		tries = 4
	}
	wait := s.Backoff
	if wait <= 0 {
		wait = 2 * time.Second
	}
	maxWait := s.MaxBackoff
	if maxWait <= 0 {
		maxWait = time.Minute
	}
	var e *Error
	try := 1
	for ; ; try++ {
		results, err := s.Provider.Send(ctx, b)
		if err == nil {
			for i := range results {
				results[i].Tries = max(results[i].Tries, 1) + try - 1
				if results[i].Segments == 0 && i < len(b.Texts) {
					results[i].Segments = b.Texts[i].Segments()
				}
			}
			return results, try
		}
		if !errors.As(err, &e) {
			e = &Error{Provider: s.Provider.Name(), Code: "error", Reason: ReasonProvider, Unsure: true, Err: err}
		}
		if !e.Retry || try >= tries || ctx.Err() != nil {
			break
		}
		if s.Clock.Sleep(ctx, wait) != nil {
			break
		}
		wait = min(2*wait, maxWait)
		if s.pace(ctx) != nil {
			break
		}
	}
	state := Failed
	if e.Unsure {
		state = Unsure
	}
	if e.Tries > 1 {
		try += e.Tries - 1
	}
	if state == Failed && len(b.Texts) > 1 && e.Reason.OfOneText() && ctx.Err() == nil {
		return s.oneByOne(ctx, b, try)
	}
	out := make([]Result, len(b.Texts))
	for i, t := range b.Texts {
		out[i] = Result{Key: t.Key, Phone: t.Phone, State: state, Code: e.Code, Reason: e.Reason, Tries: try}
	}
	return out, try
}

// oneByOne sends the texts of a batch refused as a whole for what may be
// one text's fault (Aliyun refuses a SendBatchSms for one bad number, one
// number over its daily limit or one family's variable): each alone, so
// only the texts at fault fail. The refused request took none of them.
func (s *Sender) oneByOne(ctx context.Context, b Batch, tries int) ([]Result, int) {
	out := make([]Result, 0, len(b.Texts))
	for _, t := range b.Texts {
		if ctx.Err() != nil || s.pace(ctx) != nil {
			return s.cutShort(out, b.Texts[len(out):], tries), tries
		}
		r, n := s.sendBatch(ctx, Batch{Template: b.Template, Texts: []Text{t}})
		out, tries = append(out, r...), tries+n
	}
	return out, tries
}

// cutShort ends oneByOne when ctx ended: the texts not tried failed
// (none was taken; the job's retry of its failed texts sends them).
func (s *Sender) cutShort(out []Result, rest []Text, tries int) []Result {
	for _, t := range rest {
		out = append(out, Result{Key: t.Key, Phone: t.Phone, State: Failed, Code: "stopped", Reason: ReasonStopped, Tries: tries})
	}
	return out
}

// pace waits until the provider's interval since the last request passed.
func (s *Sender) pace(ctx context.Context) error {
	now := s.Clock.Now()
	if d := s.next.Sub(now); d > 0 {
		if err := s.Clock.Sleep(ctx, d); err != nil {
			return err
		}
		now = s.Clock.Now()
	}
	s.next = now.Add(s.Provider.Limits().Interval)
	return nil
}

// Batches groups texts into requests as the provider allows: at most
// PerRequest each and, for SameParams, only texts with equal variables
// together (in order of first appearance).
func Batches(texts []Text, l Limits) [][]Text {
	per := max(l.PerRequest, 1)
	var groups [][]Text
	if l.SameParams {
		index := map[string]int{}
		for _, t := range texts {
			k := paramsKey(t.Params)
			i, ok := index[k]
			if !ok {
				i = len(groups)
				index[k] = i
				groups = append(groups, nil)
			}
			groups[i] = append(groups[i], t)
		}
	} else if len(texts) > 0 {
		groups = [][]Text{texts}
	}
	var out [][]Text
	for _, g := range groups {
		for len(g) > per {
			out = append(out, g[:per:per])
			g = g[per:]
		}
		out = append(out, g)
	}
	return out
}

// paramsKey is a canonical form of a text's variables.
func paramsKey(p map[string]string) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%q=%q;", k, p[k])
	}
	return b.String()
}
