package jobs

import (
	"log/slog"
	"time"

	"jiashu/app/campaign"
	"jiashu/app/config"
	"jiashu/app/content"
	"jiashu/app/locale"
	"jiashu/app/reminders"
	"jiashu/letters"
	"jiashu/sms"
	"jiashu/store"
)

// Deps are what the service's job handlers need.
type Deps struct {
	Config config.Config
	Store  *store.Store
	Engine *letters.Engine
	// Content is the engines per content version; nil builds one over Engine.
	Content   *content.Engines
	Catalogue *locale.Catalogue
	Log       *slog.Logger
	Now       func() time.Time
	// Clock paces the SMS sender and the gateway's retries; nil for the
	// wall clock (tests pass one that records the waits).
	Clock sms.Clock
}

// NewLetters is the letters handlers of the service.
func NewLetters(d Deps) *Letters {
	if d.Content == nil {
		d.Content = content.NewEngines(d.Store, d.Engine)
	}
	return &Letters{Store: d.Store, Engine: d.Engine, Log: d.Log, Now: d.Now,
		Build: campaign.Letters{Store: d.Store, AgeGroups: d.Config.AgeGroups, BaseURL: d.Config.BaseURL, Content: d.Content}}
}

// NewReminders is the reminders handler of the service: the configured
// provider (none: a job fails saying so), templates, per-guardian limit
// and quiet hours.
func NewReminders(d Deps) (*Reminders, error) {
	clock := d.Clock
	if clock == nil {
		clock = sms.RealClock{}
	}
	p, err := reminders.NewProvider(d.Config, clock)
	if err != nil {
		return nil, err
	}
	lists := reminders.Lists{Store: d.Store, BaseURL: d.Config.BaseURL, Text: d.Catalogue.Zh}
	return &Reminders{Store: d.Store, Provider: p, Texts: reminders.Texts{Lists: lists, Config: d.Config}, Clock: clock,
		Quiet: d.Config.SMSQuietHours, Text: d.Catalogue.Zh, Max: d.Config.SMSMaxPerGuardian, Log: d.Log, Now: d.Now}, nil
}

// NewService is a runner of every kind of job the service has.
func NewService(d Deps) (*Runner, error) {
	r := New(d.Store, d.Log, d.Now)
	NewLetters(d).Register(r)
	rem, err := NewReminders(d)
	if err != nil {
		return nil, err
	}
	rem.Register(r)
	return r, nil
}
