package reach

import (
	"time"

	"jiashu/app/campaign"
)

// The overview across campaigns: the campaigns of the school year, each
// with its share of families acknowledged and of quiz answers right
// (store.CampaignYear; the page draws them as pairs of bars).

// QuizQuestions is the length of every letter's quiz (three questions).
const QuizQuestions = 3

// SchoolYearStart is the first day of the school year containing now
// (August 1st, China time): campaigns from then on are "this year".
func SchoolYearStart(now time.Time) time.Time {
	n := now.In(campaign.ChinaTime)
	y := n.Year()
	if n.Month() < time.August {
		y--
	}
	return time.Date(y, time.August, 1, 0, 0, 0, 0, campaign.ChinaTime)
}
