package reminders

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"jiashu/sms"
	"jiashu/store"
)

// Delivery reports (回执): each text the provider took is settled by its
// report — delivered, or undelivered with a reason — pushed by the
// provider to the app's callback (Apply) or asked for (Poll, by whichever
// instance holds the lease, app/jobs). A text whose report never comes is
// given up after ReportWait.

// ReportWait is how long a report may take: the carriers give up on a
// text within three days.
const ReportWait = 72 * time.Hour

// Receipts settles texts by their delivery reports.
type Receipts struct {
	Store    *store.Store
	Provider sms.Provider // nil: no texts to ask about
	Now      func() time.Time
	Log      *slog.Logger
}

// Apply records reports (those still awaiting are left out) and returns
// how many texts they settled. The raw codes go to the log and the
// database, never to a page.
func (r Receipts) Apply(ctx context.Context, reports []sms.Report) (int, error) {
	if r.Provider == nil || len(reports) == 0 {
		return 0, nil
	}
	in := make([]store.TextReport, 0, len(reports))
	codes := map[string]int{} // of the undelivered texts, for the log
	for _, rep := range reports {
		if rep.State != sms.Delivered && rep.State != sms.Failed {
			continue
		}
		if rep.State == sms.Failed {
			codes[rep.Code]++
		}
		in = append(in, store.TextReport{Provider: r.Provider.Name(), MessageID: rep.MessageID, Phone: rep.Phone, Key: rep.Key,
			Delivered: rep.State == sms.Delivered, Code: rep.Code, Reason: string(rep.Reason), At: rep.At})
	}
	n, err := r.Store.ApplyTextReports(ctx, in, r.Now())
	if err == nil && len(in) > 0 {
		r.Log.Info("sms delivery reports", "provider", r.Provider.Name(), "reports", len(in), "settled", n, "undelivered", CodeCounts(codes))
	}
	return n, err
}

// CodeCounts writes the providers' raw codes counted, sorted, as
// "MK:0001×2, UNDELIV×1", for the log and the audit.
func CodeCounts(codes map[string]int) string {
	parts := make([]string, 0, len(codes))
	for _, code := range slices.Sorted(maps.Keys(codes)) {
		parts = append(parts, fmt.Sprintf("%s×%d", code, codes[code]))
	}
	return strings.Join(parts, ", ")
}

// pollBatch is how many texts one poll asks about.
const pollBatch = 200

// Poll asks the provider for the reports of the texts due (Aliyun: one
// query per text; Tencent: every report not yet collected), records them,
// sets when to ask again about the others — soon after sending, then less
// and less often — and gives up those sent more than ReportWait ago.
func (r Receipts) Poll(ctx context.Context) (int, error) {
	q, ok := r.Provider.(sms.StatusQuerier)
	if !ok {
		return 0, nil
	}
	now := r.Now()
	due, err := r.Store.DueTexts(ctx, r.Provider.Name(), now, pollBatch)
	if err != nil {
		return 0, err
	}
	query := sms.StatusQuery{Sent: make([]sms.SentText, len(due))}
	for i, d := range due {
		query.Sent[i] = sms.SentText{Key: d.Key, Phone: d.Phone, MessageID: d.MessageID, At: d.At}
	}
	reports, qerr := q.Status(ctx, query)
	if qerr != nil {
		r.Log.Warn("sms delivery reports", "provider", r.Provider.Name(), "err", qerr)
	}
	n, err := r.Apply(ctx, reports) // what came, also when some queries failed
	if err != nil {
		return n, err
	}
	next := make(map[int64]time.Time, len(due))
	for _, d := range due {
		next[d.ID] = now.Add(pollDelay(now.Sub(d.At)))
	}
	if err := r.Store.PollTextsAgain(ctx, next); err != nil {
		return n, err
	}
	if gone, err := r.Store.ExpireTexts(ctx, r.Provider.Name(), now.Add(-ReportWait), string(sms.ReasonNoReport), now); err != nil {
		return n, err
	} else if gone > 0 {
		r.Log.Warn("sms texts without a report given up", "provider", r.Provider.Name(), "texts", gone)
	}
	return n, nil
}

// pollDelay is how long to wait before asking again about a text sent age
// ago: most reports come within minutes, a phone switched off reports
// when it comes back.
func pollDelay(age time.Duration) time.Duration {
	switch {
	case age < 5*time.Minute:
		return time.Minute
	case age < 30*time.Minute:
		return 5 * time.Minute
	case age < 2*time.Hour:
		return 15 * time.Minute
	case age < 24*time.Hour:
		return time.Hour
	}
	return 3 * time.Hour
}
