package jobs

import (
	"context"
	"log/slog"
	"time"

	"jiashu/app/reminders"
	"jiashu/sms"
	"jiashu/store"
)

// Delivery reports are asked for by one instance at a time, whichever
// holds the lease (store.TakeLease): every instance ticks, the one holding
// the lease polls, and when it dies another takes over once its lease
// runs out.

const (
	// reportsLease names the lease.
	reportsLease = "sms_reports"
	// reportsEvery is how often an instance ticks.
	reportsEvery = time.Minute
)

// Reports asks the provider for delivery reports.
type Reports struct {
	Receipts reminders.Receipts
	Store    *store.Store
	Instance string
	Log      *slog.Logger
	Every    time.Duration // reportsEvery; tests shorten it
}

// NewReports is the poller of the configured provider's reports, or nil
// when it reports none (no provider, or the JSON gateway).
func NewReports(d Deps, instance string) (*Reports, error) {
	if !d.Config.SMSReports() {
		return nil, nil
	}
	p, err := reminders.NewProvider(d.Config, d.Clock)
	if err != nil {
		return nil, err
	}
	if _, ok := p.(sms.StatusQuerier); !ok {
		return nil, nil
	}
	return &Reports{Receipts: reminders.Receipts{Store: d.Store, Provider: p, Now: d.Now, Log: d.Log},
		Store: d.Store, Instance: instance, Log: d.Log, Every: reportsEvery}, nil
}

// Tick polls once if this instance holds (or takes) the lease; polled says
// whether it did.
func (r *Reports) Tick(ctx context.Context) (polled bool, err error) {
	ok, err := r.Store.TakeLease(ctx, reportsLease, r.Instance, 2*r.Every)
	if err != nil || !ok {
		return false, err
	}
	_, err = r.Receipts.Poll(ctx)
	return true, err
}

// Run ticks until ctx ends.
func (r *Reports) Run(ctx context.Context) {
	t := time.NewTicker(r.Every)
	defer t.Stop()
	for {
		if _, err := r.Tick(ctx); err != nil && ctx.Err() == nil {
			r.Log.Error("sms delivery reports", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
