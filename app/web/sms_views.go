package web

import (
	"github.com/gin-gonic/gin"

	"jiashu/app/jobs"
	"jiashu/sms"
	"jiashu/store"
)

// deliveryView is how the texts of a job or a scope went, as the pages
// show it ("sms-delivery" in _sms.html): 已送达 / 未送达 / 等待回执 with a
// provider that reports delivery, what a gateway took without one, and
// what it cost.
type deliveryView struct {
	Reports                          bool
	Delivered, Undelivered, Awaiting int
	Taken, Skipped, Segments         int
	Spent                            string // yuan
}

// deliveryOf is the view of a summary.
func deliveryOf(sum jobs.SendSummary, reports bool) deliveryView {
	return deliveryView{Reports: reports, Delivered: sum.Delivered, Undelivered: sum.Undelivered, Awaiting: sum.Awaiting,
		Taken: sum.Sent, Skipped: sum.Skipped, Segments: sum.Segments, Spent: sms.Yuan(sum.CostFen)}
}

// Delivery is the card's texts as the pages show them.
func (c reminderCard) Delivery() deliveryView { return deliveryOf(jobs.SummaryOf(c.Texts), c.Reports) }

// textsOverview is how the texts of a campaign (or one school's) went,
// for the overview; nil before any was sent.
func (s *Server) textsOverview(c *gin.Context, scope store.ReminderScope) (*deliveryView, error) {
	counts, err := s.store.TextCountsOf(c.Request.Context(), scope)
	if err != nil || !counts.Any() {
		return nil, err
	}
	v := deliveryOf(jobs.SummaryOf(counts), s.cfg.SMSReports())
	return &v, nil
}
