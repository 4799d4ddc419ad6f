package cli

import (
	"fmt"
	"strings"

	"jiashu/app/config"
	"jiashu/app/locale"
	"jiashu/app/reminders"
	"jiashu/assets"
	"jiashu/store"
)

// checkReminderLink refuses a base URL so long that no reminder text fits
// one SMS with its link (reminders.Lists.Message): found at start
// rather than as a failing export in the middle of a campaign.
func checkReminderLink(cfg config.Config) error {
	cat, err := locale.Load(assets.Web)
	if err != nil {
		return err
	}
	r := reminders.Lists{BaseURL: cfg.BaseURL, Text: cat.Zh}
	if _, err := r.Message("", "", "", strings.Repeat("A", store.TokenLength)); err != nil {
		link := len(cfg.BaseURL + "/a/" + strings.Repeat("A", store.TokenLength) + "?c=s")
		shortest := reminders.SMSLength(fmt.Sprintf(cat.Zh("reminders.sms.shortest"), ""))
		return fmt.Errorf("--base-url (%s): %q is too long for reminder text messages: a message holds %d characters, its link would take %d and the shortest text %d more; use a base URL of at most %d characters",
			config.EnvName("base-url"), cfg.BaseURL, reminders.SMSSegment, link, shortest, len(cfg.BaseURL)-(link+shortest-reminders.SMSSegment))
	}
	return nil
}
