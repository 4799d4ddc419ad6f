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
// gateway (none: a job fails saying so) and per-guardian limit.
func NewReminders(d Deps) *Reminders {
	return &Reminders{Store: d.Store, Gateway: NewGateway(d.Config.SMSGatewayURL, d.Config.SMSGatewayToken.Reveal()),
		List: reminders.Lists{Store: d.Store, BaseURL: d.Config.BaseURL, Text: d.Catalogue.Zh},
		Text: d.Catalogue.Zh, Max: d.Config.SMSMaxPerGuardian, Log: d.Log, Now: d.Now}
}

// NewService is a runner of every kind of job the service has.
func NewService(d Deps) *Runner {
	r := New(d.Store, d.Log, d.Now)
	NewLetters(d).Register(r)
	NewReminders(d).Register(r)
	return r
}
