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
// rather than as a failing export in the middle of a campaign. The limit
// it names is found with the same function: the longest base URL of the
// same scheme whose reminders fit.
func checkReminderLink(cfg config.Config) error {
	cat, err := locale.Load(assets.Web)
	if err != nil {
		return err
	}
	fits := func(baseURL string) bool {
		r := reminders.Lists{BaseURL: baseURL, Text: cat.Zh}
		_, err := r.Message("", "", "", strings.Repeat("A", store.TokenLength))
		return err == nil
	}
	if fits(cfg.BaseURL) {
		return nil
	}
	scheme, _, _ := strings.Cut(cfg.BaseURL, "://")
	longest := 0
	for n := len(cfg.BaseURL) - 1; n > len(scheme)+3; n-- {
		if fits(scheme + "://" + strings.Repeat("x", n-len(scheme)-3)) {
			longest = n
			break
		}
	}
	link := reminders.SMSLength(cfg.BaseURL + "/a/" + strings.Repeat("A", store.TokenLength) + "?c=s")
	return fmt.Errorf("--base-url (%s): %q (%d characters) is too long for reminder text messages: a message holds %d characters and its link alone would take %d, leaving no room for the shortest text; use a base URL of at most %d characters",
		config.EnvName("base-url"), cfg.BaseURL, len(cfg.BaseURL), reminders.SMSSegment, link, longest)
}
